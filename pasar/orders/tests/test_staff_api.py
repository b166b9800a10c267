"""The staff's order API: the same actions as the pages, with session auth and 401/404/400/409 answers."""

from decimal import Decimal

import pytest

from pasar.orders.models import Order, OrderLine
from pasar.orders.services import fulfilment
from pasar.orders.staff_selectors import market_today
from pasar.orders.tests import staff_scenarios as sc
from pasar.orders.tests.test_staff_views import snapshot
from pasar.testing import factories

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def trader(stall):
    return stall.trader.user


@pytest.fixture
def chili(stall):
    return sc.weighed_product(stall=stall)


@pytest.fixture
def eggs(stall):
    return factories.product(stall=stall, name="Telur", unit="butir", price=2500, stock=10)


def post(client, path, body=None):
    return client.post(f"{API}{path}", body or {}, content_type="application/json")


# Trader.


def test_the_trader_prepares_a_part_through_the_api(client, market, trader, chili, eggs):
    order = sc.place(market=market, items=[(chili, "0.25"), (eggs, "2")])
    Order.objects.filter(pk=order.pk).update(for_date=market_today(market))
    part = order.parts.get()
    chili_line, eggs_line = sc.line_of(order, chili), sc.line_of(order, eggs)
    client.force_login(trader)

    listed = client.get(f"{API}/trader/parts")
    assert listed.status_code == 200
    assert [(p["id"], p["state"], p["order"]["number"]) for p in listed.json()] == [(part.pk, "pending", order.number)]
    assert [line["name"] for line in listed.json()[0]["lines"]] == ["Cabai Merah", "Telur"]

    assert post(client, f"/trader/parts/{part.pk}/accept").json()["state"] == "accepted"
    weighed = post(client, f"/trader/parts/{part.pk}/lines/{chili_line.pk}/weigh", {"quantity": "0.3"})
    assert weighed.status_code == 200
    line = next(x for x in weighed.json()["lines"] if x["id"] == chili_line.pk)
    assert (line["final_quantity"], line["final_amount"], line["needs_approval"]) == ("0.300", 12000, True)
    marked = post(client, f"/trader/parts/{part.pk}/lines/{eggs_line.pk}/mark", {"available": True})
    assert marked.status_code == 200
    refused = post(client, f"/trader/parts/{part.pk}/ready")
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "Mark every line, and wait for the buyer's approvals, first.",
        "code": "part_open",
    }

    fulfilment.buyer_decide(order=order, line_id=chili_line.pk, approve=True, actor=order.buyer)
    ready = post(client, f"/trader/parts/{part.pk}/ready")

    assert (ready.status_code, ready.json()["state"]) == (200, "ready")
    order.refresh_from_db()
    assert (order.state, order.goods_total) == (Order.State.READY, 17000)


def test_a_weighed_price_off_the_weight_is_400_and_changes_nothing(client, market, trader, chili):
    order = sc.place(market=market, items=[(chili, "0.25")])
    part, line = order.parts.get(), sc.line_of(order, chili)
    client.force_login(trader)
    before = snapshot()

    off = post(client, f"/trader/parts/{part.pk}/lines/{line.pk}/weigh", {"quantity": "0.25", "amount": 15000})
    malformed = post(client, f"/trader/parts/{part.pk}/lines/{line.pk}/weigh", {"quantity": "-1"})

    assert (off.status_code, off.json()["code"]) == (400, "weight_price_mismatch")
    assert malformed.status_code == 422
    assert snapshot() == before


def test_a_substitute_through_the_api(client, market, stall, trader, eggs):
    duck = factories.product(stall=stall, name="Telur Bebek", unit="butir", price=3000, stock=5)
    foreign = factories.product(stall=factories.stall(market=market), name="Telur Puyuh", unit="butir")
    order = sc.place(market=market, items=[(eggs, "4")])
    part, line = order.parts.get(), sc.line_of(order, eggs)
    client.force_login(trader)
    before = snapshot()

    other_stall = post(
        client, f"/trader/parts/{part.pk}/lines/{line.pk}/substitute", {"product_id": foreign.pk, "quantity": "2"}
    )
    assert (other_stall.status_code, other_stall.json()["code"]) == (400, "substitute_foreign")
    assert snapshot() == before

    response = post(
        client, f"/trader/parts/{part.pk}/lines/{line.pk}/substitute", {"product_id": duck.pk, "quantity": "2"}
    )

    assert response.status_code == 200
    lines = response.json()["lines"]
    assert [(x["name"], x["state"], x["substitute_for"], x["needs_approval"]) for x in lines] == [
        ("Telur", "proposed", None, False),
        ("Telur Bebek", "pending", line.pk, True),
    ]
    duck.refresh_from_db()
    assert duck.stock == 3


def test_another_stalls_trader_and_anonymous_are_refused(client, market, roles, eggs):
    order = sc.place(market=market, items=[(eggs, "4")])
    part, line = order.parts.get(), sc.line_of(order, eggs)
    before = snapshot()

    anonymous = post(client, f"/trader/parts/{part.pk}/accept")
    client.force_login(roles.other_trader)
    other = [
        client.get(f"{API}/trader/parts/{part.pk}"),
        post(client, f"/trader/parts/{part.pk}/accept"),
        post(client, f"/trader/parts/{part.pk}/lines/{line.pk}/mark", {"available": False}),
    ]
    client.force_login(roles.buyer)
    no_stall = client.get(f"{API}/trader/parts")

    assert (anonymous.status_code, anonymous.json()) == (401, {"detail": "Unauthorized"})
    assert [r.status_code for r in other] == [404, 404, 404]
    assert other[0].json() == {"detail": "Order part not found."}
    assert (no_stall.status_code, no_stall.json()) == (404, {"detail": "You hold no stall."})
    assert snapshot() == before


# Courier.


@pytest.fixture
def rider(market):
    return sc.courier(market, "Asep")


def test_the_courier_takes_picks_up_and_delivers_through_the_api(client, market, eggs, rider):
    order = sc.prepare(sc.place(market=market, items=[(eggs, "2")]))
    part = order.parts.get()
    client.force_login(rider)

    board = client.get(f"{API}/courier/orders").json()
    assert [o["number"] for o in board["available"]] == [order.number]
    assert board["available"][0]["cash_due"] == 13000
    assert board["available"][0]["map_url"] == (
        f"https://www.openstreetmap.org/?mlat={order.latitude:.5f}&mlon={order.longitude:.5f}"
    )

    taken = post(client, f"/courier/orders/{order.pk}/take")
    assert (taken.status_code, taken.json()["buyer_name"]) == (200, "Pembeli")
    picked = post(client, f"/courier/orders/{order.pk}/parts/{part.pk}/pick-up")
    assert (picked.json()["state"], picked.json()["parts"][0]["state"]) == ("picked_up", "picked_up")
    before = snapshot()
    wrong = post(client, f"/courier/orders/{order.pk}/deliver", {"code": "x", "cash": 13000})
    short = post(client, f"/courier/orders/{order.pk}/deliver", {"code": order.handover_code, "cash": 10000})
    assert (wrong.status_code, wrong.json()["code"]) == (400, "bad_code")
    assert (short.status_code, short.json()) == (
        400,
        {"detail": "Collect exactly Rp13.000 in cash.", "code": "cash_mismatch"},
    )
    # Nothing changed but the record of the wrong code (the guess limit counts those).
    assert snapshot() == before | {"events": before["events"] + 1}

    delivered = post(client, f"/courier/orders/{order.pk}/deliver", {"code": order.handover_code, "cash": 13000})

    assert delivered.status_code == 200
    assert (delivered.json()["state"], delivered.json()["cash_collected"]) == ("delivered", 13000)
    board = client.get(f"{API}/courier/orders").json()
    assert (board["current"], board["fees_today"], board["cash_today"]) == ([], 8000, 13000)
    assert [o["number"] for o in board["delivered_today"]] == [order.number]


def test_the_courier_who_loses_the_race_gets_409(client, market, eggs, rider):
    order = sc.prepare(sc.place(market=market, items=[(eggs, "2")]))
    fulfilment.courier_take(order=order, courier=sc.courier(market, "Ujang"))
    client.force_login(rider)
    before = snapshot()

    response = post(client, f"/courier/orders/{order.pk}/take")
    not_mine = post(client, f"/courier/orders/{order.pk}/deliver", {"code": order.handover_code, "cash": 13000})

    assert response.status_code == 409
    assert response.json() == {"detail": "Another courier took this order first.", "code": "already_taken"}
    assert not_mine.status_code == 404
    assert snapshot() == before


def test_non_couriers_and_other_markets_couriers_get_404(client, market, other_market, roles, eggs):
    order = sc.prepare(sc.place(market=market, items=[(eggs, "2")]))
    before = snapshot()
    client.force_login(roles.trader)
    not_courier = [client.get(f"{API}/courier/orders"), post(client, f"/courier/orders/{order.pk}/take")]
    client.force_login(sc.courier(other_market, "Jauh"))
    elsewhere = post(client, f"/courier/orders/{order.pk}/take")

    assert [r.status_code for r in not_courier] == [404, 404]
    assert not_courier[0].json() == {"detail": "You are not a courier of any market."}
    assert elsewhere.status_code == 404
    order.refresh_from_db()
    assert order.courier is None
    assert snapshot() == before


# Operator.


def test_the_operator_lists_and_cancels(client, market, roles, stall, eggs):
    placed = sc.place(market=market, items=[(eggs, "4")])
    ready = sc.prepare(sc.place(market=market, items=[(eggs, "1")]))
    client.force_login(roles.operator)

    listed = client.get(f"{API}/operator/markets/{market.slug}/orders").json()
    assert listed["count"] == 2
    assert [(o["number"], o["state"], o["parts"][0]["stall"]["name"]) for o in listed["items"]] == [
        (ready.number, "ready", stall.name),
        (placed.number, "placed", stall.name),
    ]
    only_placed = client.get(f"{API}/operator/markets/{market.slug}/orders", {"state": "placed"}).json()
    assert [o["number"] for o in only_placed["items"]] == [placed.number]
    other_day = client.get(f"{API}/operator/markets/{market.slug}/orders", {"day": "2020-01-01"}).json()
    assert other_day == {"items": [], "count": 0}
    assert client.get(f"{API}/operator/markets/{market.slug}/orders", {"state": "lost"}).status_code == 422

    empty = post(client, f"/operator/markets/{market.slug}/orders/{placed.pk}/cancel", {"reason": ""})
    assert empty.status_code == 422
    response = post(client, f"/operator/markets/{market.slug}/orders/{placed.pk}/cancel", {"reason": "Stok habis"})

    assert response.status_code == 200
    assert (response.json()["state"], response.json()["cancel_reason"]) == ("cancelled", "Stok habis")
    eggs.refresh_from_db()
    assert eggs.stock == 9
    again = post(client, f"/operator/markets/{market.slug}/orders/{placed.pk}/cancel", {"reason": "Lagi"})
    assert (again.status_code, again.json()["code"]) == (400, "state_backwards")


def test_an_operator_of_another_market_gets_404(client, market, other_market, roles, eggs):
    order = sc.place(market=market, items=[(eggs, "4")])
    client.force_login(roles.other_operator)
    before = snapshot()

    responses = [
        client.get(f"{API}/operator/markets/{market.slug}/orders"),
        post(client, f"/operator/markets/{market.slug}/orders/{order.pk}/cancel", {"reason": "x"}),
        post(client, f"/operator/markets/{other_market.slug}/orders/{order.pk}/cancel", {"reason": "x"}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert [r.json()["detail"] for r in responses] == ["Market not found.", "Market not found.", "Order not found."]
    assert snapshot() == before


def test_the_openapi_schema_documents_every_staff_operation(client):
    schema = client.get(f"{API}/openapi.json").json()
    operations = {
        op["operationId"]: (path, method, op)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
        if "orders-staff" in op.get("tags", [])
    }
    assert sorted(operations) == [
        "courier_board",
        "courier_order_deliver",
        "courier_order_take",
        "courier_part_pick_up",
        "courier_search_line_bought",
        "courier_search_line_not_found",
        "operator_order_cancel",
        "operator_orders_list",
        "trader_line_mark",
        "trader_line_substitute",
        "trader_line_weigh",
        "trader_part_accept",
        "trader_part_detail",
        "trader_part_ready",
        "trader_parts_list",
    ]
    for _path, method, op in operations.values():
        assert op["summary"]
        assert {"200", "401", "404"} <= set(op["responses"])
        if method == "post":
            assert "400" in op["responses"]
    assert "409" in operations["courier_order_take"][2]["responses"]


def test_quantities_are_exact_decimals(client, market, trader, chili):
    order = sc.place(market=market, items=[(chili, "0.25")])
    part, line = order.parts.get(), sc.line_of(order, chili)
    client.force_login(trader)
    response = post(client, f"/trader/parts/{part.pk}/lines/{line.pk}/weigh", {"quantity": "0.275", "amount": 11000})
    assert response.status_code == 200
    assert OrderLine.objects.get(pk=line.pk).final_quantity == Decimal("0.275")
