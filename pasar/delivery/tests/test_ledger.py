import pytest

from pasar.delivery import services
from pasar.delivery.tests.scenarios import at, couriers, product, ready_order
from pasar.payments.models import Entry
from pasar.payments.services import ledger_post_order

pytestmark = pytest.mark.django_db


def _deliver(market):
    (rider,) = couriers(market, 1)
    order = ready_order(market, product(market))
    offer = services.dispatch(market, now=at(10))[0]
    trip = services.offer_accept(offer_id=offer.pk, courier=rider, now=at(11))
    services.trip_pick_up(trip_id=trip.pk, stall_id=order.parts.get().stall_id, courier=rider)
    order.refresh_from_db()
    due = (order.goods_total or 0) + order.delivery_fee
    services.trip_deliver(trip_id=trip.pk, order_id=order.pk, code=order.handover_code, cash=due, courier=rider)
    order.refresh_from_db()
    ledger_post_order(order)  # the task the handover enqueues on commit (tests run in one transaction)
    return order, rider


def _postings(order):
    entry = Entry.objects.get(order=order, kind=Entry.Kind.DELIVERED)
    totals: dict[str, int] = {}
    for posting in entry.postings.select_related("account"):
        totals[posting.account.code] = totals.get(posting.account.code, 0) + posting.amount
    return totals


def test_by_default_the_courier_keeps_the_whole_delivery_fee(market):
    order, rider = _deliver(market)

    postings = _postings(order)

    assert postings[f"courier:{market.pk}:{rider.pk}"] == -order.delivery_fee
    assert postings.get(f"operator:{market.pk}", 0) == 0
    assert sum(postings.values()) == 0


def test_a_configured_operator_share_of_the_delivery_fee_is_split_off(market, settings):
    settings.PASAR_DELIVERY_OPERATOR_SHARE_PERCENT = "10"
    order, rider = _deliver(market)
    share = round(order.delivery_fee * 0.10)

    postings = _postings(order)

    assert order.delivery_fee > 0
    assert postings[f"courier:{market.pk}:{rider.pk}"] == -(order.delivery_fee - share)
    assert postings[f"operator:{market.pk}"] == -share
    assert sum(postings.values()) == 0


@pytest.mark.parametrize("value", ["abc", "-5", "101", "NaN"])
def test_an_invalid_share_setting_means_no_share(market, settings, value):
    from pasar.payments.services.ledger import delivery_operator_share

    settings.PASAR_DELIVERY_OPERATOR_SHARE_PERCENT = value
    assert delivery_operator_share(10000) == 0
