import pytest

from pasar.core.money import parse_rupiah
from pasar.core.numbers import parse_whole


@pytest.mark.parametrize(("text", "value"), [("12", 12), (" 7 ", 7), ("0", 0), ("1000000", 1_000_000)])
def test_whole_numbers_are_read(text, value):
    assert parse_whole(text, maximum=1_000_000) == value


@pytest.mark.parametrize(
    "text",
    ["", None, "²", "³5", "٣", "１２", "-1", "+1", "1.5", "1e3", "1_000", "1 2", "1000001", "9" * 25, "9" * 5000],
)
def test_anything_else_is_none(text):
    assert parse_whole(text, maximum=1_000_000) is None


@pytest.mark.parametrize("text", ["9" * 25, "9" * 5000, "²", "1²"])
def test_rupiah_too_long_or_not_ascii_is_none(text):
    assert parse_rupiah(text) is None
