from decimal import Decimal

import pytest

from pasar.core.errors import DomainError
from pasar.notifications.models import Notification
from pasar.orders.models import Cart, CartLine, Order, OrderLine
from pasar.orders.services.cart import cart_set
from pasar.standing import services
from pasar.standing.models import Run
from pasar.standing.placing import idempotency_key, runs_settle
from pasar.standing.tests.scenarios import MONDAY, THURSDAY, at, mon_thu, restaurant

pytestmark = pytest.mark.django_db
WEDNESDAY = at(THURSDAY, 10).replace(day=2)


def _run(standing, day):
    return Run.objects.get(standing=standing, date=day)


def test_the_next_date_exists_up_front_as_a_draft_with_todays_prices():
    r = restaurant()
    standing = mon_thu(r, now=WEDNESDAY)
    draft = services.next_run(standing, now=WEDNESDAY)
    assert draft is not None
    assert draft.date == THURSDAY
    assert draft.state == Run.State.DRAFT
    assert {line.product_id: line.price_seen for line in draft.lines.all()} == {
        r.cabai.pk: 60000,
        r.bawang.pk: 40000,
        r.ayam.pk: 45000,
    }
    assert list(standing.runs.values_list("date", flat=True)) == [THURSDAY]


def test_a_date_whose_cutoff_passed_before_creation_is_not_planned():
    r = restaurant()
    standing = mon_thu(r, now=at(THURSDAY, 12))
    assert list(standing.runs.values_list("date", flat=True)) == [MONDAY]


def test_draft_edits_until_the_cutoff_then_refused_with_the_time():
    r = restaurant()
    standing = mon_thu(r, now=WEDNESDAY)
    draft = _run(standing, THURSDAY)
    services.run_set_line(run=draft, product=r.cabai, quantity=Decimal("0.5"), now=at(THURSDAY, 10, 59))
    services.run_set_line(run=draft, product=r.bawang, quantity=Decimal(0), now=at(THURSDAY, 10, 59))
    assert {line.product_id: line.quantity for line in draft.lines.all()} == {r.cabai.pk: Decimal("0.5"), r.ayam.pk: 4}
    with pytest.raises(DomainError, match="11.00") as refused:
        services.run_set_line(run=draft, product=r.cabai, quantity=Decimal(1), now=at(THURSDAY, 11))
    assert refused.value.code == "after_cutoff"
    with pytest.raises(DomainError, match="after_cutoff|11.00"):
        services.run_set_skipped(run=draft, skipped=True, now=at(THURSDAY, 11, 1))
    # The standing order's own lines are untouched: next Monday orders the usual.
    monday = services.runs_plan(standing, now=at(THURSDAY, 12))
    assert monday is not None
    assert monday.date == MONDAY
    assert monday.lines.count() == 3


def test_cutoff_places_one_order_for_the_date_with_that_days_prices():
    r = restaurant()
    standing = mon_thu(r, now=WEDNESDAY)
    r.cabai.price = 65000
    r.cabai.save()
    counts = runs_settle(now=at(THURSDAY, 11, 5))
    assert counts == {"placed": 1}
    run = _run(standing, THURSDAY)
    order = run.order
    assert order is not None
    assert order.for_date == THURSDAY
    assert order.idempotency_key == idempotency_key(run)
    prices = dict(OrderLine.objects.filter(part__order=order).values_list("name", "unit_price"))
    assert prices == {"Cabai Rawit": 65000, "Bawang Merah": 40000, "Ayam Potong": 45000}
    assert order.parts.count() == 3
    r.ayam.refresh_from_db()
    assert r.ayam.stock == 6
    assert OrderLine.objects.get(part__order=order, name="Ayam Potong").note.startswith("Tanpa pengganti")
    note = Notification.objects.get(user=r.buyer, key__startswith="standing:")
    assert "Rp60.000" in note.params["changes"]
    assert "Rp65.000" in note.params["changes"]
    # The next draft (Monday) exists at once; running again changes nothing.
    assert runs_settle(now=at(THURSDAY, 11, 10)) == {}
    assert Order.objects.filter(buyer=r.buyer).count() == 1
    after = services.next_run(standing, now=at(THURSDAY, 11, 10))
    assert after is not None
    assert after.date == MONDAY


def test_out_of_stock_is_dropped_and_reported_not_a_failure():
    r = restaurant()
    standing = mon_thu(r, now=WEDNESDAY, ayam=4)
    r.ayam.stock = 0
    r.ayam.save()
    r.bawang.available = False
    r.bawang.save()
    runs_settle(now=at(THURSDAY, 11))
    run = _run(standing, THURSDAY)
    assert run.state == Run.State.PLACED
    assert list(OrderLine.objects.filter(part__order=run.order).values_list("name", flat=True)) == ["Cabai Rawit"]
    assert {d["name"]: d["reason"] for d in run.report["dropped"]} == {
        "Ayam Potong": "out_of_stock",
        "Bawang Merah": "unavailable",
    }
    note = Notification.objects.get(user=r.buyer, key__startswith="standing:")
    assert "Ayam Potong" in note.params["changes"]
    assert "Bawang Merah" in note.params["changes"]


def test_short_counted_stock_is_capped_and_reported():
    r = restaurant()
    standing = mon_thu(r, now=WEDNESDAY, ayam=4)
    r.ayam.stock = 3
    r.ayam.save()
    runs_settle(now=at(THURSDAY, 11))
    run = _run(standing, THURSDAY)
    assert OrderLine.objects.get(part__order=run.order, name="Ayam Potong").quantity == 3
    assert run.report["reduced"] == [{"name": "Ayam Potong", "got": "3", "unit": "ekor", "wanted": "4"}]
    r.ayam.refresh_from_db()
    assert r.ayam.stock == 0


def test_nothing_left_means_no_order_and_the_buyer_is_told():
    r = restaurant()
    standing = mon_thu(r, now=WEDNESDAY)
    for product in (r.cabai, r.bawang, r.ayam):
        product.available = False
        product.save()
    assert runs_settle(now=at(THURSDAY, 11)) == {"empty": 1}
    assert not Order.objects.exists()
    assert _run(standing, THURSDAY).state == Run.State.EMPTY
    assert Notification.objects.filter(user=r.buyer, message__contains="nothing on it").count() == 1


def test_the_buyers_own_cart_survives_the_placement():
    r = restaurant()
    standing = mon_thu(r, now=WEDNESDAY)
    cart_set(buyer=r.buyer, product=r.bawang, quantity=Decimal(5), note="untuk rumah")
    runs_settle(now=at(THURSDAY, 11))
    assert _run(standing, THURSDAY).state == Run.State.PLACED
    cart = Cart.objects.get(buyer=r.buyer, market=r.market)
    assert list(CartLine.objects.filter(cart=cart).values_list("product_id", "quantity", "note")) == [
        (r.bawang.pk, Decimal(5), "untuk rumah")
    ]


def test_catch_up_places_todays_late_marks_past_missed_never_doubles():
    r = restaurant()
    standing = mon_thu(r, now=WEDNESDAY)
    # Server down from Wednesday until the next Thursday at 12:00: Thursday 3 and Monday 7 are past.
    late = at(THURSDAY, 12).replace(day=10)
    counts = runs_settle(now=late)
    states = dict(standing.runs.values_list("date", "state"))
    assert states[THURSDAY] == "missed"
    assert states[MONDAY] == "missed"
    assert states[late.date()] == "placed"
    assert counts == {"missed": 2, "placed": 1}
    assert Order.objects.get(buyer=r.buyer).for_date == late.date()
    assert Notification.objects.filter(user=r.buyer, message__contains="was missed").count() == 2
    assert runs_settle(now=late) == {}
    assert Order.objects.filter(buyer=r.buyer).count() == 1


def test_paused_dates_are_skipped_and_resume_plans_the_next():
    r = restaurant()
    standing = mon_thu(r, now=WEDNESDAY)
    services.standing_set_paused(standing=standing, paused=True, now=WEDNESDAY)
    runs_settle(now=at(THURSDAY, 11))
    run = _run(standing, THURSDAY)
    assert run.state == Run.State.SKIPPED
    assert run.paused
    assert not Order.objects.exists()
    services.standing_set_paused(standing=standing, paused=False, now=at(THURSDAY, 12))
    runs_settle(now=at(MONDAY, 11))
    assert _run(standing, MONDAY).state == Run.State.PLACED


def test_a_skipped_date_is_not_placed():
    r = restaurant()
    standing = mon_thu(r, now=WEDNESDAY)
    services.run_set_skipped(run=_run(standing, THURSDAY), skipped=True, now=WEDNESDAY)
    assert runs_settle(now=at(THURSDAY, 11)) == {}
    assert _run(standing, THURSDAY).state == Run.State.SKIPPED
    assert not Order.objects.exists()


def test_nothing_after_the_end_date():
    r = restaurant()
    standing = mon_thu(r, now=WEDNESDAY, ends_on=THURSDAY)
    runs_settle(now=at(THURSDAY, 11))
    runs_settle(now=at(MONDAY, 11))
    assert list(standing.runs.values_list("date", "state")) == [(THURSDAY, "placed")]
    assert services.next_run(standing, now=at(MONDAY, 11)) is None


def test_editing_the_schedule_replans_the_drafts_at_once():
    r = restaurant()
    standing = mon_thu(r, now=WEDNESDAY)
    services.standing_set_schedule(
        standing=standing,
        schedule=services.Schedule("days", "", 2, WEDNESDAY.date(), None),
        now=WEDNESDAY,
    )
    # Thursday 3 is not on "every 2 days from Wednesday 2": its draft goes; today (before 11.00) comes.
    assert list(standing.runs.values_list("date", flat=True)) == [WEDNESDAY.date()]


def test_schedule_and_fulfilment_are_checked():
    r = restaurant()
    r.market.open_days = "12345"
    r.market.save()
    with pytest.raises(DomainError) as closed:
        services.standing_create(
            buyer=r.buyer,
            market=r.market,
            name="x",
            schedule=services.Schedule("weekdays", "16", None, WEDNESDAY.date(), None),
            fulfilment=_delivery(),
            lines=[services.LineInput(r.bawang, Decimal(1))],
            now=WEDNESDAY,
        )
    assert closed.value.code == "closed_day"
    with pytest.raises(DomainError) as early:
        services.standing_create(
            buyer=r.buyer,
            market=r.market,
            name="x",
            schedule=services.Schedule("weekdays", "1", None, WEDNESDAY.date(), None),
            fulfilment=services.Fulfilment("pickup", "transfer", pickup_at=at(MONDAY, 8).time().replace(tzinfo=None)),
            lines=[services.LineInput(r.bawang, Decimal(1))],
            now=WEDNESDAY,
        )
    assert early.value.code == "pickup_at"


def _delivery():
    from pasar.standing.tests.scenarios import delivery

    return delivery()


def test_pickup_standing_order_books_the_slot_of_that_day():
    r = restaurant()
    standing = services.standing_create(
        buyer=r.buyer,
        market=r.market,
        name="Ambil",
        schedule=services.Schedule("weekdays", "4", None, WEDNESDAY.date(), None),
        fulfilment=services.Fulfilment("pickup", "transfer", pickup_at=at(MONDAY, 12).time().replace(tzinfo=None)),
        lines=[services.LineInput(r.bawang, Decimal(1))],
        now=WEDNESDAY,
    )
    runs_settle(now=at(THURSDAY, 11))
    order = _run(standing, THURSDAY).order
    assert order is not None
    assert order.pickup_slot is not None
    assert order.pickup_slot.starts_at == at(THURSDAY, 12)


def test_an_erased_buyers_standing_orders_stop():
    from pasar.privacy.services import person_anonymise
    from pasar.testing import factories

    r = restaurant()
    standing = mon_thu(r, now=WEDNESDAY)
    person_anonymise(user=r.buyer, by=factories.user(name="Admin"))
    assert not Run.objects.filter(standing_id=standing.pk).exists()
    assert runs_settle(now=at(THURSDAY, 11)) == {}
    assert not Order.objects.exists()


def test_a_refused_placement_is_reported_and_leaves_the_cart_alone():
    r = restaurant()
    standing = mon_thu(r, now=WEDNESDAY)
    cart_set(buyer=r.buyer, product=r.bawang, quantity=Decimal(1))
    r.market.delivery_radius_km = Decimal("0.5")
    r.market.save()
    assert runs_settle(now=at(THURSDAY, 11)) == {"failed": 1}
    run = _run(standing, THURSDAY)
    assert "km" in run.report["reason"]
    assert not Order.objects.exists()
    assert list(CartLine.objects.filter(cart__buyer=r.buyer).values_list("product_id", "quantity")) == [
        (r.bawang.pk, Decimal(1))
    ]
    assert Notification.objects.filter(user=r.buyer, key=f"standing:{run.pk}:failed").count() == 1


def test_skipping_ahead_does_not_hide_an_earlier_date_added_by_a_schedule_edit():
    r = restaurant()
    standing = mon_thu(r, now=WEDNESDAY)
    services.run_set_skipped(run=_run(standing, THURSDAY), skipped=True, now=WEDNESDAY)
    services.standing_set_schedule(
        standing=standing, schedule=services.Schedule("weekdays", "45", None, THURSDAY, None), now=WEDNESDAY
    )
    assert list(standing.runs.values_list("date", "state")) == [
        (THURSDAY, "skipped"),
        (THURSDAY.replace(day=4), "draft"),
    ]
