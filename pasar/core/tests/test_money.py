import pytest
from hypothesis import given
from hypothesis import strategies as st

from pasar.core.money import MAX_PRICE, format_number, format_rupiah, parse_rupiah


@pytest.mark.parametrize(
    ("amount", "text"),
    [(12500, "Rp12.500"), (0, "Rp0"), (500, "Rp500"), (1_000_000, "Rp1.000.000"), (MAX_PRICE, "Rp100.000.000")],
)
def test_format_rupiah_writes_thousands_dots_and_no_space(amount, text):
    assert format_rupiah(amount) == text


def test_format_rupiah_of_nothing_is_empty():
    assert format_rupiah(None) == ""


def test_format_number_uses_decimal_comma():
    assert format_number(1234.5) == "1.234,5"
    assert format_number(250) == "250"


@pytest.mark.parametrize(
    "text", ["12500", "12.500", "Rp 12.500", "Rp12.500,-", "rp12500", "Rp. 12.500", "12.500,00", " 12.500 "]
)
def test_parse_rupiah_accepts_what_people_type(text):
    assert parse_rupiah(text) == 12500


@pytest.mark.parametrize(
    "text", ["12.50", "1.2345", "abc", "", "-5", "12,500", "Rp", "12.500,5", "1e4", "12500 rupiah", "12 50", "1 2500"]
)
def test_parse_rupiah_refuses_what_is_not_a_whole_amount(text):
    assert parse_rupiah(text) is None


def test_parse_rupiah_of_large_grouped_amounts():
    assert parse_rupiah("1.250.000") == 1_250_000
    assert parse_rupiah("1 250 000") == 1_250_000
    assert parse_rupiah("Rp100.000.000") == MAX_PRICE


@given(st.integers(min_value=0, max_value=MAX_PRICE))
def test_format_then_parse_round_trips(amount):
    assert parse_rupiah(format_rupiah(amount)) == amount
