"""Variants (size, colour, motif): each its own product with price and stock, chosen on the parent's page."""

import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from pasar.catalog.models import Product
from pasar.catalog.selectors import product_search, stall_list
from pasar.catalog.services import VariantInput, variant_create
from pasar.core.errors import DomainError
from pasar.orders.models import CartLine
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def daster(stall):
    """A daster batik in L/XL red and L blue (XL red sold out), and a plain product next to it."""
    parent = factories.product(stall=stall, name="Daster Batik", unit="pcs", price=45000)
    variants = {
        "L merah": variant_create(parent=parent, data=VariantInput(price=85000, size="l", colour="Merah", stock=4)),
        "XL merah": variant_create(parent=parent, data=VariantInput(price=120000, size="XL", colour="merah", stock=0)),
        "L biru": variant_create(parent=parent, data=VariantInput(price=90000, size="L", colour="biru", stock=2)),
    }
    factories.product(stall=stall, name="Kerudung Segi Empat", unit="pcs", price=35000)
    parent.refresh_from_db()
    return parent, variants


def test_a_variant_is_a_product_named_with_its_label_and_its_parent_is_never_sold(daster):
    parent, variants = daster
    assert variants["L merah"].name == "Daster Batik — L, merah"
    assert (variants["L merah"].size, variants["L merah"].colour) == ("L", "merah")
    # The parent summarises: lowest price, and nothing left to sell under its own id.
    assert (parent.price, parent.stock, parent.available) == (85000, 0, False)


def test_the_database_refuses_a_second_identical_variant(daster):
    parent, variants = daster
    duplicate = Product.objects.get(pk=variants["L biru"].pk)
    duplicate.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    with pytest.raises(DomainError):
        variant_create(parent=parent, data=VariantInput(price=1000, size="L", colour="biru"))


def test_the_database_refuses_a_variant_without_attributes_or_a_plain_product_with_one(daster, stall):
    _parent, variants = daster
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=variants["L biru"].pk).update(size="", colour="")
    kaos = factories.product(stall=stall, name="Kaos")
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=kaos.pk).update(size="M")


def test_a_variant_cannot_have_variants(daster):
    _parent, variants = daster
    with pytest.raises(DomainError):
        variant_create(parent=variants["L biru"], data=VariantInput(price=1000, size="S"))


def test_the_product_page_offers_the_variants_as_radio_buttons_and_disables_the_sold_out_one(client, daster):
    parent, variants = daster
    page = client.get(parent.get_absolute_url()).text

    assert "Rp85.000–Rp120.000" in page
    radios = dict(
        re.findall(r'<input type="radio" id="variant-(\d+)" name="variant" value="\d+" required( disabled)?', page)
    )
    assert set(radios) == {str(v.pk) for v in variants.values()}
    assert radios[str(variants["XL merah"].pk)] == " disabled"
    assert radios[str(variants["L merah"].pk)] == ""
    assert "<legend>merah</legend>" in page
    assert "<legend>biru</legend>" in page
    assert "habis" in page  # sold out, said in Indonesian


def test_adding_to_the_cart_puts_the_chosen_variant_in_it(client, daster, roles):
    parent, variants = daster
    client.force_login(roles.buyer)

    response = client.post(f"/keranjang/tambah/{parent.pk}/", {"variant": variants["L merah"].pk, "quantity": "2"})

    assert response.status_code == 302
    line = CartLine.objects.get()
    assert (line.product_id, line.quantity) == (variants["L merah"].pk, Decimal(2))
    cart = client.get(f"/keranjang/{parent.market.slug}/").text
    assert "Daster Batik — L, merah" in cart


def test_a_sold_out_variant_is_refused_with_a_clear_message_and_nothing_changes(client, daster, roles):
    parent, variants = daster
    client.force_login(roles.buyer)

    response = client.post(
        f"/keranjang/tambah/{parent.pk}/", {"variant": variants["XL merah"].pk, "quantity": "1"}, follow=True
    )

    assert "Daster Batik — XL, merah sudah habis: pilih ukuran atau warna lain." in response.text
    assert not CartLine.objects.exists()
    assert Product.objects.get(pk=variants["XL merah"].pk).stock == 0


def test_a_parent_without_a_chosen_variant_is_refused(client, daster, roles):
    parent, variants = daster
    client.force_login(roles.buyer)
    other = factories.product(stall=parent.stall, name="Kaos", unit="pcs")

    for posted in ({}, {"variant": other.pk}):  # none, or a product that is not one of its variants
        response = client.post(f"/keranjang/tambah/{parent.pk}/", {**posted, "quantity": "1"}, follow=True)
        assert "Pilih ukuran atau warna dulu." in response.text
    assert not CartLine.objects.exists()


def test_the_stall_lists_the_parent_once_with_its_price_range(client, daster, market):
    parent, _variants = daster
    page = client.get(f"/lapak/{parent.stall_id}/").text

    assert page.count("Daster Batik") == 1
    assert "Rp85.000–Rp120.000" in page
    assert next(iter(stall_list(market=market))).product_count == 2  # type: ignore[attr-defined]  # the daster and the kerudung


@pytest.mark.parametrize("query", ["daster L", "batik merah", "daster biru", "daster"])
def test_search_finds_the_parent_once_through_its_variants(daster, market, query):
    parent, _variants = daster
    found = product_search(market=market, query=query)
    assert [p.pk for p in found] == [parent.pk]


def test_a_parent_whose_variants_are_all_sold_out_is_listed_as_sold_out(client, daster):
    parent, variants = daster
    Product.objects.filter(variant_of=parent).update(stock=0)
    page = client.get(parent.get_absolute_url()).text
    assert "Habis" in page
    assert 'name="variant"' not in page


def test_the_api_shows_the_variants_under_the_product(client, daster):
    parent, variants = daster
    body = client.get(f"/api/v1/products/{parent.pk}").json()

    assert body["variant_of"] is None
    assert body["available"] is True
    assert body["price"] == 85000
    shown = {(v["size"], v["colour"]): v for v in body["variants"]}
    assert set(shown) == {("L", "merah"), ("XL", "merah"), ("L", "biru")}
    assert shown[("XL", "merah")] | {"id": 0} == {
        "id": 0,
        "name": "Daster Batik — XL, merah",
        "size": "XL",
        "colour": "merah",
        "motif": "",
        "price": 120000,
        "available": False,
        "stock": 0,
    }
    one = client.get(f"/api/v1/products/{variants['L biru'].pk}").json()
    assert (one["variant_of"], one["size"], one["variants"]) == (parent.pk, "L", [])
    stall = client.get(f"/api/v1/stalls/{parent.stall_id}").json()
    assert [p["name"] for p in stall["products"]] == ["Daster Batik", "Kerudung Segi Empat"]
    hits = client.get(f"/api/v1/markets/{parent.market.slug}/search", {"q": "daster L"}).json()
    assert [h["id"] for h in hits] == [parent.pk]
    assert len(hits[0]["variants"]) == 3


def test_the_trader_screen_groups_variants_under_their_product_and_saves_a_variants_price(client, daster):
    parent, variants = daster
    client.force_login(parent.stall.trader.user)
    page = client.get("/pedagang/harga/").text

    assert f'name="price-{parent.pk}"' not in page  # the parent's price follows its variants
    rows = re.findall(r'<tr id="row-(\d+)"', page)
    assert rows.index(str(parent.pk)) < rows.index(str(variants["L merah"].pk))
    form = dict(re.findall(r'name="((?:price|stock|seen)-\d+)"[^>]*value="([^"]*)"', page))
    form |= {f"available-{v.pk}": "on" for v in variants.values()}
    form |= {f"available-{p.pk}": "on" for p in Product.objects.filter(name="Kerudung Segi Empat")}
    form[f"price-{variants['L merah'].pk}"] = "80.000"

    response = client.post("/pedagang/harga/", form)

    assert response.status_code == 302
    assert Product.objects.get(pk=variants["L merah"].pk).price == 80000
    parent.refresh_from_db()
    assert (parent.price, parent.available, parent.stock) == (80000, False, 0)  # the summary followed


def test_renaming_the_parent_renames_its_variants(client, daster):
    from pasar.catalog.services import ProductInput, product_update

    parent, variants = daster
    product_update(product=parent, data=ProductInput(name="Daster Batik Solo", unit="pcs", price=1000))
    assert Product.objects.get(pk=variants["L biru"].pk).name == "Daster Batik Solo — L, biru"
    parent.refresh_from_db()
    assert (parent.price, parent.available) == (85000, False)


def test_a_trader_adds_a_size_to_a_product_which_is_then_sold_by_its_sizes(client, stall):
    kaos = factories.product(stall=stall, name="Kaos Anak", unit="pcs", price=25000, stock=9)
    client.force_login(stall.trader.user)
    assert "Tambah varian" in client.get(f"/pedagang/produk/{kaos.pk}/").text

    posted = {"variant-size": "m", "variant-colour": "Kuning", "variant-price": "27.500", "variant-stock": "5"}
    response = client.post(f"/pedagang/produk/{kaos.pk}/varian/", posted)

    assert response.status_code == 302
    variant = Product.objects.get(variant_of=kaos)
    assert (variant.name, variant.size, variant.colour, variant.price, variant.stock) == (
        "Kaos Anak — M, kuning",
        "M",
        "kuning",
        27500,
        5,
    )
    kaos.refresh_from_db()
    assert (kaos.price, kaos.stock, kaos.available) == (27500, 0, False)
    again = client.post(f"/pedagang/produk/{kaos.pk}/varian/", posted)
    assert again.status_code == 400
    assert "Varian ini sudah ada." in again.text
    assert Product.objects.filter(variant_of=kaos).count() == 1
    # A variant's own edit page is its parent's.
    assert client.get(f"/pedagang/produk/{variant.pk}/").url == f"/pedagang/produk/{kaos.pk}/"


def test_a_trader_cannot_add_a_variant_to_another_traders_product(client, daster, roles):
    parent, _variants = daster
    client.force_login(roles.other_trader)
    response = client.post(f"/pedagang/produk/{parent.pk}/varian/", {"variant-size": "S", "variant-price": "1000"})
    assert response.status_code == 404
    assert Product.objects.filter(variant_of=parent).count() == 3


def test_code_that_knows_nothing_of_variants_cannot_sell_a_parent(daster, roles):
    from pasar.orders.services.cart import cart_set

    parent, _variants = daster
    with pytest.raises(DomainError):  # the cart API and the shopping list go through here
        cart_set(buyer=roles.buyer, product=parent, quantity=Decimal(1))
    assert not CartLine.objects.exists()


def test_a_queued_offline_save_of_one_variant_changes_that_variant_and_its_parents_summary(client, daster):
    parent, variants = daster
    client.force_login(parent.stall.trader.user)
    blue = variants["L biru"]
    data = {"partial": "1", f"price-{blue.pk}": "70.000", f"was-price-{blue.pk}": "90000", f"available-{blue.pk}": "on"}

    response = client.post("/pedagang/harga/", data, headers={"X-Idempotency-Key": "k-variant-0001"})

    assert response.status_code == 302
    prices = dict(Product.objects.filter(variant_of=parent).values_list("pk", "price"))
    assert prices == {variants["L merah"].pk: 85000, variants["XL merah"].pk: 120000, blue.pk: 70000}
    assert Product.objects.get(pk=parent.pk).price == 70000
