from datetime import date

from pasar.dashboards.periods import parse_period

TODAY = date(2025, 3, 15)


def test_presets():
    assert parse_period({"periode": "today"}, TODAY)[0].start == TODAY
    assert parse_period({"periode": "7"}, TODAY)[0].start == date(2025, 3, 9)
    assert parse_period({"periode": "30"}, TODAY)[0].days == 30
    assert parse_period({"periode": "month"}, TODAY)[0].start == date(2025, 3, 1)
    assert parse_period({}, TODAY)[0].days == 30


def test_custom_range_and_its_query():
    period, error = parse_period({"periode": "custom", "dari": "2025-01-01", "sampai": "2025-01-31"}, TODAY)
    assert error is None
    assert (period.start, period.end, period.days) == (date(2025, 1, 1), date(2025, 1, 31), 31)
    assert parse_period(dict(p.split("=") for p in period.query().split("&")), TODAY)[0] == period


def test_bad_custom_ranges_are_refused_with_a_reason():
    for params in (
        {"periode": "custom", "dari": "2025-02-01", "sampai": "2025-01-01"},
        {"periode": "custom", "dari": "2025-03-01", "sampai": "2025-03-20"},
        {"periode": "custom", "dari": "2023-01-01", "sampai": "2025-01-01"},
        {"periode": "custom", "dari": "kemarin", "sampai": ""},
    ):
        period, error = parse_period(params, TODAY)
        assert error
        assert period.key == "30"
