"""The parser on lists as people text a jastip (issue 13 item 6): chatter, Javanese and Sundanese numbers and
words, packaged goods and brands, chicken parts, santan, green chillies, reduplication, a unit before its
number, pack size against count; and the figures on whole chat lists (bench/data/shopping_chat_*.tsv)."""

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from bench.parser_chat import DEV, FRESH, HELDOUT, load, score
from pasar.catalog.shopping_list import parse_item, parse_list, split_items


def _triple(line):
    parsed = parse_item(line)
    return (parsed.item, parsed.quantity, parsed.unit)


@pytest.mark.parametrize(
    "line",
    [
        "Bu, titip ya 🙏",
        "makasih bu 🙏",
        "belanjaan hari ini:",
        "Belanjaan buat arisan besok:",
        "belanja ayam:",  # a heading, even one naming goods
        "Assalamualaikum bu Euis",
        "Punten teh",  # Sundanese "sister", not tea
        "matur nuwun mbak",
        "hatur nuhun",
        "itu aja ya bu",
        "dianter jam 10 ya pak",
        "alamat: jl. kenanga no 12",
        "🙏🙏",
        "oke, ditunggu",
        "Mbak, nyuwun tulung ditumbaske",  # affixed chat words: di-tumbas-ke
        "Tolong dibeliin yg seger2 ya",
        "Teh, abdi bade mesen",
        "makasih banyak bu 🙏🙏",  # a thanks makes the line chat whatever else it says
        "P",
        "1. Sayur",  # a section heading alone on its line
        "Bumbu dapur",
    ],
)
def test_chatter_is_marked_and_never_an_item(line):
    for parsed in parse_list(line):
        assert parsed.chatter, parsed
        assert (parsed.item, parsed.quantity, parsed.unit, parsed.note) == (None, None, None, "")
        assert parsed.as_json()["chatter"] is True


@pytest.mark.parametrize(
    "line",
    [
        "sabun 2",
        "sabun",
        "tempe",
        "5.",
        "teh 1 kotak",
        "ayam 1 ekor",
        "bu titip cabe rawit 10rb",
        "garam",
        "5rb",
        "beli sabun ya bu",
        "dibeliin sabun",
        "titip kerupuk",
        "sabunnya",
        "buah 2",  # a heading word with a number is not a heading
        "sayur sop",
    ],  # asking words never hide an item
)
def test_an_item_or_anything_unknown_is_not_chatter(line):
    (parsed,) = parse_list(line)
    assert not parsed.chatter
    assert "chatter" not in parsed.as_json()


def test_a_heading_in_front_of_an_item_is_split_off():
    heading, item = parse_list("belanjaan hari ini: bawang merah 1/4")

    assert heading.chatter
    assert (item.raw, item.item, item.quantity, item.unit) == (
        "bawang merah 1/4",
        "bawang merah",
        Decimal("0.25"),
        "kg",
    )
    assert split_items("ayam: 1 ekor") == ["ayam: 1 ekor"]  # a colon inside an item is not a heading


@pytest.mark.parametrize(
    ("line", "item", "quantity", "unit"),
    [
        ("endog sakilo", "telur ayam", "1", "kg"),
        ("tempe loro", "tempe", "2", "papan"),
        ("brambang sak ons", "bawang merah", "100", "g"),
        ("bawang beureum 1/4", "bawang merah", "0.25", "kg"),
        ("bawang bodas sa ons", "bawang putih", "100", "g"),
        ("lombok abang seprapat", "cabai merah keriting", "0.25", "kg"),
        ("tahu siji", "tahu", "1", "biji"),
        ("tahu telu", "tahu", "3", "biji"),
        ("tempe papat", "tempe", "4", "papan"),
        ("tahu limo", "tahu", "5", "biji"),
        ("tahu hiji", "tahu", "1", "biji"),
        ("tempe tilu", "tempe", "3", "papan"),
        ("tomat satengah kilo", "tomat", "0.5", "kg"),
        ("endog setengah kilo", "telur ayam", "0.5", "kg"),
        ("kangkung saiket", "kangkung", "1", "ikat"),
        ("beras rong kilo", "beras", "2", "kg"),
        ("lombok rawit limang ewu", "cabai rawit merah", "5000", "rupiah"),
        ("cengek sewu", "cabai rawit merah", "1000", "rupiah"),
        ("tomat sarebu", "tomat", "1000", "rupiah"),
        ("uyah 1 bks", "garam", "1", "bungkus"),
        ("gendis 1 kilo", "gula pasir", "1", "kg"),
        ("pitik 1 ekor", "daging ayam", "1", "ekor"),
        ("hayam 1 ekor", "daging ayam", "1", "ekor"),
        ("iwak bandeng 2", "ikan bandeng", "2", "ekor"),
        ("lauk mas 1 kilo", "ikan mas", "1", "kg"),
        ("kacang dowo siji iket", "kacang panjang", "1", "ikat"),
        ("jeruk limo 2", "jeruk nipis", "2", "buah"),  # "limo" inside a name is not five
        ("beras 1 sak", "beras", "1", "pcs"),  # after a number, "sak" is a sack
    ],
)
def test_javanese_and_sundanese_numbers_and_words(line, item, quantity, unit):
    assert _triple(line) == (item, Decimal(quantity), unit)


@pytest.mark.parametrize(
    ("line", "item", "quantity", "unit", "note"),
    [
        ("Bimoli 2 liter", "minyak goreng kemasan", "2", "l", "Bimoli"),
        ("minyak filma 2 liter", "minyak goreng kemasan", "2", "l", "filma"),
        ("indomie goreng 5 bungkus", "mie instan", "5", "bungkus", "indomie goreng"),
        ("indomie soto 10", "mie instan", "10", "bungkus", "indomie soto"),
        ("aqua galon 1", "air mineral", "1", "pcs", "aqua galon"),
        ("galon aqua 1", "air mineral", "1", "pcs", "aqua"),
        ("air galon 2", "air mineral", "2", "pcs", "galon"),
        ("royco 5 sachet", "penyedap rasa", "5", "sachet", "royco"),
        ("masako ayam 3", "penyedap rasa", "3", "sachet", "masako"),
        ("kecap bango 1 botol", "kecap manis", "1", "botol", "bango"),
        ("tepung bogasari 1 kg", "tepung terigu kemasan", "1", "kg", "bogasari"),  # the brand beats "tepung"
        ("gulaku 1 kg", "gula pasir", "1", "kg", "gulaku"),
        ("kopi kapal api 5 sachet", "kopi", "5", "sachet", "kapal api"),
        ("frisian flag 2 kaleng", "susu kental manis", "2", "pcs", "frisian flag"),
        ("santan kara 2", "santan", "2", "bungkus", "kara"),
    ],
)
def test_packaged_goods_map_to_their_commodity_with_the_brand_kept(line, item, quantity, unit, note):
    parsed = parse_item(line)

    assert (parsed.item, parsed.quantity, parsed.unit) == (item, Decimal(quantity), unit)
    assert note.lower() in parsed.note.lower()


@pytest.mark.parametrize(
    ("line", "item", "quantity", "unit"),
    [
        ("paha ayam 4", "paha ayam", "4", "potong"),  # not four whole chickens
        ("paha ayam 1 kg", "paha ayam", "1", "kg"),
        ("paha bawah 6", "paha ayam", "6", "potong"),
        ("dada ayam 1/2 kg", "dada ayam", "0.5", "kg"),
        ("dada 1 kg", "dada ayam", "1", "kg"),
        ("fillet dada 500 gr", "dada ayam", "500", "g"),
        ("sayap ayam 1 kg", "sayap ayam", "1", "kg"),
        ("sayap 10", "sayap ayam", "10", "potong"),
        ("ceker 1/2 kg", "ceker ayam", "0.5", "kg"),
        ("ati ampela 5", "ati ampela", "5", "buah"),
        ("ati ampela 3 pasang", "ati ampela", "3", None),
        ("hati ayam 1/4", "ati ampela", "0.25", "kg"),
        ("ayam 1 ekor potong 8", "daging ayam", "1", "ekor"),  # a whole chicken is still one
        ("ayam potong 2", "daging ayam", "2", "ekor"),
    ],
)
def test_chicken_parts_are_their_own_products(line, item, quantity, unit):
    assert _triple(line) == (item, Decimal(quantity), unit)


@pytest.mark.parametrize(
    ("line", "item"),
    [
        ("santan 2 bungkus", "santan"),
        ("santan kara 1", "santan"),
        ("200 ml santan", "santan"),
        ("kelapa parut 1 butir", "kelapa"),
        ("kelapa 1", "kelapa"),
        ("cabe ijo 1 ons", "cabai hijau"),
        ("cabe hijau 1/4", "cabai hijau"),
        ("lombok ijo sak ons", "cabai hijau"),
        ("cabe rawit ijo 1 ons", "cabai rawit hijau"),
        ("rawit ijo 1 ons", "cabai rawit hijau"),
        ("cengek hejo 2rb", "cabai rawit hijau"),
        ("cabe rawit 1 ons", "cabai rawit merah"),
    ],
)
def test_santan_is_not_kelapa_and_green_chillies_are_not_rawit(line, item):
    assert parse_item(line).item == item


@pytest.mark.parametrize(
    ("line", "quantity", "unit", "note"),
    [
        ("tomat merah2 1 kg", "1", "kg", "merah2"),
        ("tomat 1 kg merah2", "1", "kg", "merah2"),
        ("wortel yg gede2 1/2 kg", "0.5", "kg", "yg gede2"),
        ("telur 1 kg yang besar2", "1", "kg", "yang besar2"),
    ],
)
def test_reduplication_is_not_a_number(line, quantity, unit, note):
    parsed = parse_item(line)

    assert (parsed.quantity, parsed.unit, parsed.note) == (Decimal(quantity), unit, note)
    assert parse_item("cabe merah2").quantity is None


@pytest.mark.parametrize(
    ("line", "item", "quantity", "unit"),
    [
        ("kecap sachet 10", "kecap manis", "10", "sachet"),
        ("telur kilo 1", "telur ayam", "1", "kg"),
        ("tempe papan 3", "tempe", "3", "papan"),
        ("kangkung iket 2", "kangkung", "2", "ikat"),
        ("ayam 2 ekor 3", "daging ayam", "2", "ekor"),  # the unit belongs to the number before it
    ],
)
def test_a_unit_before_the_number(line, item, quantity, unit):
    assert _triple(line) == (item, Decimal(quantity), unit)


@pytest.mark.parametrize(
    ("line", "item", "quantity", "unit", "note"),
    [
        ("aqua 600ml 2 botol", "air mineral", "2", "botol", "600 ml"),
        ("le minerale 1500ml 1 botol", "air mineral", "1", "botol", "1500 ml"),
        ("indomie 75 gr 5", "mie instan", "5", "bungkus", "75 gr"),
        ("minyak kita 1 liter 2 botol", "minyakita", "2", "botol", "1 liter"),
        ("2 botol aqua 600ml", "air mineral", "2", "botol", "600ml"),
        ("gula 1 kg 2", "gula pasir", "1", "kg", "2"),  # weighed goods keep their weight
    ],
)
def test_pack_size_against_count(line, item, quantity, unit, note):
    parsed = parse_item(line)

    assert (parsed.item, parsed.quantity, parsed.unit) == (item, Decimal(quantity), unit)
    assert note in parsed.note


def test_the_console_command_marks_chatter_and_keeps_one_object_per_piece():
    pasar = Path(sys.executable).parent / "pasar"
    text = "Bu, titip ya 🙏\nbelanjaan hari ini:\nendog sakilo\naqua 600ml 2 botol\nmakasih bu 🙏\n"

    done = subprocess.run([str(pasar), "parse-list"], input=text.encode(), capture_output=True, timeout=60, check=False)

    assert done.returncode == 0, done.stderr
    items = json.loads(done.stdout)
    assert [item.get("chatter", False) for item in items] == [True, True, True, False, False, True]
    assert items[3] == {"raw": "endog sakilo", "item": "telur ayam", "quantity": 1, "unit": "kg", "note": ""}
    assert items[4] == {"raw": "aqua 600ml 2 botol", "item": "air mineral", "quantity": 2, "unit": "botol",
                        "note": "aqua 600 ml"}  # fmt: skip
    assert all(item["item"] is None for item in items if item.get("chatter"))


@pytest.mark.parametrize("path", [DEV, HELDOUT, FRESH], ids=lambda p: p.name)
def test_whole_chat_lists_meet_the_bar(path):
    scores = score(load(path))

    misses = "\n".join(scores.misses)
    assert scores.ratio(scores.right, scores.lines) >= 0.9, misses
    assert scores.ratio(scores.chatter_right, scores.chatter_marked) >= 0.9, misses  # chatter precision
    assert scores.ratio(scores.named_right, scores.named) >= 0.9, misses  # item precision
