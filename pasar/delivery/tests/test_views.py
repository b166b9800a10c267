import pytest

from pasar.delivery import services
from pasar.delivery.models import CourierShift, Job, Offer, Trip
from pasar.delivery.tests.scenarios import couriers, product, ready_order
from pasar.orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_a_courier_checks_in_takes_the_offer_and_delivers_from_the_phone_screen(english, market):
    client = english
    (rider,) = couriers(market, 1)
    services.checkout(courier=rider)
    order = ready_order(market, product(market))
    client.force_login(rider)

    page = client.post("/kurir/antrian/", {"action": "checkin", "market": market.slug, "capacity": "2"}, follow=True)
    assert _messages(page) == [f"You are in line at {market.name}."]
    assert CourierShift.objects.get(courier=rider, checked_out_at__isnull=True).capacity == 2

    page = client.get("/kurir/antrian/")  # the page view dispatches: the order is offered
    offer = Offer.objects.get(courier=rider, state=Offer.State.PENDING)
    assert page.context["screen"].offer == offer
    assert "seconds left" in page.content.decode()

    client.post("/kurir/antrian/", {"action": "accept", "offer": offer.pk})
    trip = Trip.objects.get(courier=rider)
    page = client.get("/kurir/antrian/")
    html = page.content.decode()
    assert f"https://www.google.com/maps/dir/?api=1&amp;destination={order.latitude:.6f},{order.longitude:.6f}" in html
    stall = order.parts.get().stall
    picked = client.post("/kurir/antrian/", {"action": "pick_up", "trip": trip.pk, "stall": stall.pk}, follow=True)
    assert _messages(picked) == ["Picked up."]
    order.refresh_from_db()
    due = (order.goods_total or 0) + order.delivery_fee
    page = client.post(
        "/kurir/antrian/",
        {"action": "deliver", "trip": trip.pk, "order": order.pk, f"d{order.pk}-code": order.handover_code,
         f"d{order.pk}-cash": str(due)},
        follow=True,
    )  # fmt: skip

    assert _messages(page) == ["Handed over."]
    order.refresh_from_db()
    assert order.state == Order.State.DELIVERED
    assert page.context["earnings"].deliveries == 1
    assert page.context["earnings"].fees == order.delivery_fee
    assert page.context["earnings"].cash == due


def test_another_couriers_offer_is_a_404_and_changes_nothing(client, market):
    owner, other = couriers(market, 2)
    ready_order(market, product(market))
    offer = services.dispatch(market)[0]
    assert offer.courier == owner
    client.force_login(other)

    response = client.post("/kurir/antrian/", {"action": "accept", "offer": offer.pk})

    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.state == Offer.State.PENDING


def test_the_operator_sees_the_line_and_waiting_orders_and_reassigns(english, market, roles):
    client = english
    first, second = couriers(market, 2)
    order = ready_order(market, product(market))
    services.dispatch(market)
    client.force_login(roles.operator)

    page = client.get(f"/pengelola/{market.slug}/antrian/")
    html = page.content.decode()
    assert order.number in html
    assert [item["row"].order for item in page.context["waiting"]] == [order]
    assert [shift.courier for shift in page.context["free"]] == [second]

    page = client.post(
        f"/pengelola/{market.slug}/antrian/",
        {"action": "reassign", "order": order.pk, "courier": second.pk},
        follow=True,
    )

    assert _messages(page) == [f"Offered to {second.name}."]
    assert Offer.objects.get(state=Offer.State.PENDING).courier == second


def test_the_offer_section_refreshes_alone_with_htmx(client, market):
    (rider,) = couriers(market, 1)
    ready_order(market, product(market))
    client.force_login(rider)

    response = client.get("/kurir/antrian/", headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="offer"')
    assert 'hx-trigger="every 5s"' in html
    assert "<html" not in html


def test_with_nobody_on_duty_the_operator_sees_the_ready_order_and_hands_it_to_an_external_courier(
    english, market, roles, settings
):
    settings.PASAR_DELIVERY_PROVIDER = "fake"
    settings.PASAR_DELIVERY_EXTERNAL_AFTER_MINUTES = 0
    client = english
    order = ready_order(market, product(market))
    client.force_login(roles.operator)

    page = client.get(f"/pengelola/{market.slug}/antrian/")

    assert [item["row"].order for item in page.context["waiting"]] == [order]
    assert not Job.objects.exists()  # a page view discovers nothing while nobody is on duty
    assert "Hand to an external courier" in page.content.decode()
    page = client.post(f"/pengelola/{market.slug}/antrian/", {"action": "external", "order": order.pk}, follow=True)

    assert _messages(page)[0].startswith("Booked an external courier (FAKE-")
    assert Job.objects.get(order=order).state == Job.State.EXTERNAL
