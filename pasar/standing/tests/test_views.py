"""The pages: create from the cart and from a past order, edit and skip the draft, pause, the gate."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pasar.accounts.models import Business, BusinessMember
from pasar.orders.models import Order
from pasar.orders.services.cart import cart_set
from pasar.standing.models import Run, StandingOrder
from pasar.standing.placing import runs_settle
from pasar.standing.tests.scenarios import MONDAY, THURSDAY, at, mon_thu, restaurant
from pasar.testing import factories

pytestmark = pytest.mark.django_db
WEDNESDAY = at(THURSDAY, 10).replace(day=2)


@pytest.fixture
def r(client, time_machine):
    time_machine.move_to(WEDNESDAY, tick=False)
    r = restaurant()
    client.force_login(r.buyer)
    return r


def _form(**extra):
    data = {
        "name": "Dapur",
        "every": "weekdays",
        "weekdays": ["1", "4"],
        "starts_on": "2026-12-02",
        "fulfilment": "delivery",
        "address": "Jl. Braga 10",
        "lat": "-6,915",
        "lng": "107,61",
        "payment_method": "cod",
    }
    return {**data, **extra}


def test_create_from_the_cart_shows_the_next_draft_in_indonesian(client, r):
    cart_set(buyer=r.buyer, product=r.bawang, quantity=Decimal(2))
    cart_set(buyer=r.buyer, product=r.ayam, quantity=Decimal(3))
    page = client.get(reverse("standing:new", args=[r.market.slug]))
    assert "Pesanan rutin baru" in page.content.decode()
    response = client.post(reverse("standing:new", args=[r.market.slug]), _form(), follow=True)
    standing = StandingOrder.objects.get(buyer=r.buyer)
    assert standing.weekdays == "14"
    body = response.content.decode()
    assert "Pengiriman berikutnya: Kamis, 3 Desember" in body
    assert "Bawang Merah" in body
    assert "Ayam Potong" in body


def test_create_from_a_past_order_copies_its_lines_and_address(client, r):
    standing = mon_thu(r, now=WEDNESDAY)
    runs_settle(now=at(THURSDAY, 11))
    order = Order.objects.get(buyer=r.buyer)
    url = reverse("standing:new", args=[r.market.slug]) + f"?pesanan={order.number}"
    page = client.get(url)
    assert "Jl. Braga 10" in page.content.decode()
    client.post(url, _form(name="Ulang", weekdays=["2"]))
    again = StandingOrder.objects.exclude(pk=standing.pk).get()
    assert sorted(again.lines.values_list("product__name", flat=True)) == ["Ayam Potong", "Bawang Merah", "Cabai Rawit"]


def test_validation_errors_are_shown_not_saved(client, r):
    cart_set(buyer=r.buyer, product=r.bawang, quantity=Decimal(2))
    response = client.post(reverse("standing:new", args=[r.market.slug]), _form(weekdays=[]))
    assert response.status_code == 200
    assert "Pilih paling sedikit satu hari" in response.content.decode()
    assert not StandingOrder.objects.exists()


def test_edit_and_skip_the_draft_then_refused_after_cutoff(client, r, time_machine):
    standing = mon_thu(r, now=WEDNESDAY)
    run = Run.objects.get(standing=standing, date=THURSDAY)
    line_url = reverse("standing:run-line", args=[standing.pk, run.pk])
    client.post(line_url, {"product": r.cabai.pk, "quantity": "0,75"})
    assert run.lines.get(product=r.cabai).quantity == Decimal("0.75")
    client.post(line_url, {"product": r.bawang.pk, "remove": "1"})
    assert not run.lines.filter(product=r.bawang).exists()
    skip_url = reverse("standing:run-skip", args=[standing.pk, run.pk])
    client.post(skip_url, {"skip": "1"})
    run.refresh_from_db()
    assert run.state == Run.State.SKIPPED
    page = client.get(standing.get_absolute_url()).content.decode()
    assert "Tanggal ini dilewati." in page
    assert "Pengiriman berikutnya: Senin, 7 Desember" in page  # the next one is still there to check
    client.post(skip_url, {"skip": "0"})
    time_machine.move_to(at(THURSDAY, 11, 2), tick=False)
    response = client.post(line_url, {"product": r.cabai.pk, "quantity": "2"}, follow=True)
    assert "tidak dapat diubah lagi" in response.content.decode()
    assert run.lines.get(product=r.cabai).quantity == Decimal("0.75")


@pytest.mark.parametrize("product", ["²", "9" * 25, "-1", "abc"])
def test_a_product_id_that_is_not_a_number_is_refused_with_a_message(client, r, product):
    standing = mon_thu(r, now=WEDNESDAY)
    run = Run.objects.get(standing=standing, date=THURSDAY)
    before = list(run.lines.values_list("product_id", "quantity"))

    response = client.post(
        reverse("standing:run-line", args=[standing.pk, run.pk]), {"product": product, "quantity": "2"}, follow=True
    )

    assert response.status_code == 200
    assert "Pilih produk dari pasar ini." in response.content.decode()
    assert list(run.lines.values_list("product_id", "quantity")) == before


def test_pause_resume_and_schedule_pages(client, r):
    standing = mon_thu(r, now=WEDNESDAY)
    client.post(reverse("standing:pause", args=[standing.pk]), {"paused": "1"})
    assert StandingOrder.objects.get(pk=standing.pk).paused
    client.post(reverse("standing:pause", args=[standing.pk]), {"paused": "0"})
    assert not StandingOrder.objects.get(pk=standing.pk).paused
    client.post(
        reverse("standing:schedule", args=[standing.pk]),
        {"every": "weekdays", "weekdays": ["1"], "starts_on": "2026-12-02"},
    )
    assert list(standing.runs.values_list("date", flat=True)) == [MONDAY]


def test_history_shows_what_was_dropped(client, r):
    standing = mon_thu(r, now=WEDNESDAY)
    r.ayam.stock = 0
    r.ayam.save()
    runs_settle(now=at(THURSDAY, 11))
    body = client.get(standing.get_absolute_url()).content.decode()
    assert "Ayam Potong: stok habis, tidak dipesan" in body
    assert Order.objects.get(buyer=r.buyer).number in body


def test_only_the_buyer_or_a_fellow_business_member_sees_it(client, r):
    standing = mon_thu(r, now=WEDNESDAY)
    stranger = factories.user(name="Orang lain")
    client.force_login(stranger)
    assert client.get(standing.get_absolute_url()).status_code == 404
    run = standing.runs.get()
    client.post(reverse("standing:run-skip", args=[standing.pk, run.pk]), {"skip": "1"})
    run.refresh_from_db()
    assert run.state == Run.State.DRAFT
    business = Business.objects.create(name="RM Sunda", kind="restaurant", address="Jl. Braga")
    BusinessMember.objects.create(business=business, user=r.buyer)
    BusinessMember.objects.create(business=business, user=stranger)
    assert client.get(standing.get_absolute_url()).status_code == 200
    assert "Dapur" in client.get(reverse("standing:list")).content.decode()
