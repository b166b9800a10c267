"""The shopping-list parser against its bars: exact (item, quantity, unit) on a hand-labelled set
(``bench/data/shopping_list_labelled.tsv``) and lines parsed per second on a large generated paste.

    uv run python -m bench.parser                 # accuracy with every miss, then throughput
    uv run python -m bench.parser --lines 20000 --runs 7 --output bench/results/parser.json

Pure Python: no database, no Django settings.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

from pasar.catalog.shopping_list import ParsedItem, items, parse_list, tokens
from pasar.catalog.vocabulary import COMMODITIES

LABELLED = Path(__file__).parent / "data" / "shopping_list_labelled.tsv"
HELDOUT = Path(__file__).parent / "data" / "shopping_list_heldout.tsv"
BAR_ACCURACY = 0.95
BAR_LINES_PER_SECOND = 2000

Triple = tuple[str | None, Decimal | None, str | None]


@dataclass(frozen=True)
class Label:
    line: int  # line number in the file, for the report
    text: str
    expected: Triple


@dataclass(frozen=True)
class Miss:
    line: int
    text: str
    expected: str
    got: str


@dataclass
class Accuracy:
    total: int
    exact: int
    misses: list[Miss] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.exact / self.total if self.total else 0.0


def load_labels(path: Path = LABELLED) -> list[Label]:
    """Rows of text, item, quantity, unit (tab-separated, empty = null); "#" lines are comments."""
    labels = []
    for number, row in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not row.strip() or row.startswith("#"):
            continue
        text, item, quantity, unit = row.split("\t")
        labels.append(Label(number, text, (item or None, Decimal(quantity) if quantity else None, unit or None)))
    return labels


def _show(triple: Triple) -> str:
    item, quantity, unit = triple
    shown = "-" if quantity is None else f"{quantity.normalize():f}"
    return f"{item or '-'} | {shown} | {unit or '-'}"


def accuracy(labels: Sequence[Label], parse: Callable[[str], list[ParsedItem]] | None = None) -> Accuracy:
    """Exact match of (item, quantity, unit); a line that does not parse to exactly one item is a miss."""
    parse = parse or (lambda text: parse_list(text, max_items=None))
    result = Accuracy(total=len(labels), exact=0)
    for label in labels:
        parsed = parse(label.text)
        if len(parsed) == 1:
            got: Triple = (parsed[0].item, parsed[0].quantity, parsed[0].unit)
            shown = _show(got)
        else:
            got, shown = (None, None, None), f"{len(parsed)} items"
        if len(parsed) == 1 and got == label.expected:
            result.exact += 1
        else:
            result.misses.append(Miss(label.line, label.text, _show(label.expected), shown))
    return result


_QUANTITIES = ["1/4", "1/2", "½", "1 kg", "2 ons", "sekilo", "setengah kilo", "1,5 kg", "5rb", "10 ribu", "Rp 5.000",
               "goceng", "2 ikat", "3 bh", "10 btr", "1 bks", "4-5 biji", "250 gr", "2 liter", "", "2"]  # fmt: skip
_NOTES = ["", "", "", "yg seger", "potong 8", "(buat sayur asem)", "jangan yg layu", "kalau ada"]


def generated_paste(lines: int, *, seed: int = 11, labels: Sequence[Label] = ()) -> str:
    """``lines`` lines mixing the labelled lines with names and synonyms × quantity idioms × notes, some with
    a typo, so the typo corrector's cache does not hide its cost."""
    rng = random.Random(seed)
    names = [n for c in COMMODITIES for n in (c.name.lower(), *c.synonyms)]
    texts = [label.text for label in labels]
    out = []
    for _ in range(lines):
        if texts and rng.random() < 0.4:
            out.append(rng.choice(texts))
            continue
        name = rng.choice(names)
        if rng.random() < 0.1 and len(name) > 5:
            i = rng.randrange(1, len(name) - 1)
            name = name[:i] + name[i + 1 :]
        parts = [name, rng.choice(_QUANTITIES), rng.choice(_NOTES)]
        if rng.random() < 0.3:
            parts[0], parts[1] = parts[1], parts[0]
        out.append(" ".join(p for p in parts if p))
    return "\n".join(out)


def throughput(text: str, *, runs: int = 5) -> tuple[float, list[float]]:
    """Median lines per second of ``parse_list`` over ``runs`` parses of ``text``, each with cold word caches
    (typo corrections, normalised words), as for a paste never seen before."""
    count = len(parse_list(text, max_items=None))
    rates = []
    for _ in range(runs):
        items.corrected.cache_clear()
        tokens.word_norm.cache_clear()
        start = time.perf_counter()
        parse_list(text, max_items=None)
        rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates), rates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.parser", description=__doc__)
    parser.add_argument("--lines", type=int, default=10_000, help="lines in the generated paste")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)

    results = {}
    ok = True
    for path in (LABELLED, HELDOUT):
        result = accuracy(load_labels(path))
        results[path.name] = result
        print(f"{path.name}: {result.total} lines")
        for miss in result.misses:
            print(f"  miss line {miss.line}: {miss.text!r}\n      expected {miss.expected}\n      got      {miss.got}")
        passed = result.ratio >= BAR_ACCURACY
        ok = ok and passed
        print(f"  exact (item, quantity, unit): {result.exact}/{result.total} = {result.ratio:.1%}  "
              f"bar >= 95 %: {'PASS' if passed else 'FAIL'}")  # fmt: skip

    labels = load_labels(LABELLED) + load_labels(HELDOUT)
    rate, rates = throughput(generated_paste(args.lines, labels=labels), runs=args.runs)
    fast = rate >= BAR_LINES_PER_SECOND
    runs = ", ".join(f"{r:,.0f}" for r in rates)
    print(f"Throughput: {rate:,.0f} lines/s (median of {args.runs} runs over {args.lines:,} lines; runs {runs})  "
          f"bar >= 2,000 lines/s: {'PASS' if fast else 'FAIL'}")  # fmt: skip
    if args.output:
        report = {
            "accuracy": {
                name: {
                    "lines": r.total,
                    "exact": r.exact,
                    "ratio": round(r.ratio, 4),
                    "misses": [asdict(m) for m in r.misses],
                }
                for name, r in results.items()
            },
            "lines_per_second": round(rate),
            "runs_lines_per_second": [round(r) for r in rates],
            "generated_lines": args.lines,
            "python": platform.python_version(),
            "machine": platform.machine(),
        }
        args.output.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if ok and fast else 1


if __name__ == "__main__":
    raise SystemExit(main())
