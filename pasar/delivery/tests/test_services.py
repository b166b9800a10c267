from collections.abc import Callable

import pytest
from django.apps import apps

from pasar.core.errors import DomainError
from pasar.delivery import selectors, services
from pasar.delivery.models import CourierShift, Job, Offer, Trip
from pasar.delivery.tests.scenarios import at, couriers, product, ready_order
from pasar.orders.models import Order
from pasar.orders.services import fulfilment, search
from pasar.orders.services.placement import order_place
from pasar.orders.tests import staff_scenarios as sc
from pasar.orders.tests.test_search_lines import _checkout
from pasar.testing import factories

pytestmark = pytest.mark.django_db


def _snapshot():
    labels = ("delivery", "orders")
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.app_label in labels
    }


def _pending(courier):
    return Offer.objects.filter(courier=courier, state=Offer.State.PENDING).first()


def _line(market):
    return [shift.courier.name for shift in selectors.queue(market)]


def test_the_courier_waiting_longest_gets_the_first_offer(market):
    first, second, third = couriers(market, 3)
    order = ready_order(market, product(market))

    offers = services.dispatch(market, now=at(10))

    assert [offer.courier for offer in offers] == [first]
    assert offers[0].trip.stops == [order.pk]
    assert offers[0].expires_at == at(70)
    assert _pending(second) is None
    assert _pending(third) is None


def test_declining_moves_the_courier_to_the_back_and_offers_the_next(market):
    first, second, third = couriers(market, 3)
    order = ready_order(market, product(market))
    offer = services.dispatch(market, now=at(10))[0]

    services.offer_decline(offer_id=offer.pk, courier=first, now=at(20))

    assert _pending(second).trip.stops == [order.pk]
    assert _line(market) == ["Kurir 1", "Kurir 2", "Kurir 0"]


def test_an_offer_not_answered_in_time_goes_to_the_next_courier(market):
    first, second, _third = couriers(market, 3)
    ready_order(market, product(market))
    offer = services.dispatch(market, now=at(10))[0]

    with pytest.raises(DomainError) as late:
        services.offer_accept(offer_id=offer.pk, courier=first, now=at(71))
    assert late.value.code == "offer_expired"
    services.dispatch(market, now=at(71))

    offer.refresh_from_db()
    assert offer.state == Offer.State.EXPIRED
    assert _pending(second) is not None
    assert _line(market) == ["Kurir 1", "Kurir 2", "Kurir 0"]


def test_accepting_takes_every_order_and_delivering_the_last_rejoins_at_the_back(market):
    first, _second = couriers(market, 2)
    eggs = product(market)
    orders = [ready_order(market, eggs), ready_order(market, eggs, north=0.011)]
    offer = services.dispatch(market, now=at(10))[0]
    assert sorted(offer.trip.stops) == sorted(o.pk for o in orders)

    trip = services.offer_accept(offer_id=offer.pk, courier=first, now=at(20))

    assert trip.state == Trip.State.ACTIVE
    assert {o.courier_id for o in Order.objects.filter(pk__in=trip.stops)} == {first.pk}
    assert _line(market) == ["Kurir 1"]  # on a trip: out of the line
    # Both orders buy from the same stall: one tick there picks up both bags.
    picked = services.trip_pick_up(trip_id=trip.pk, stall_id=orders[0].parts.get().stall_id, courier=first)
    assert sorted(part.order_id for part in picked) == sorted(o.pk for o in orders)
    assert set(Order.objects.filter(pk__in=trip.stops).values_list("state", flat=True)) == {Order.State.PICKED_UP}
    for order in orders:
        order.refresh_from_db()
        services.trip_deliver(
            trip_id=trip.pk, order_id=order.pk, code=order.handover_code,
            cash=(order.goods_total or 0) + order.delivery_fee, courier=first, now=at(900),
        )  # fmt: skip

    trip.refresh_from_db()
    assert trip.state == Trip.State.DONE
    assert Job.objects.filter(state=Job.State.DONE).count() == 2
    assert _line(market) == ["Kurir 1", "Kurir 0"]


def test_checking_out_leaves_the_line_and_hands_the_offer_on(market):
    first, second = couriers(market, 2)
    ready_order(market, product(market))
    offer = services.dispatch(market, now=at(10))[0]

    services.checkout(courier=first, now=at(15))

    offer.refresh_from_db()
    assert offer.state == Offer.State.WITHDRAWN
    assert _pending(second) is not None
    assert _line(market) == ["Kurir 1"]
    assert CourierShift.objects.get(courier=first).checked_out_at == at(15)


def test_no_check_out_during_a_trip_and_no_check_in_at_two_markets(market, other_market):
    (rider,) = couriers(market, 1)
    ready_order(market, product(market))
    offer = services.dispatch(market, now=at(10))[0]
    services.offer_accept(offer_id=offer.pk, courier=rider, now=at(11))
    sc.courier(other_market, "x")  # the other market has couriers too
    from pasar.markets.models import MarketRole

    MarketRole.objects.create(user=rider, market=other_market, role=MarketRole.Role.COURIER)

    with pytest.raises(DomainError) as busy:
        services.checkout(courier=rider)
    with pytest.raises(DomainError) as elsewhere:
        services.checkin(courier=rider, market=other_market)

    assert busy.value.code == "on_a_trip"
    assert elsewhere.value.code == "on_duty_elsewhere"


def test_only_the_markets_couriers_check_in_and_capacity_is_bounded(market, other_market):
    stranger = sc.courier(other_market, "Orang lain")
    (rider,) = couriers(market, 1)

    for call, code in [
        (lambda: services.checkin(courier=stranger, market=market), "not_a_courier"),
        (lambda: services.checkin(courier=rider, market=market, capacity=99), "capacity_invalid"),
    ]:
        before = _snapshot()
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.code == code
        assert _snapshot() == before


def test_a_courier_acting_on_someone_elses_offer_or_trip_is_refused_and_nothing_changes(market):
    owner, other = couriers(market, 2)
    eggs = product(market)
    order = ready_order(market, eggs)
    offer = services.dispatch(market, now=at(10))[0]
    assert offer.courier == owner
    before = _snapshot()

    for call in [
        lambda: services.offer_accept(offer_id=offer.pk, courier=other, now=at(11)),
        lambda: services.offer_decline(offer_id=offer.pk, courier=other, now=at(11)),
    ]:
        with pytest.raises(DomainError) as refused:
            call()
        assert refused.value.code == "not_your_offer"
    assert _snapshot() == before

    trip = services.offer_accept(offer_id=offer.pk, courier=owner, now=at(12))
    before = _snapshot()
    stall_id = order.parts.get().stall_id
    calls: list[Callable[[], object]] = [
        lambda: services.trip_pick_up(trip_id=trip.pk, stall_id=stall_id, courier=other),
        lambda: services.trip_deliver(
            trip_id=trip.pk, order_id=order.pk, code=order.handover_code, cash=1, courier=other
        ),
    ]
    for act in calls:
        with pytest.raises(DomainError) as refused:
            act()
        assert refused.value.code == "not_your_trip"
    assert _snapshot() == before


def test_a_trip_respects_each_couriers_capacity_and_a_skipped_head_is_served_next(market):
    small, big = couriers(market, 1, capacity=1) + couriers(market, 1, capacity=4, start=5)
    eggs = product(market)
    orders = [ready_order(market, eggs, north=0.01 + i * 0.001) for i in range(4)]

    offers = services.dispatch(market, now=at(30))

    capacity = {small: 1, big: 4}
    assert all(len(offer.trip.stops) <= capacity[offer.courier] for offer in offers)
    offered = sorted(pk for offer in offers for pk in offer.trip.stops)
    assert offered == sorted(o.pk for o in orders)
    if small not in {offer.courier for offer in offers}:
        # One trip carries all four better: the big courier rides past once; the small one keeps the
        # head of the line and gets the next order.
        assert _line(market) == ["Kurir 0", "Kurir 0"]
        services.offer_accept(offer_id=offers[0].pk, courier=big, now=at(31))
        later = ready_order(market, eggs)
        assert [(o.courier, o.trip.stops) for o in services.dispatch(market, now=at(40))] == [(small, [later.pk])]


def test_a_cancelled_order_leaves_the_queue_and_its_offer_is_withdrawn(market, roles):
    (rider,) = couriers(market, 1)
    order = ready_order(market, product(market))
    offer = services.dispatch(market, now=at(10))[0]
    from pasar.orders.services import fulfilment

    fulfilment.order_cancel(order=order, reason="Pembeli batal", actor=roles.operator)
    services.dispatch(market, now=at(12))

    offer.refresh_from_db()
    assert offer.state == Offer.State.WITHDRAWN
    assert Job.objects.get(order=order).state == Job.State.CLOSED
    assert _line(market) == ["Kurir 0"]


def test_the_operator_reassigns_a_waiting_order_to_a_chosen_free_courier(market):
    first, second = couriers(market, 2)
    order = ready_order(market, product(market))
    offer = services.dispatch(market, now=at(10))[0]
    job = Job.objects.get(order=order)

    new = services.reassign(market=market, job_id=job.pk, courier=second, now=at(12))

    offer.refresh_from_db()
    assert offer.state == Offer.State.WITHDRAWN
    assert new.courier == second
    assert new.trip.stops == [order.pk]
    assert _line(market) == ["Kurir 0", "Kurir 1"]  # the first keeps their place
    with pytest.raises(DomainError) as busy:
        services.reassign(market=market, job_id=job.pk, courier=second, now=at(13))
    assert busy.value.code == "courier_busy"


def test_page_reads_write_nothing_unless_something_is_due(market):
    (rider,) = couriers(market, 1)
    assert not services.is_due(market, now=at(5))
    ready_order(market, product(market))
    assert services.is_due(market, now=at(6))
    services.dispatch_if_due(market, now=at(6))
    assert not services.is_due(market, now=at(7))
    assert services.is_due(market, now=at(67))  # the offer timed out
    assert _pending(rider) is not None


def test_an_unpaid_transfer_order_with_items_to_buy_in_the_market_is_offered(market):
    """Its amount follows what the courier buys, so it leaves unpaid: the queue offers it like courier_take allows."""
    (first,) = couriers(market, 1)
    buyer = factories.user(name="Pembeli Titip")
    search.cart_request_add(buyer=buyer, market=market, text="Kemangi", quantity="2 ikat", price_cap=5000)
    order = order_place(buyer=buyer, checkout=_checkout(market, "transfer"))
    assert (order.state, order.payment_state) == (Order.State.READY, Order.PaymentState.AWAITING_WEIGHING)

    offers = services.dispatch(market, now=at(10))

    assert [offer.courier for offer in offers] == [first]
    assert offers[0].trip.stops == [order.pk]


def test_a_handover_outside_the_trip_page_closes_the_trip_and_the_courier_rejoins_the_line(market):
    """``/kurir/`` and the orders API hand over through ``fulfilment.courier_deliver``, which cannot tell the
    queue: the next dispatch (a page view, the tick) notices and closes the trip."""
    first, _second = couriers(market, 2)
    eggs = product(market)
    orders = [ready_order(market, eggs), ready_order(market, eggs, north=0.011)]
    offer = services.dispatch(market, now=at(10))[0]
    trip = services.offer_accept(offer_id=offer.pk, courier=first, now=at(20))
    services.trip_pick_up(trip_id=trip.pk, stall_id=orders[0].parts.get().stall_id, courier=first)
    first_order, second_order = (Order.objects.get(pk=o.pk) for o in orders)

    fulfilment.courier_deliver(
        order=first_order, code=first_order.handover_code,
        cash=(first_order.goods_total or 0) + first_order.delivery_fee, courier=first,
    )  # fmt: skip
    assert services.is_due(market, now=at(400))
    services.dispatch_if_due(market, now=at(400))
    trip.refresh_from_db()
    assert trip.state == Trip.State.ACTIVE  # one order still in hand
    assert Job.objects.get(order=first_order).state == Job.State.DONE

    services.trip_deliver(
        trip_id=trip.pk, order_id=second_order.pk, code=second_order.handover_code,
        cash=(second_order.goods_total or 0) + second_order.delivery_fee, courier=first, now=at(900),
    )  # fmt: skip
    trip.refresh_from_db()
    assert trip.state == Trip.State.DONE
    assert _line(market) == ["Kurir 1", "Kurir 0"]


def test_the_last_handover_on_kurir_closes_the_trip_for_the_courier_and_the_operator(market):
    first, _second = couriers(market, 2)
    order = ready_order(market, product(market))
    offer = services.dispatch(market, now=at(10))[0]
    trip = services.offer_accept(offer_id=offer.pk, courier=first, now=at(20))
    services.trip_pick_up(trip_id=trip.pk, stall_id=order.parts.get().stall_id, courier=first)
    order.refresh_from_db()
    fulfilment.courier_deliver(
        order=order, code=order.handover_code, cash=(order.goods_total or 0) + order.delivery_fee, courier=first
    )

    services.dispatch_if_due(market, now=at(900))

    trip.refresh_from_db()
    assert trip.state == Trip.State.DONE
    assert selectors.courier_screen(courier=first).trip is None
    assert selectors.operator_board(market)["riding"] == []
    assert _line(market) == ["Kurir 1", "Kurir 0"]
    assert not services.is_due(market, now=at(901))
    services.checkout(courier=first, now=at(910))  # no longer "on a trip"
