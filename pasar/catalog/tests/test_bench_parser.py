"""The parser benchmark (bench/parser.py) on a tiny labelled set, so its scoring cannot silently rot."""

from decimal import Decimal

from bench.parser import Label, accuracy, generated_paste, load_labels, throughput
from pasar.catalog.shopping_list import parse_list


def test_load_labels_reads_tabs_skips_comments_and_keeps_nulls(tmp_path):
    path = tmp_path / "tiny.tsv"
    path.write_text("# comment\n\ntempe 2\ttempe\t2\tpapan\nsabun\t\t\t\n", encoding="utf-8")

    assert load_labels(path) == [
        Label(3, "tempe 2", ("tempe", Decimal(2), "papan")),
        Label(4, "sabun", (None, None, None)),
    ]


def test_accuracy_counts_exact_triples_and_lists_the_misses():
    labels = [
        Label(1, "tempe 2 papan", ("tempe", Decimal("2.0"), "papan")),  # right: 2.0 == 2
        Label(2, "bawang merah 1/4", ("bawang merah", Decimal("0.25"), "kg")),  # right
        Label(3, "bawang merah 1/4", ("bawang merah", Decimal("0.25"), "g")),  # wrong unit
        Label(4, "tempe, tahu", ("tempe", None, None)),  # two items: a miss whatever they are
    ]

    result = accuracy(labels)

    assert (result.total, result.exact, result.ratio) == (4, 2, 0.5)
    assert [(m.line, m.expected, m.got) for m in result.misses] == [
        (3, "bawang merah | 0.25 | g", "bawang merah | 0.25 | kg"),
        (4, "tempe | - | -", "2 items"),
    ]


def test_the_generated_paste_is_deterministic_and_the_rate_positive():
    labels = [Label(1, "tempe 2 papan", ("tempe", Decimal(2), "papan"))]

    text = generated_paste(50, seed=3, labels=labels)

    assert text == generated_paste(50, seed=3, labels=labels)
    assert len(parse_list(text, max_items=None)) >= 50  # a line may hold a separator ("tempe, ...")
    rate, rates = throughput(text, runs=2)
    assert rate > 0
    assert len(rates) == 2
