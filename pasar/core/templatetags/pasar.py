"""Template filters available everywhere (registered as a builtin in settings)."""

from decimal import Decimal

from django import template

from pasar.core.money import format_number, format_rupiah
from pasar.core.phone import display_phone

register = template.Library()


@register.filter
def rupiah(value: int | None) -> str:
    return format_rupiah(value)


@register.filter
def angka(value: float | int | Decimal | None) -> str:
    if value is None:
        return ""
    return format_number(float(value) if isinstance(value, Decimal) else value)


@register.filter
def telepon(value: str) -> str:
    return display_phone(value)
