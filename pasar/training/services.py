"""Writes for training: events and attendance (attending moves a registered trader to "trained")."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.markets.models import Market
from pasar.regions.models import Region
from pasar.traders.models import Trader
from pasar.traders.services import trader_set_status
from pasar.training.access import traders_of_event
from pasar.training.models import Attendance, TrainingEvent


@dataclass(frozen=True)
class EventInput:
    date: date
    place: str
    topic: str
    organiser_kind: str
    organiser_name: str = ""


def event_create(
    *, by: User, data: EventInput, market: Market | None = None, region: Region | None = None
) -> TrainingEvent:
    """Record an event for one market or one region (the caller passed the access gate for it)."""
    if (market is None) == (region is None):
        raise DomainError(_("Choose a market or a region for the event."), code="event_scope")
    if data.organiser_kind not in TrainingEvent.Organiser.values:
        raise DomainError(_("Choose who organised the event."), code="event_organiser", field="organiser_kind")
    if not data.place.strip() or not data.topic.strip():
        raise DomainError(_("Enter the place and the topic."), code="event_incomplete")
    if data.date > timezone.localdate() + timedelta(days=366):
        raise DomainError(_("The date is too far ahead."), code="event_date", field="date")
    return TrainingEvent.objects.create(
        date=data.date, place=data.place.strip(), topic=data.topic.strip(), organiser_kind=data.organiser_kind,
        organiser_name=data.organiser_name.strip(), market=market, region=region, created_by=by,
    )  # fmt: skip


@dataclass(frozen=True)
class AttendanceChange:
    added: int
    removed: int
    now_trained: int


@transaction.atomic
def attendance_record(
    *, event: TrainingEvent, by: User, present: Collection[int], shown: Collection[int]
) -> AttendanceChange:
    """Tick the ``present`` traders among those ``shown`` on the page; untick the rest of ``shown``.

    A trader who attends while only "registered" becomes "trained" (through the traders service, never
    backwards). Unticking removes the attendance but leaves the status: training did happen to others.
    """
    shown_ids = set(shown)
    present_ids = set(present)
    if not present_ids <= shown_ids:
        raise DomainError(_("One of these traders is not on the list."), code="attendance_unknown")
    allowed = set(traders_of_event(event).filter(pk__in=shown_ids).values_list("pk", flat=True))
    if allowed != shown_ids:
        raise DomainError(_("One of these traders is not on the list."), code="attendance_unknown")
    already = set(event.attendances.filter(trader_id__in=shown_ids).values_list("trader_id", flat=True))
    new = sorted(present_ids - already)
    gone = already - present_ids
    Attendance.objects.bulk_create([Attendance(event=event, trader_id=t, recorded_by=by) for t in new])
    removed, _count = event.attendances.filter(trader_id__in=gone).delete()
    trained = 0
    held = datetime.combine(event.date, time(0), tzinfo=timezone.get_current_timezone())
    for trader in Trader.objects.select_for_update().filter(pk__in=new, status=Trader.Status.REGISTERED).order_by("pk"):
        trader_set_status(trader=trader, status=Trader.Status.TRAINED, at=min(held, timezone.now()))
        trained += 1
    return AttendanceChange(added=len(new), removed=removed, now_trained=trained)
