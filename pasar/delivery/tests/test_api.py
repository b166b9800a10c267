import pytest

from pasar.delivery.models import Offer, Trip
from pasar.delivery.tests.scenarios import couriers, product, ready_order
from pasar.orders.models import Order

pytestmark = pytest.mark.django_db


def test_a_courier_rides_a_whole_trip_over_the_api(client, market):
    (rider,) = couriers(market, 1)
    client.force_login(rider)
    client.post("/api/v1/courier/queue/check-out")
    order = ready_order(market, product(market))

    joined = client.post(
        "/api/v1/courier/queue/check-in", {"market": market.slug, "capacity": 2}, content_type="application/json"
    )
    assert joined.status_code == 200
    offer = joined.json()["offer"]
    assert [d["order_id"] for d in offer["trip"]["dropoffs"]] == [order.pk]
    assert 0 < offer["seconds_left"] <= 60

    accepted = client.post(f"/api/v1/courier/offers/{offer['id']}/accept").json()
    trip = accepted["trip"]
    assert Trip.objects.get(pk=trip["id"]).courier == rider
    stall = trip["pickups"][0]["stall_id"]
    assert client.post(f"/api/v1/courier/trips/{trip['id']}/stalls/{stall}/pick-up").status_code == 200
    order.refresh_from_db()
    cash = (order.goods_total or 0) + order.delivery_fee
    wrong = client.post(
        f"/api/v1/courier/trips/{trip['id']}/orders/{order.pk}/deliver", {"code": "000000", "cash": cash},
        content_type="application/json",
    )  # fmt: skip
    done = client.post(
        f"/api/v1/courier/trips/{trip['id']}/orders/{order.pk}/deliver", {"code": order.handover_code, "cash": cash},
        content_type="application/json",
    )  # fmt: skip

    assert wrong.status_code == 400
    assert wrong.json()["code"] == "bad_code"
    assert done.status_code == 200
    assert done.json()["trip"] is None
    assert done.json()["position"] == 1  # back in line
    assert Order.objects.get(pk=order.pk).state == Order.State.DELIVERED


def test_another_couriers_offer_is_404_and_changes_nothing(client, market):
    owner, other = couriers(market, 2)
    ready_order(market, product(market))
    client.force_login(owner)
    offer_id = client.get("/api/v1/courier/queue").json()["offer"]["id"]
    client.force_login(other)

    response = client.post(f"/api/v1/courier/offers/{offer_id}/accept")

    assert response.status_code == 404
    assert Offer.objects.get(pk=offer_id).state == Offer.State.PENDING
