from datetime import date

import pytest

from pasar.standing.dates import cutoff_of, next_date, schedule_dates
from pasar.standing.models import StandingOrder
from pasar.standing.tests.scenarios import WIB


def _standing(market, **fields):
    values = {"every": "weekdays", "weekdays": "14", "starts_on": date(2026, 12, 1), **fields}
    return StandingOrder(market=market, **values)


@pytest.mark.django_db
def test_weekdays_are_mondays_and_thursdays(market):
    dates = list(schedule_dates(_standing(market), start=date(2026, 12, 1), end=date(2026, 12, 14)))
    assert dates == [date(2026, 12, 3), date(2026, 12, 7), date(2026, 12, 10), date(2026, 12, 14)]


@pytest.mark.django_db
def test_every_n_days_counts_from_the_start_date(market):
    standing = _standing(market, every="days", weekdays="", interval_days=3, starts_on=date(2026, 12, 2))
    dates = list(schedule_dates(standing, start=date(2026, 12, 4), end=date(2026, 12, 12)))
    assert dates == [date(2026, 12, 5), date(2026, 12, 8), date(2026, 12, 11)]


@pytest.mark.django_db
def test_end_date_and_closed_days(market):
    market.open_days = "123456"  # closed on Sunday
    standing = _standing(market, every="days", weekdays="", interval_days=1, ends_on=date(2026, 12, 8))
    dates = list(schedule_dates(standing, start=date(2026, 12, 5), end=date(2026, 12, 31)))
    assert dates == [date(2026, 12, 5), date(2026, 12, 7), date(2026, 12, 8)]
    assert next_date(standing, after=date(2026, 12, 8)) is None


@pytest.mark.django_db
def test_cutoff_is_the_markets_on_that_day(market):
    assert cutoff_of(market, date(2026, 12, 7)).astimezone(WIB).isoformat() == "2026-12-07T11:00:00+07:00"
