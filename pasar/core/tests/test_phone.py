import pytest

from pasar.core.phone import display_phone, normalize_phone


@pytest.mark.parametrize(
    "text",
    ["0812-3456-7890", "081234567890", "6281234567890", "+62 812 3456 7890", "+6281234567890", " 0812 3456 7890 "],
)
def test_normalize_phone_gives_e164(text):
    assert normalize_phone(text) == "+6281234567890"


@pytest.mark.parametrize(
    "text",
    ["+1 650 253 0000", "+60 12-345 6789", "abc", "", "0812", "0812-3456-7890-1234-5678", "62", "+62"],
)
def test_normalize_phone_refuses_foreign_and_garbage(text):
    assert normalize_phone(text) is None


def test_display_phone_writes_the_local_form():
    assert display_phone("+6281234567890") == "0812-3456-7890"


def test_display_phone_leaves_unparseable_text_alone():
    assert display_phone("not a phone") == "not a phone"
