"""Operator pages: settlement (with the catch-up posting), transfers waiting, manual confirmation."""

import pytest

from pasar.orders.models import Order, OrderEvent
from pasar.payments.models import Entry, PaymentAttempt
from pasar.payments.tests.scenario import courier_of, deliver, make_ready, two_stall_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def transfer_order(market):
    return make_ready(two_stall_order(market, method=Order.PaymentMethod.TRANSFER))


def test_settlement_posts_delivered_orders_on_post_and_shows_the_day(en, market, roles):
    order = deliver(make_ready(two_stall_order(market, method=Order.PaymentMethod.COD)), courier_of(market, "Asep"))
    en.force_login(roles.operator)
    url = f"/pengelola/{market.slug}/setoran/?tanggal={order.for_date.isoformat()}"

    before = en.get(url)
    assert before.context["unposted"] == 1
    assert 'id="settlement-unposted"' in before.text
    assert not Entry.objects.exists()  # a GET never writes

    posted = en.post(url)
    assert posted.status_code == 302
    assert posted["Location"] == url
    assert Entry.objects.filter(order=order, kind="delivered").count() == 1

    response = en.get(url)
    assert response.status_code == 200
    assert 'id="settlement-unposted"' not in response.text
    s = response.context["settlement"]
    assert (s.orders, s.cash_held, s.money_in, s.reconciles) == (1, 24000, 24000, True)
    assert "Asep" in response.text
    assert "Rp24.000" in response.text
    assert 'id="settlement-reconciles"' in response.text

    en.post(url)
    assert Entry.objects.count() == 1


def test_a_bad_day_falls_back_to_today(en, market, roles):
    en.force_login(roles.operator)

    response = en.get(f"/pengelola/{market.slug}/setoran/", {"tanggal": "kemarin"})

    assert response.status_code == 200
    assert response.context["settlement"].orders == 0
    assert response.context["form"].errors


def test_transfers_waiting_lists_the_market_s_amounts(en, market, roles, transfer_order):
    en.force_login(roles.operator)

    response = en.get(f"/pengelola/{market.slug}/transfer/")

    assert response.status_code == 200
    assert [o.pk for o in response.context["orders"]] == [transfer_order.pk]
    assert transfer_order.number in response.text


def test_the_operator_confirms_a_transfer(en, market, roles, transfer_order):
    en.force_login(roles.operator)
    url = f"/pengelola/{market.slug}/transfer/{transfer_order.number}/"
    amount = f"{transfer_order.amount_due:,}".replace(",", ".")

    response = en.post(url, {"amount": amount, "reference": "MUT-77"})

    assert response.status_code == 302
    assert response["Location"] == f"/pengelola/{market.slug}/transfer/"
    assert Order.objects.get(pk=transfer_order.pk).payment_state == Order.PaymentState.PAID
    assert PaymentAttempt.objects.get().provider_ref == "MUT-77"


def test_a_wrong_amount_shows_the_error_and_changes_nothing(en, market, roles, transfer_order):
    en.force_login(roles.operator)
    url = f"/pengelola/{market.slug}/transfer/{transfer_order.number}/"

    response = en.post(url, {"amount": "24000", "reference": "MUT-77"})

    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [
        f"The amount paid is not the amount due ({transfer_order.amount_due})."
    ]
    assert Order.objects.get(pk=transfer_order.pk).payment_state == Order.PaymentState.AWAITING_PAYMENT
    assert PaymentAttempt.objects.count() == 0


def test_another_market_s_operator_gets_404_and_nothing_changes(en, market, other_market, roles, transfer_order):
    en.force_login(roles.other_operator)
    before = (
        Order.objects.values().get(pk=transfer_order.pk),
        OrderEvent.objects.count(),
        PaymentAttempt.objects.count(),
    )

    responses = [
        en.post(
            f"/pengelola/{market.slug}/transfer/{transfer_order.number}/",
            {"amount": str(transfer_order.amount_due), "reference": "MUT-1"},
        ),
        # Through their own market's address the order is just as missing.
        en.post(
            f"/pengelola/{other_market.slug}/transfer/{transfer_order.number}/",
            {"amount": str(transfer_order.amount_due), "reference": "MUT-1"},
        ),
        en.get(f"/pengelola/{market.slug}/transfer/"),
        en.get(f"/pengelola/{market.slug}/setoran/"),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert (
        Order.objects.values().get(pk=transfer_order.pk),
        OrderEvent.objects.count(),
        PaymentAttempt.objects.count(),
    ) == before


@pytest.mark.parametrize("who", ["buyer", "trader", "courier"])
def test_people_who_are_not_operators_get_404(client, market, roles, transfer_order, who):
    client.force_login(getattr(roles, who))

    response = client.post(
        f"/pengelola/{market.slug}/transfer/{transfer_order.number}/",
        {"amount": str(transfer_order.amount_due), "reference": "MUT-1"},
    )

    assert response.status_code == 404
    assert Order.objects.get(pk=transfer_order.pk).payment_state == Order.PaymentState.AWAITING_PAYMENT
