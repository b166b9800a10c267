"""Shopping-list matching: each parsed line becomes a cart line, a cari-di-pasar line or a flagged line."""

from decimal import Decimal

import pytest
from django.utils.translation import gettext

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
    # Rp5.000 of chillies at Rp60.000/kg is 0.083 kg, below the 0.1 kg minimum (Rp6.000): a budget is never
    # exceeded, so the courier asks a trader to weigh Rp5.000 worth.
    assert (chili.kind, chili.cap) == (SEARCH, 5000)
    assert "Rp5.000" in chili.messages[0]
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


def test_a_budget_below_the_smallest_step_is_weighed_by_a_trader_never_priced_above(vocabulary, market, stall, buyer):
    """Issue 13: "cabe rawit 5rb" at Rp37.500/kg sold in 0.25 kg steps was 0.25 kg = Rp9.375."""
    _weighed(stall, "Cabe Rawit", "Cabai Rawit Merah", 37500)

    (line,) = _match(buyer, market, "cabe rawit 5rb").lines

    assert (line.kind, line.product, line.cap) == (SEARCH, None, 5000)
    assert "Rp5.000" in line.messages[0]
    written = shopping_list_to_cart(buyer=buyer, market=market, text="cabe rawit 5rb")
    assert (written.products, written.searches) == (0, 1)
    request = CartRequest.objects.get()
    assert (request.text, request.quantity, request.price_cap) == ("cabai rawit merah", "Rp5.000", 5000)
    assert not CartLine.objects.exists()


def test_a_budget_goes_to_the_stall_whose_step_fits_it(vocabulary, market, stall, buyer):
    _weighed(stall, "Cabe Rawit", "Cabai Rawit Merah", 37500)  # cheaper per kg, but 0.25 kg = Rp9.375
    small = _weighed(factories.stall(market=market, number="C3"), "Rawit", "Cabai Rawit Merah", 40000, step="0.1")

    (line,) = _match(buyer, market, "cabe rawit 5rb").lines

    assert (line.kind, line.product, line.quantity, line.estimate) == (PRODUCT, small, Decimal("0.1"), 4000)


@pytest.mark.parametrize("budget", [1000, 2500, 4999, 5000, 9375, 12000, 20000, 37500, 100000])
@pytest.mark.parametrize(("price", "step"), [(37500, "0.25"), (60000, "0.1"), (9000, "0.5"), (36000, "0.25")])
def test_a_product_line_is_never_priced_above_its_budget(vocabulary, market, stall, buyer, budget, price, step):
    _weighed(stall, "Cabe Rawit", "Cabai Rawit Merah", price, step=step)

    (line,) = _match(buyer, market, f"cabe rawit Rp {budget}").lines

    if line.kind == PRODUCT:
        assert line.estimate is not None
        assert line.estimate <= budget
        assert line.quantity is not None
        # Rounded down to the step: one more step would cost more than the budget.
        assert line.estimate + price * Decimal(step) > budget
    else:
        assert (line.kind, line.cap) == (SEARCH, budget)
        assert price * Decimal(step) > budget


def test_a_counted_product_is_whole_and_within_the_budget(shop, buyer, market):
    (line,) = _match(buyer, market, "tempe 12rb").lines  # Rp5.000 a slab
    assert (line.kind, line.quantity, line.estimate) == (PRODUCT, Decimal(2), 10000)
    (line,) = _match(buyer, market, "tempe 4rb").lines
    assert (line.kind, line.cap) == (SEARCH, 4000)


def test_chatter_lines_are_left_out_with_a_message_and_never_written(shop, buyer, market):
    text = "Bu, titip ya 🙏\nbelanjaan hari ini:\ntempe 2 papan\nmakasih bu 🙏"

    result = _match(buyer, market, text)

    assert [(line.parsed.raw, line.kind) for line in result.lines] == [
        ("Bu", FLAGGED),
        ("titip ya 🙏", FLAGGED),
        ("belanjaan hari ini:", FLAGGED),
        ("tempe 2 papan", PRODUCT),
        ("makasih bu 🙏", FLAGGED),
    ]
    assert all(line.parsed.chatter for line in result.of(FLAGGED))
    assert result.lines[0].messages == [gettext("Not an item (a greeting, thanks or heading): left out.")]
    written = shopping_list_to_cart(buyer=buyer, market=market, text=text)
    assert (written.products, written.searches, written.flagged) == (1, 0, 4)
    assert CartLine.objects.get().product == shop["tempe"]
    assert not CartRequest.objects.exists()


def test_chicken_parts_santan_and_green_chillies_match_their_own_products(vocabulary, market, stall, buyer):
    thigh = _weighed(stall, "Paha Ayam", "Paha Ayam", 42000)
    _weighed(stall, "Ayam Potong", "Daging Ayam Ras", 38000)
    green = _weighed(stall, "Cabe Ijo", "Cabai Hijau", 30000)
    _weighed(stall, "Cabe Rawit Ijo", "Cabai Rawit Hijau", 35000)
    kelapa = factories.product(stall=stall, name="Kelapa", unit="buah", price=10000, commodity_obj=_of("Kelapa"))

    thighs, chillies, santan = _match(buyer, market, "paha ayam 1 kg\ncabe ijo 1/4\nsantan kara 2").lines

    assert (thighs.kind, thighs.product, thighs.quantity) == (PRODUCT, thigh, Decimal(1))
    assert (chillies.kind, chillies.product) == (PRODUCT, green)
    assert santan.kind == SEARCH  # no stall sells santan: not the coconuts
    assert santan.product != kelapa
    assert santan.name == "santan"
