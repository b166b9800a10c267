"""PINs that are guessed first: one digit repeated, runs, repeated pairs, dates, the phone number itself.

Django's ``CommonPasswordValidator`` knows common passwords but few PINs. Studies of leaked PINs
(and of Indonesian ATM/e-wallet habits) put 123456, 111111, 000000, 121212, 112233, 123123 and
birth dates at the top; an attacker who tries one PIN across every trader tries those first.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

KNOWN = frozenset(
    {
        "123456", "654321", "123123", "112233", "121212", "123321", "159753", "147258", "147852", "789456",
        "456789", "102030", "101010", "131313", "520520", "110011", "100200", "123654", "696969", "998877",
        "12345678", "87654321", "11223344", "12341234", "1234", "4321", "1111", "0000", "1212", "2580",
    }
)  # fmt: skip


def _repeats_a_short_pattern(pin: str) -> bool:
    """111111, 121212, 123123, 12341234: a block of 1–4 digits repeated."""
    return any(len(pin) % n == 0 and pin == pin[:n] * (len(pin) // n) for n in range(1, min(4, len(pin) // 2) + 1))


def _is_a_run(pin: str) -> bool:
    """012345, 456789, 987654: each digit one more (or one less) than the one before."""
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    return steps in ({1}, {-1})


def _is_a_date(pin: str) -> bool:
    """A birth date: DDMMYY, YYMMDD, MMYYYY, YYYYMM, DDMMYYYY or YYYYMMDD with a year from 1930 to 2029."""

    def real(year: int, month: int, day: int) -> bool:
        try:
            date(year, month, day)
        except ValueError:
            return False
        return 1930 <= year <= 2029

    def year2(yy: str) -> int:
        return int(yy) + (1900 if int(yy) >= 30 else 2000)

    if len(pin) == 6:
        return (
            real(year2(pin[4:]), int(pin[2:4]), int(pin[:2]))  # DDMMYY
            or real(year2(pin[:2]), int(pin[2:4]), int(pin[4:]))  # YYMMDD
            or real(int(pin[2:]), int(pin[:2]), 1)  # MMYYYY
            or real(int(pin[:4]), int(pin[4:]), 1)  # YYYYMM
        )
    if len(pin) == 8:
        return real(int(pin[4:]), int(pin[2:4]), int(pin[:2])) or real(int(pin[:4]), int(pin[4:6]), int(pin[6:]))
    return False


def common_pin_reason(pin: str, *, phone: str = "") -> str | None:
    """Why this all-digit PIN is too easy to guess, or None. Passwords with letters are not PINs."""
    if not pin.isascii() or not pin.isdigit():
        return None
    if pin in KNOWN or _repeats_a_short_pattern(pin) or _is_a_run(pin):
        return _("This PIN is one of the first ones people try (like 123456 or 111111). Choose another.")
    if _is_a_date(pin):
        return _("This PIN looks like a date (a birthday is easy to guess). Choose another.")
    if phone and pin in phone.lstrip("+"):
        return _("This PIN is part of your phone number. Choose another.")
    return None


class CommonPinValidator:
    """Refuses PINs from ``common_pin_reason``; configured in ``AUTH_PASSWORD_VALIDATORS``."""

    def validate(self, password: str, user: Any = None) -> None:
        reason = common_pin_reason(password, phone=getattr(user, "phone", "") or "")
        if reason:
            raise ValidationError(reason, code="password_common_pin")

    def get_help_text(self) -> str:
        return _("Not an easy PIN: no repeated digits, runs, dates or part of your phone number.")
