"""The period selector: today, 7 days, 30 days, this month, or a custom from–to range."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_DAYS = 366
CHOICES = [
    ("today", gettext_lazy("Today")),
    ("7", gettext_lazy("7 days")),
    ("30", gettext_lazy("30 days")),
    ("month", gettext_lazy("This month")),
    ("custom", gettext_lazy("Custom")),
]
DEFAULT = "30"


@dataclass(frozen=True)
class Period:
    key: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    def query(self) -> str:
        """The query string that selects this period again (for links and forms)."""
        params = {"periode": self.key}
        if self.key == "custom":
            params |= {"dari": self.start.isoformat(), "sampai": self.end.isoformat()}
        return urlencode(params)


def preset(key: str, today: date) -> Period:
    if key == "today":
        return Period(key, today, today)
    if key == "7":
        return Period(key, today - timedelta(days=6), today)
    if key == "month":
        return Period(key, today.replace(day=1), today)
    return Period("30", today - timedelta(days=29), today)


def parse_period(params: Mapping[str, str], today: date) -> tuple[Period, str | None]:
    """The period asked for in ``params``; a bad custom range gives the default period and a message."""
    key = params.get("periode") or DEFAULT
    if key != "custom":
        return preset(key, today), None
    try:
        start = date.fromisoformat(params.get("dari", ""))
        end = date.fromisoformat(params.get("sampai", ""))
    except ValueError:
        return preset(DEFAULT, today), _("Enter both dates of the custom period as YYYY-MM-DD.")
    if start > end:
        return preset(DEFAULT, today), _("The start of the period must not be after its end.")
    if end > today:
        return preset(DEFAULT, today), _("The period cannot end in the future.")
    if (end - start).days + 1 > MAX_DAYS:
        return preset(DEFAULT, today), _("A period can cover at most 366 days.")
    return Period("custom", start, end), None
