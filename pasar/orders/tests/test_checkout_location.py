"""Delivery location as people give it: address and patokan, coordinates with a comma or a dot (or pasted
whole from a map app), errors that name the field, "Use my location" that explains itself without JS."""

from decimal import Decimal

import pytest

from pasar.orders.forms import parse_coordinate, split_pair
from pasar.orders.models import Order
from pasar.orders.services.cart import cart_set
from pasar.orders.tests.test_views import (  # noqa: F401  (fixtures)
    buyer,
    checkout_form,
    client,
    eggs,
    filled,
    fish,
    now,
    snapshot,
)
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "number"),
    [("-6,914", -6.914), ("-6.914", -6.914), (" 107,61 ", 107.61), ("107", 107.0), ("-6,9,1", None), ("abc", None)],
)
def test_a_coordinate_takes_a_comma_or_a_dot(text, number):
    assert parse_coordinate(text) == number


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("-6.914744, 107.609810", ("-6.914744", "107.609810")),
        ("-6.914744,107.609810", ("-6.914744", "107.609810")),
        ("-6,9147 107,6098", ("-6,9147", "107,6098")),
        ("-6,9147; 107,6098", ("-6,9147", "107,6098")),
        ("-6,914", None),
        ("-6.914", None),
    ],
)
def test_a_point_pasted_whole_is_split_into_its_two_numbers(text, pair):
    assert split_pair(text) == pair


def test_commas_are_accepted_and_the_landmark_reaches_the_order(client, now, filled):  # noqa: F811
    page = client.get(f"/keranjang/{filled.slug}/checkout/")

    response = client.post(
        page.request["PATH_INFO"],
        checkout_form(page, lat="-6,9007", lng="107,6227", landmark="Pagar hijau depan masjid"),
    )

    order = Order.objects.get()
    assert response["Location"] == f"/pesanan/{order.number}/"
    assert (order.latitude, order.longitude, order.landmark) == (-6.9007, 107.6227, "Pagar hijau depan masjid")


def test_a_point_pasted_into_the_latitude_field_fills_both(client, now, filled):  # noqa: F811
    page = client.get(f"/keranjang/{filled.slug}/checkout/")

    response = client.post(
        page.request["PATH_INFO"], checkout_form(page, action="quote", lat="-6.9407, 107.6227", lng="")
    )

    assert response.context["quote"].fee == 10000


def test_a_bad_coordinate_is_a_field_error_that_names_the_field_and_writes_nothing(client, now, filled):  # noqa: F811
    page = client.get(f"/keranjang/{filled.slug}/checkout/")
    before = snapshot()

    response = client.post(page.request["PATH_INFO"], checkout_form(page, lat="enam", lng="200"))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["lat"] == ["Latitude: write a number such as -6,914 (a comma or a dot both work)."]
    assert errors["lng"] == ["Longitude must be between 94,5 and 141,5 (inside Indonesia)."]
    assert 'id="lat-error"' in response.text
    assert '<details id="point" open>' in response.text
    assert snapshot() == before


def test_use_my_location_without_javascript_says_what_to_do(client, now, filled):  # noqa: F811
    page = client.get(f"/keranjang/{filled.slug}/checkout/")
    before = snapshot()

    response = client.post(page.request["PATH_INFO"], checkout_form(page, action="locate", lat="", lng=""))

    assert response.status_code == 200
    assert "Your location needs JavaScript and your permission." in response.text
    assert snapshot() == before


def test_a_remembered_address_fills_the_form_in_one_tap(client, now, buyer, filled, eggs):  # noqa: F811
    page = client.get(f"/keranjang/{filled.slug}/checkout/")
    client.post(page.request["PATH_INFO"], checkout_form(page, landmark="Pagar hijau"))
    order = Order.objects.get()
    cart_set(buyer=buyer, product=eggs, quantity=Decimal(2))
    page = client.get(f"/keranjang/{filled.slug}/checkout/")
    assert 'id="saved-addresses"' in page.text
    before = snapshot()

    response = client.post(
        page.request["PATH_INFO"], checkout_form(page, action="", address="", lat="", lng="", saved=str(order.pk))
    )

    form = response.context["form"]
    assert (form["address"].value(), form["landmark"].value()) == ("Jl. Cihapit 12", "Pagar hijau")
    assert response.context["quote"].fee == 8000
    assert snapshot() == before


def test_another_buyers_address_is_never_offered_or_filled(client, now, buyer, filled, eggs):  # noqa: F811
    page = client.get(f"/keranjang/{filled.slug}/checkout/")
    client.post(page.request["PATH_INFO"], checkout_form(page))
    theirs = Order.objects.get()
    other = factories.user(name="Orang Lain")
    client.force_login(other)
    cart_set(buyer=other, product=eggs, quantity=Decimal(1))
    page = client.get(f"/keranjang/{filled.slug}/checkout/")
    assert 'id="saved-addresses"' not in page.text

    response = client.post(
        page.request["PATH_INFO"], checkout_form(page, action="quote", address="", lat="", lng="", saved=str(theirs.pk))
    )

    assert response.context["form"]["address"].value() == ""
    assert response.context["quote"] is None
