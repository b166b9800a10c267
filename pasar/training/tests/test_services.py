from datetime import date, timedelta

import pytest
from django.utils import timezone

from pasar.core.errors import DomainError
from pasar.testing import factories
from pasar.traders.models import Trader
from pasar.training.models import Attendance
from pasar.training.services import EventInput, attendance_record, event_create

EVENT = EventInput(
    date=date(2025, 3, 1), place="Balai pasar", topic="QRIS", organiser_kind="bank", organiser_name="BRI"
)


@pytest.fixture
def event(market, roles):
    return event_create(by=roles.operator, data=EVENT, market=market)


def test_attending_moves_a_registered_trader_to_trained_and_never_back(event, market, roles):
    fresh = factories.stall(market=market).trader
    active = factories.stall(market=market).trader
    Trader.objects.filter(pk=active.pk).update(status=Trader.Status.ACTIVE)

    change = attendance_record(
        event=event, by=roles.operator, present=[fresh.pk, active.pk], shown=[fresh.pk, active.pk]
    )

    assert (change.added, change.now_trained) == (2, 1)
    fresh.refresh_from_db()
    active.refresh_from_db()
    assert fresh.status == Trader.Status.TRAINED
    assert active.status == Trader.Status.ACTIVE
    # trained since the training's day (Asia/Jakarta), not since the attendance was typed in
    assert timezone.localtime(fresh.trained_at).date() == EVENT.date
    assert active.trained_at is None  # set by hand in the database: the attendance does not re-date it


def test_unticking_removes_attendance_but_keeps_the_status(event, market, roles):
    trader = factories.stall(market=market).trader
    attendance_record(event=event, by=roles.operator, present=[trader.pk], shown=[trader.pk])
    again = attendance_record(event=event, by=roles.operator, present=[trader.pk], shown=[trader.pk])
    assert (again.added, again.removed) == (0, 0)

    change = attendance_record(event=event, by=roles.operator, present=[], shown=[trader.pk])

    assert change.removed == 1
    assert not Attendance.objects.exists()
    trader.refresh_from_db()
    assert trader.status == Trader.Status.TRAINED


def test_a_trader_of_another_market_is_refused_and_nothing_written(event, other_market, roles, stall):
    outsider = factories.stall(market=other_market).trader
    with pytest.raises(DomainError):
        attendance_record(
            event=event, by=roles.operator, present=[outsider.pk, stall.trader_id], shown=[outsider.pk, stall.trader_id]
        )
    assert not Attendance.objects.exists()
    outsider.refresh_from_db()
    assert outsider.status == Trader.Status.REGISTERED


def test_region_event_reaches_traders_of_every_market_in_the_region(market, roles):
    nearby = factories.market(name="Pasar Kosambi", regency_code="32.73")
    trader = factories.stall(market=nearby).trader
    event = event_create(by=roles.officer, data=EVENT, region=market.region)
    change = attendance_record(event=event, by=roles.officer, present=[trader.pk], shown=[trader.pk])
    assert change.added == 1


@pytest.mark.parametrize(
    ("changes", "scope"),
    [
        ({"organiser_kind": "arisan"}, "market"),
        ({"place": "  "}, "market"),
        ({"date": timezone.localdate() + timedelta(days=400)}, "market"),
        ({}, "both"),
        ({}, "none"),
    ],
)
def test_bad_events_are_refused(market, roles, changes, scope):
    data = EventInput(**{**EVENT.__dict__, **changes})
    where = {"market": {"market": market}, "both": {"market": market, "region": market.region}, "none": {}}[scope]
    with pytest.raises(DomainError):
        event_create(by=roles.operator, data=data, **where)
