"""The trader's, courier's and operator's order screens, through the pages as people use them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pasar.catalog.models import Product
from pasar.markets.models import MarketRole
from pasar.orders.models import Order, OrderEvent, OrderLine, StallOrder
from pasar.orders.services import fulfilment
from pasar.orders.staff_selectors import market_today
from pasar.orders.tests import staff_scenarios as sc
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def snapshot():
    return {
        "orders": list(Order.objects.order_by("pk").values()),
        "parts": list(StallOrder.objects.order_by("pk").values()),
        "lines": list(OrderLine.objects.order_by("pk").values()),
        "events": OrderEvent.objects.count(),
        "stock": list(Product.objects.order_by("pk").values_list("pk", "stock", "available")),
    }


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def for_today(order):
    """Placement moves orders after the cut-off to the next day; the trader's list shows today's."""
    Order.objects.filter(pk=order.pk).update(for_date=market_today(order.market))
    order.refresh_from_db()
    return order


@pytest.fixture
def trader(stall):
    return stall.trader.user


@pytest.fixture
def chili(stall):
    return sc.weighed_product(stall=stall)


@pytest.fixture
def eggs(stall):
    return factories.product(stall=stall, name="Telur", unit="butir", price=2500, stock=10)


# Trader.


def test_the_trader_sees_todays_parts_of_their_stalls_pending_first(client, market, trader, eggs):
    accepted = for_today(sc.place(market=market, items=[(eggs, "1")]))
    fulfilment.part_accept(part_id=accepted.parts.get().pk, actor=trader)
    pending = for_today(sc.place(market=market, items=[(eggs, "2")]))
    foreign = factories.product(stall=factories.stall(market=market), name="Tahu", unit="potong")
    not_mine = for_today(sc.place(market=market, items=[(foreign, "1")]))
    client.force_login(trader)

    response = client.get("/pedagang/pesanan/")

    assert response.status_code == 200
    assert [p.order.number for p in response.context["parts"]] == [pending.number, accepted.number]
    assert [(p.line_count, p.estimate) for p in response.context["parts"]] == [(1, 5000), (1, 2500)]
    assert not_mine.number not in response.text
    assert f'href="/pedagang/pesanan/{pending.parts.get().pk}/"' in response.text


def test_the_trader_list_refreshes_as_a_fragment(client, market, trader, eggs):
    order = for_today(sc.place(market=market, items=[(eggs, "1")]))
    client.force_login(trader)
    response = client.get("/pedagang/pesanan/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="parts"')
    assert "<html" not in response.text
    assert order.number in response.text


def test_orders_for_the_next_market_day_are_listed_apart(client, market, trader, eggs):
    order = sc.place(market=market, items=[(eggs, "1")])
    Order.objects.filter(pk=order.pk).update(for_date=market_today(market) + timedelta(days=1))
    client.force_login(trader)
    response = client.get("/pedagang/pesanan/")
    assert list(response.context["parts"]) == []
    assert [p.order.number for p in response.context["upcoming"]] == [order.number]


def test_someone_without_a_stall_gets_404(client, roles):
    client.force_login(roles.buyer)
    assert client.get("/pedagang/pesanan/").status_code == 404


def test_accept_then_mark_then_ready(client, market, trader, eggs):
    order = sc.place(market=market, items=[(eggs, "2")])
    part, line = order.parts.get(), sc.line_of(order, eggs)
    client.force_login(trader)
    url = f"/pedagang/pesanan/{part.pk}/"

    assert "Accept this order" in client.get(url).text
    response = client.post(url, {"action": "accept"}, follow=True)
    assert messages_of(response) == ["Order accepted. Prepare the lines below."]
    response = client.post(url, {"action": "available", "line": line.pk}, follow=True)
    assert messages_of(response) == ["Line saved."]
    response = client.post(url, {"action": "ready"}, follow=True)

    assert messages_of(response) == ["Marked ready: a courier or the buyer will collect it."]
    order.refresh_from_db()
    assert (order.state, order.goods_total) == (Order.State.READY, 5000)
    assert "mark ready" not in response.text


def test_a_refused_action_shows_the_reason_and_changes_nothing(client, market, trader, eggs):
    order = sc.place(market=market, items=[(eggs, "2")])
    part = order.parts.get()
    client.force_login(trader)
    before = snapshot()

    response = client.post(f"/pedagang/pesanan/{part.pk}/", {"action": "ready"}, follow=True)

    assert messages_of(response) == ["Mark every line, and wait for the buyer's approvals, first."]
    assert snapshot() == before


def test_a_trader_of_another_stall_gets_404_and_changes_nothing(client, market, roles, stall, eggs):
    order = sc.place(market=market, items=[(eggs, "2")])
    part, line = order.parts.get(), sc.line_of(order, eggs)
    client.force_login(roles.other_trader)
    before = snapshot()

    responses = [
        client.get(f"/pedagang/pesanan/{part.pk}/"),
        client.post(f"/pedagang/pesanan/{part.pk}/", {"action": "accept"}),
        client.post(f"/pedagang/pesanan/{part.pk}/", {"action": "unavailable", "line": line.pk}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert snapshot() == before


def test_weighing_prefills_the_price_and_warns_beyond_the_tolerance(client, market, trader, chili):
    order = sc.place(market=market, items=[(chili, "0.25")])
    part, line = order.parts.get(), sc.line_of(order, chili)
    client.force_login(trader)
    url = f"/pedagang/pesanan/{part.pk}/"

    page = client.get(url)
    assert f'name="w{line.pk}-amount" value="10000"' in page.text
    assert f'name="w{line.pk}-quantity" value="0.25"' in page.text

    # "Calculate price": the untouched prefill follows the weight; +20 % needs the buyer's approval.
    preview = client.post(
        url, {"action": "weigh_preview", "line": line.pk, f"w{line.pk}-quantity": "0,3", f"w{line.pk}-amount": "10000",
              f"w{line.pk}-prefill": "10000"}
    )  # fmt: skip
    assert preview.status_code == 200
    assert f'name="w{line.pk}-amount" value="12000"' in preview.text
    assert "the buyer must approve this weight" in preview.text
    assert snapshot()["lines"][0]["final_amount"] is None

    response = client.post(
        url, {"action": "weigh", "line": line.pk, f"w{line.pk}-quantity": "0,3", f"w{line.pk}-amount": "10.000",
              f"w{line.pk}-prefill": "10000"}, follow=True,
    )  # fmt: skip
    assert messages_of(response) == ["Weight saved."]
    line.refresh_from_db()
    assert (line.final_quantity, line.final_amount, line.needs_approval) == (Decimal("0.3"), 12000, True)


def test_a_weighed_price_typed_by_the_trader_is_checked_against_the_weight(client, market, trader, chili):
    order = sc.place(market=market, items=[(chili, "0.25")])
    part, line = order.parts.get(), sc.line_of(order, chili)
    client.force_login(trader)
    before = snapshot()

    response = client.post(
        f"/pedagang/pesanan/{part.pk}/",
        {"action": "weigh", "line": line.pk, f"w{line.pk}-quantity": "0.25", f"w{line.pk}-amount": "15000",
         f"w{line.pk}-prefill": "10000"}, follow=True,
    )  # fmt: skip
    assert messages_of(response) == ["The price does not match the weight at the listed price."]
    bad = client.post(
        f"/pedagang/pesanan/{part.pk}/",
        {"action": "weigh", "line": line.pk, f"w{line.pk}-quantity": "abc", f"w{line.pk}-prefill": "10000"},
    )
    assert bad.status_code == 200
    assert "Write a quantity above 0 and at most 500, e.g. 1 or 0,25." in bad.text
    assert snapshot() == before


def test_a_substitute_is_chosen_among_the_stalls_own_available_products(client, market, stall, trader, eggs):
    duck = factories.product(stall=stall, name="Telur Bebek", unit="butir", price=3000)
    factories.product(stall=stall, name="Telur Asin", unit="butir", available=False)
    factories.product(stall=factories.stall(market=market), name="Telur Puyuh", unit="butir")
    order = sc.place(market=market, items=[(eggs, "4")])
    part, line = order.parts.get(), sc.line_of(order, eggs)
    client.force_login(trader)
    url = f"/pedagang/pesanan/{part.pk}/"

    page = client.get(url)
    sub_form = page.context["rows"][0]["sub_form"]
    assert [p.name for p in sub_form.fields["product"].queryset] == ["Telur Bebek"]

    response = client.post(
        url, {"action": "substitute", "line": line.pk, f"s{line.pk}-product": duck.pk, f"s{line.pk}-quantity": "4"},
        follow=True,
    )  # fmt: skip

    assert messages_of(response) == ["Substitute proposed: the buyer approves or refuses it."]
    substitute = OrderLine.objects.get(substitute_for=line)
    assert (substitute.product, substitute.quantity, substitute.estimate) == (duck, Decimal(4), 12000)
    assert "waiting for the buyer's answer" in response.text


def test_the_part_page_refreshes_its_section_for_htmx(client, market, trader, eggs):
    order = sc.place(market=market, items=[(eggs, "2")])
    part = order.parts.get()
    client.force_login(trader)
    response = client.post(
        f"/pedagang/pesanan/{part.pk}/", {"action": "accept"}, headers={"HX-Request": "true"}, follow=True
    )
    assert response.text.lstrip().startswith('<section id="part">')
    assert "Order accepted. Prepare the lines below." in response.text


def test_the_price_page_and_my_page_link_to_the_orders(client, market, roles):
    client.force_login(roles.trader)
    assert 'href="/pedagang/pesanan/"' in client.get("/pedagang/harga/").text
    # A trader who also runs the market lands on "my page", which lists both screens.
    MarketRole.objects.create(user=roles.trader, market=market, role=MarketRole.Role.OPERATOR)
    my_page = client.get("/akun/saya/").text
    assert 'href="/pedagang/pesanan/"' in my_page
    assert f'href="/pengelola/{market.slug}/pesanan/"' in my_page
    client.force_login(roles.courier)
    assert 'href="/kurir/"' in client.get("/akun/saya/").text


# Courier.


@pytest.fixture
def rider(market):
    return sc.courier(market, "Asep")


def test_the_courier_takes_picks_up_and_delivers(client, market, stall, eggs, rider, monkeypatch):
    order = sc.prepare(sc.place(market=market, items=[(eggs, "2")]))
    posted: list[Order] = []
    monkeypatch.setattr(fulfilment, "_after_delivery", posted.append)
    client.force_login(rider)

    page = client.get("/kurir/")
    assert [o.number for o in page.context["available"]] == [order.number]

    response = client.post("/kurir/", {"action": "take", "order": order.pk}, follow=True)
    assert messages_of(response) == [f"Order {order.number} is yours: pick it up at each stall."]
    assert [o.number for o, _form in response.context["current"]] == [order.number]
    assert list(response.context["available"]) == []
    lat, lng = f"{order.latitude:.5f}", f"{order.longitude:.5f}"
    assert f'href="https://www.openstreetmap.org/?mlat={lat}&amp;mlon={lng}' in response.text

    part = order.parts.get()
    response = client.post("/kurir/", {"action": "pick_up", "order": order.pk, "part": part.pk}, follow=True)
    assert messages_of(response) == ["Picked up."]
    before = snapshot()
    wrong = f"{(int(order.handover_code) + 1) % 10000:04d}"
    response = client.post(
        "/kurir/", {"action": "deliver", "order": order.pk, f"d{order.pk}-code": wrong, f"d{order.pk}-cash": "13.000"},
        follow=True,
    )  # fmt: skip
    assert messages_of(response) == ["Wrong handover code: ask the buyer for the code on their order page."]
    response = client.post(
        "/kurir/", {"action": "deliver", "order": order.pk, f"d{order.pk}-code": order.handover_code,
                    f"d{order.pk}-cash": "12.000"}, follow=True,
    )  # fmt: skip
    assert messages_of(response) == ["Collect exactly Rp13.000 in cash."]
    assert snapshot() == before | {"events": before["events"] + 1}  # only the wrong code is recorded
    assert posted == []

    response = client.post(
        "/kurir/", {"action": "deliver", "order": order.pk, f"d{order.pk}-code": order.handover_code,
                    f"d{order.pk}-cash": "13.000"}, follow=True,
    )  # fmt: skip

    assert messages_of(response) == [f"Order {order.number} delivered."]
    order.refresh_from_db()
    assert (order.state, order.cash_collected) == (Order.State.DELIVERED, 13000)
    assert [o.pk for o in posted] == [order.pk]
    delivered = response.context["delivered"]
    assert ([o.number for o in delivered.orders], delivered.fees, delivered.cash) == ([order.number], 8000, 13000)


def test_the_slower_courier_is_told_another_took_the_order(client, market, eggs, rider):
    order = sc.prepare(sc.place(market=market, items=[(eggs, "2")]))
    rival = sc.courier(market, "Ujang")
    fulfilment.courier_take(order=order, courier=rival)
    client.force_login(rider)
    before = snapshot()

    response = client.post("/kurir/", {"action": "take", "order": order.pk}, follow=True)

    assert messages_of(response) == ["Another courier took this order first."]
    assert snapshot() == before


def test_a_courier_cannot_act_on_another_couriers_order_or_market(client, market, other_market, eggs, rider):
    order = sc.prepare(sc.place(market=market, items=[(eggs, "2")]))
    rival = sc.courier(market, "Ujang")
    elsewhere = sc.courier(other_market, "Jauh")
    fulfilment.courier_take(order=order, courier=rival)
    part = order.parts.get()
    before = snapshot()

    client.force_login(rider)
    mine_not = client.post("/kurir/", {"action": "pick_up", "order": order.pk, "part": part.pk})
    client.force_login(elsewhere)
    other_market_take = client.post("/kurir/", {"action": "take", "order": order.pk})

    assert [mine_not.status_code, other_market_take.status_code] == [404, 404]
    assert snapshot() == before


def test_the_courier_page_is_for_couriers_only(client, roles):
    for user in (roles.buyer, roles.trader, roles.operator, roles.admin):
        client.force_login(user)
        assert client.get("/kurir/").status_code == 404


def test_a_handover_posts_the_order_to_the_ledger_after_commit(
    client, market, eggs, rider, django_capture_on_commit_callbacks
):
    from pasar.payments.models import Entry

    order = sc.picked_up(sc.prepare(sc.place(market=market, items=[(eggs, "2")])), rider)
    client.force_login(rider)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            "/kurir/", {"action": "deliver", "order": order.pk, f"d{order.pk}-code": order.handover_code,
                        f"d{order.pk}-cash": "13000"},
        )  # fmt: skip
    # Nothing is posted inside the handover's transaction: the task is enqueued on commit.
    assert not Entry.objects.filter(order=order).exists()
    assert len(callbacks) == 2  # the delivered event's notifications, then the ledger posting
    for callback in callbacks:
        callback()
    assert list(Entry.objects.filter(order=order).values_list("kind", flat=True)) == ["delivered"]


# Operator.


def test_the_operator_sees_every_order_of_the_day_by_state(client, market, roles, stall, eggs):
    placed = for_today(sc.place(market=market, items=[(eggs, "1")]))
    ready = for_today(sc.prepare(sc.place(market=market, items=[(eggs, "2")])))
    client.force_login(roles.operator)
    url = f"/pengelola/{market.slug}/pesanan/"

    response = client.get(url)
    assert [o.number for o in response.context["page"]] == [ready.number, placed.number]
    assert response.context["counts"]["placed"] == 1
    assert response.context["counts"]["ready"] == 1
    assert stall.name in response.text

    only_ready = client.get(url, {"status": "ready", "hari": market_today(market).isoformat()})
    assert [o.number for o in only_ready.context["page"]] == [ready.number]
    other_day = client.get(url, {"hari": "2020-01-01"})
    assert list(other_day.context["page"]) == []
    every_day = client.get(url, {"hari": "", "status": ""})
    assert len(every_day.context["page"]) == 2


def test_the_operator_cancels_with_a_reason(client, market, roles, eggs):
    order = sc.place(market=market, items=[(eggs, "4")])
    client.force_login(roles.operator)
    url = f"/pengelola/{market.slug}/pesanan/{order.pk}/batal/"
    before = snapshot()

    response = client.post(url, {"reason": ""}, follow=True)
    assert messages_of(response) == ["Give a reason for cancelling."]
    assert snapshot() == before

    response = client.post(url, {"reason": "Pembeli tidak bisa dihubungi"}, follow=True)

    assert messages_of(response) == [f"Order {order.number} cancelled."]
    order.refresh_from_db()
    eggs.refresh_from_db()
    assert (order.state, order.cancel_reason, eggs.stock) == ("cancelled", "Pembeli tidak bisa dihubungi", 10)
    assert order.events.latest("pk").actor == roles.operator


def test_an_operator_of_another_market_gets_404_and_changes_nothing(client, market, other_market, roles, eggs):
    order = sc.place(market=market, items=[(eggs, "4")])
    client.force_login(roles.other_operator)
    before = snapshot()

    responses = [
        client.get(f"/pengelola/{market.slug}/pesanan/"),
        client.post(f"/pengelola/{market.slug}/pesanan/{order.pk}/batal/", {"reason": "x"}),
        client.post(f"/pengelola/{other_market.slug}/pesanan/{order.pk}/batal/", {"reason": "x"}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert snapshot() == before


# Constant queries: a busy morning must not make the lists slower per order.


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_staff_lists_take_the_same_queries_for_one_order_or_many(client, market, roles, stall, eggs):
    rider = sc.courier(market, "Asep")
    other = factories.stall(market=market)
    tofu = factories.product(stall=other, name="Tahu", unit="potong", price=1000)

    def counts():
        result = []
        for user, url in [
            (roles.trader, "/pedagang/pesanan/"),
            (rider, "/kurir/"),
            (roles.operator, f"/pengelola/{market.slug}/pesanan/"),
        ]:
            client.force_login(user)
            result.append(_queries_for(client, url))
        return result

    def busy_morning(n):
        for _ in range(n):
            for_today(sc.prepare(sc.place(market=market, items=[(eggs, "1"), (tofu, "1")])))
            taken = for_today(sc.prepare(sc.place(market=market, items=[(eggs, "1"), (tofu, "2")])))
            fulfilment.courier_take(order=taken, courier=rider)

    busy_morning(1)
    few = counts()
    busy_morning(3)
    assert counts() == few
