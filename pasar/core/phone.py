"""Indonesian phone numbers: accept what people type, store E.164 (+628...)."""

import phonenumbers


def normalize_phone(text: str) -> str | None:
    """``0812-3456-7890`` / ``62812...`` / ``+62 812...`` → ``+6281234567890``; ``None`` if not Indonesian."""
    raw = (text or "").strip()
    if not raw:
        return None
    if raw.startswith("62") and not raw.startswith("+"):
        raw = "+" + raw
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 62 or not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """``+6281234567890`` → ``0812-3456-7890`` as it is written locally."""
    try:
        number = phonenumbers.parse(e164, "ID")
    except phonenumbers.NumberParseException:
        return e164
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return national.replace(" ", "-")
