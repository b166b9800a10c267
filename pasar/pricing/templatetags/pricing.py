from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from pasar.core.money import format_number
from pasar.pricing import charts

register = template.Library()


@register.simple_tag
def sparkline(values: list[int | None], label: str = "") -> SafeString:
    return charts.sparkline(values, label=label)


@register.filter
def change(percent: float | None) -> SafeString:
    """▲ 3,2 % / ▼ 1,5 % / = 0 %; "–" when a side has no data (never -100 %)."""
    if percent is None:
        return format_html('<span class="chg none" title="{}">–</span>', _("no data to compare"))
    rounded = round(percent, 1)
    if rounded == 0:
        return mark_safe('<span class="chg same">= 0 %</span>')  # noqa: S308 - a constant
    arrow, css = ("▲", "up") if rounded > 0 else ("▼", "down")
    return format_html('<span class="chg {}">{} {} %</span>', css, arrow, format_number(abs(rounded)))
