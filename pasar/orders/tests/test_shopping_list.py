"""Shopping-list matching: each parsed line becomes a cart line, a cari-di-pasar line or a flagged line."""

from decimal import Decimal

import pytest

from pasar.catalog.models import Commodity
from pasar.core.errors import DomainError
from pasar.orders.models import CartLine, CartRequest
from pasar.orders.services.cart import cart_set
from pasar.orders.services.shopping_list import (
    FLAGGED,
    PRODUCT,
    SEARCH,
    favourite_stalls,
    fit_to_steps,
    shopping_list_match,
    shopping_list_to_cart,
)
from pasar.orders.tests import staff_scenarios as sc
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer():
    return factories.user(name="Bu Rina")


def _of(name):
    return Commodity.objects.get(name=name)


def _weighed(stall, name, commodity, price, step="0.25"):
    product = factories.product(stall=stall, name=name, unit="kg", price=price, commodity_obj=_of(commodity))
    product.quantity_step = product.quantity_min = Decimal(step)
    product.save(update_fields=["quantity_step", "quantity_min"])
    return product


@pytest.fixture
def shop(vocabulary, market, stall):
    """Two stalls selling shallots (the second cheaper), chillies by the kilo, tempe by the slab."""
    other = factories.stall(market=market, number="B2")
    return {
        "other": other,
        "shallot": _weighed(stall, "Bawang Merah Brebes", "Bawang Merah", 40000),
        "shallot_cheap": _weighed(other, "Bawang Merah", "Bawang Merah", 36000),
        "chili": _weighed(stall, "Cabe Rawit", "Cabai Rawit Merah", 60000, step="0.1"),
        "tempe": factories.product(stall=other, name="Tempe", unit="papan", price=5000, commodity_obj=_of("Tempe")),
    }


def _match(buyer, market, text):
    return shopping_list_match(buyer=buyer, market=market, text=text)


def test_lines_match_by_commodity_then_price_with_units_converted(shop, buyer, market):
    result = _match(buyer, market, "bawang merah 1/4\ncabe rawit 5rb, tempe 2 papan dan kemangi 2 ikat")
    shallot, chili, tempe, kemangi = result.lines
    assert (shallot.kind, shallot.product, shallot.quantity) == (PRODUCT, shop["shallot_cheap"], Decimal("0.25"))
    assert shallot.estimate == 9000
    # Rp5.000 of chillies at Rp60.000/kg: 0.083 kg, rounded down to the 0.1 step but at least the minimum.
    assert (chili.kind, chili.product, chili.quantity) == (PRODUCT, shop["chili"], Decimal("0.1"))
    assert (tempe.kind, tempe.product, tempe.quantity) == (PRODUCT, shop["tempe"], Decimal(2))
    assert kemangi.kind == SEARCH
    assert kemangi.name == "kemangi"
    assert kemangi.asked == "2 ikat"


def test_grams_become_kilos_in_the_products_steps(shop, buyer, market):
    (line,) = _match(buyer, market, "bawang merah 300 gr").lines
    assert line.quantity == Decimal("0.25")  # 0.3 kg → the nearest 0.25 step
    assert "0,25" in line.messages[0]
    (line,) = _match(buyer, market, "bawang merah 1,5 kg").lines
    assert line.quantity == Decimal("1.5")
    assert line.messages == []


def test_money_buys_what_it_can_rounded_down(shop, buyer, market):
    (line,) = _match(buyer, market, "bawang merah 20rb").lines
    assert line.quantity == Decimal("0.5")  # Rp20.000 / Rp36.000 = 0.55 kg → 0.5
    assert line.estimate <= 20000


def test_a_favourite_stall_wins_over_a_cheaper_one(shop, buyer, market, stall):
    sc.place(market=market, items=[(shop["chili"], "0.1")], buyer=buyer)  # ordered at ``stall`` before
    assert favourite_stalls(buyer=buyer, market=market) == {stall.pk: 0}
    (line,) = _match(buyer, market, "bawang merah 1/2").lines
    assert line.product == shop["shallot"]


def test_unavailable_closed_or_short_products_are_skipped(shop, buyer, market):
    shop["shallot_cheap"].available = False
    shop["shallot_cheap"].save(update_fields=["available"])
    (line,) = _match(buyer, market, "bawang merah 1/4").lines
    assert line.product == shop["shallot"]
    shop["other"].is_open = False
    shop["other"].save(update_fields=["is_open"])
    assert _match(buyer, market, "tempe 2 papan").lines[0].kind == SEARCH
    shop["chili"].stock = 0
    shop["chili"].save(update_fields=["stock"])
    (line,) = _match(buyer, market, "cabe rawit 1/2").lines
    assert line.kind == SEARCH
    assert line.cap == 30000  # the market's median price for that quantity


def test_an_unconvertible_unit_or_no_quantity_gets_the_minimum_and_says_so(shop, buyer, market):
    line, plain = _match(buyer, market, "bawang merah 2 ikat\ntempe").lines
    assert line.quantity == Decimal("0.25")
    assert "ikat" in line.messages[0]
    assert plain.quantity == Decimal(1)
    assert plain.messages


@pytest.mark.parametrize(
    ("text", "kind"),
    [("😀😀", FLAGGED), ("5 kg", FLAGGED), ("1000 kg cabai", FLAGGED), ("cabe rawit 1000 kg", FLAGGED),
     ("sabun colek 2", SEARCH)],
)  # fmt: skip
def test_bad_lines_are_flagged_or_searched_never_dropped(shop, buyer, market, text, kind):
    (line,) = _match(buyer, market, text).lines
    assert line.kind == kind
    assert line.messages


def test_every_line_is_accounted_for(shop, buyer, market):
    text = "bawang merah 1/4\n😀\ncabe rawit 5rb\n5 kg\nkemangi 2 ikat\ntempe\n1000 kg cabai"
    result = _match(buyer, market, text)
    assert [line.parsed.raw for line in result.lines] == text.split("\n")
    assert len(result.of(PRODUCT)) + len(result.of(SEARCH)) + len(result.of(FLAGGED)) == 7


@pytest.mark.parametrize(("text", "code"), [("", "list_empty"), (" \n ,; ", "list_empty"),
                                            ("tempe 1\n" * 10_000, "list_too_long")])  # fmt: skip
def test_an_empty_or_huge_list_is_refused_and_nothing_written(shop, buyer, market, text, code):
    with pytest.raises(DomainError) as caught:
        shopping_list_to_cart(buyer=buyer, market=market, text=text)
    assert caught.value.code == code
    assert not CartLine.objects.exists()
    assert not CartRequest.objects.exists()


def test_the_list_goes_into_the_cart_adding_to_what_is_there(shop, buyer, market):
    cart_set(buyer=buyer, product=shop["tempe"], quantity=Decimal(1), note="yang tipis")
    written = shopping_list_to_cart(
        buyer=buyer, market=market, text="tempe 2 papan\nbawang merah 1/4 yg besar\nkemangi 2 ikat\n😀", caps={2: 4000}
    )
    assert (written.products, written.searches, written.flagged) == (2, 1, 1)
    tempe = CartLine.objects.get(product=shop["tempe"])
    assert tempe.quantity == 3
    assert CartLine.objects.get(product=shop["shallot_cheap"]).note == "yg besar"
    request = CartRequest.objects.get()
    assert (request.text, request.quantity, request.price_cap) == ("kemangi", "2 ikat", 4000)


def test_a_search_line_without_a_cap_refuses_the_whole_list(shop, buyer, market):
    with pytest.raises(DomainError) as caught:
        shopping_list_to_cart(buyer=buyer, market=market, text="tempe 2 papan\nkemangi 2 ikat")
    assert caught.value.code == "cap_missing"
    assert not CartLine.objects.exists()
    # Unticking the line in the preview lets the rest through.
    shopping_list_to_cart(buyer=buyer, market=market, text="tempe 2 papan\nkemangi 2 ikat", skip=frozenset({1}))
    assert CartLine.objects.count() == 1
    assert not CartRequest.objects.exists()


def test_a_money_amount_is_the_suggested_cap(shop, buyer, market):
    (line,) = _match(buyer, market, "kemangi 3rb").lines
    assert line.kind == SEARCH
    assert line.cap == 3000


def test_fit_to_steps_keeps_counted_goods_whole(shop):
    assert fit_to_steps(shop["tempe"], Decimal("2.4")) == 2
    assert fit_to_steps(shop["tempe"], Decimal("0.2")) == 1
