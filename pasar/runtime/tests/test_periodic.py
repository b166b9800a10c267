from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from pasar.runtime import periodic
from pasar.runtime.periodic import Job, Run

WIB = ZoneInfo("Asia/Jakarta")


def job(**kwargs):
    return Job(name="t", function=lambda run: None, **kwargs)


def test_every_buckets_are_aligned_to_the_epoch():
    every15 = job(seconds=15)
    assert every15.due_at(datetime(2026, 12, 2, 3, 0, 14, tzinfo=UTC)) == datetime(2026, 12, 2, 3, 0, 0, tzinfo=UTC)
    assert every15.due_at(datetime(2026, 12, 2, 3, 0, 15, tzinfo=UTC)) == datetime(2026, 12, 2, 3, 0, 15, tzinfo=UTC)
    assert every15.next_due_at(datetime(2026, 12, 2, 3, 0, 14, tzinfo=UTC)) == datetime(
        2026, 12, 2, 3, 0, 15, tzinfo=UTC
    )


def test_daily_bucket_is_the_latest_local_time_passed():
    nightly = job(at=time(0, 30))
    # 00:10 WIB on the 3rd is still before that day's 00:30: the bucket is the 2nd's.
    assert nightly.due_at(datetime(2026, 12, 3, 0, 10, tzinfo=WIB)) == datetime(2026, 12, 2, 0, 30, tzinfo=WIB)
    assert nightly.due_at(datetime(2026, 12, 3, 0, 30, tzinfo=WIB)) == datetime(2026, 12, 3, 0, 30, tzinfo=WIB)
    # 23:50 UTC on the 2nd is 06:50 WIB on the 3rd: the day is Jakarta's, not UTC's.
    assert nightly.due_at(datetime(2026, 12, 2, 23, 50, tzinfo=UTC)) == datetime(2026, 12, 3, 0, 30, tzinfo=WIB)
    assert nightly.next_due_at(datetime(2026, 12, 3, 1, 0, tzinfo=WIB)) == datetime(2026, 12, 4, 0, 30, tzinfo=WIB)


def test_run_local_date_is_jakartas():
    run = Run(due_at=datetime(2026, 12, 2, 17, 30, tzinfo=UTC), previous=None)  # 00:30 WIB on the 3rd
    assert run.local_date.isoformat() == "2026-12-03"


@pytest.mark.parametrize("seconds", [0, 7, 86401])
def test_every_refuses_periods_that_do_not_tile_a_day(seconds):
    with pytest.raises(ValueError, match="divide a day"):
        periodic.every(seconds=seconds, name="x.bad")


def test_two_jobs_cannot_share_a_name():
    periodic.every(seconds=60, name="test.unique")(lambda run: 1)
    try:
        with pytest.raises(ValueError, match="two periodic jobs"):
            periodic.every(seconds=60, name="test.unique")(lambda run: 2)
    finally:
        periodic.JOBS.pop("test.unique")


def test_discover_finds_every_apps_jobs():
    jobs = periodic.discover()
    assert {
        "delivery.dispatch",
        "pricing.aggregate_today",
        "dashboards.aggregate",
        "dashboards.expire_exports",
        "runtime.recover_tasks",
        "runtime.prune",
        "runtime.backup",
        "privacy.retention",
    } <= set(jobs)
    assert jobs["delivery.dispatch"].seconds == 15
    assert jobs["dashboards.aggregate"].at == time(0, 30)
