"""Tawar: who may bargain, the bounds, one counter, expiry on a frozen clock, the agreed price at placement."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pasar.accounts.models import Business, BusinessMember
from pasar.catalog.services import product_set_bargain_from
from pasar.core.errors import DomainError
from pasar.notifications.models import Notification
from pasar.orders.models import CartLine, Offer, OfferEvent, Order, OrderLine
from pasar.orders.services import bargain, fulfilment
from pasar.orders.services.cart import cart_set
from pasar.orders.services.placement import Checkout, order_place
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def chili(market):
    product = factories.product(stall=factories.stall(market=market), name="Cabai Merah", unit="kg", price=50000)
    product_set_bargain_from(product=product, quantity=Decimal(5))
    return product


@pytest.fixture
def buyer():
    return factories.user(name="Pembeli")


def _trader(product):
    return product.stall.trader.user


def _checkout(market, key="k1", **extra):
    data = {
        "market": market,
        "fulfilment": Order.Fulfilment.DELIVERY,
        "payment_method": Order.PaymentMethod.COD,
        "idempotency_key": key,
        "address": "Jl. Cihapit 1",
        "latitude": market.latitude + 0.01,
        "longitude": market.longitude,
    }
    return Checkout(**(data | extra))


def _line(buyer, product):
    return CartLine.objects.get(cart__buyer=buyer, product=product)


def test_below_the_stalls_quantity_a_household_buyer_may_not_bargain(chili, buyer):
    cart_set(buyer=buyer, product=chili, quantity=Decimal(4))
    with pytest.raises(DomainError) as refused:
        bargain.offer_propose(buyer=buyer, product=chili, price=45000)
    assert refused.value.code == "offer_not_allowed"
    assert refused.value.message == "Tawar untuk Cabai Merah mulai dari 5 kg."
    cart_set(buyer=buyer, product=chili, quantity=Decimal(5))
    offer = bargain.offer_propose(buyer=buyer, product=chili, price=45000)
    assert (offer.state, offer.listed_price, offer.quantity) == (Offer.State.OPEN, 50000, Decimal(5))
    assert _line(buyer, chili).bargaining


def test_a_business_buyer_may_bargain_on_any_line(market, buyer):
    eggs = factories.product(stall=factories.stall(market=market), name="Telur", unit="butir", price=2500)
    cart_set(buyer=buyer, product=eggs, quantity=Decimal(2))
    with pytest.raises(DomainError, match="dijual dengan harga tertera"):
        bargain.offer_propose(buyer=buyer, product=eggs, price=2000)
    business = Business.objects.create(name="Warung Sari", kind=Business.Kind.WARUNG, address="Jl. Pasar 1")
    BusinessMember.objects.create(business=business, user=buyer)
    assert bargain.offer_propose(buyer=buyer, product=eggs, price=2000).proposed_price == 2000


@pytest.mark.parametrize(
    ("price", "code"),
    [(50000, "offer_not_below"), (60000, "offer_not_below"), (24999, "offer_too_low"), (1, "offer_too_low")],
)
def test_an_offer_is_below_the_listed_price_and_at_least_half_of_it(chili, buyer, price, code):
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    with pytest.raises(DomainError) as refused:
        bargain.offer_propose(buyer=buyer, product=chili, price=price)
    assert refused.value.code == code
    assert not Offer.objects.exists()


def test_the_bounds_messages_are_indonesian(chili, buyer):
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    with pytest.raises(DomainError, match=r"kurang dari harga tertera Rp50\.000"):
        bargain.offer_propose(buyer=buyer, product=chili, price=50000)
    with pytest.raises(DomainError, match=r"paling sedikit Rp25\.000"):
        bargain.offer_propose(buyer=buyer, product=chili, price=20000)


def test_no_offer_without_a_cart_line_and_one_live_offer_per_line(chili, buyer):
    with pytest.raises(DomainError) as missing:
        bargain.offer_propose(buyer=buyer, product=chili, price=45000)
    assert missing.value.code == "offer_no_line"
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    bargain.offer_propose(buyer=buyer, product=chili, price=45000)
    with pytest.raises(DomainError) as again:
        bargain.offer_propose(buyer=buyer, product=chili, price=46000)
    assert again.value.code == "offer_live"


def test_the_trader_accepts_and_the_order_is_placed_at_the_agreed_price(market, chili, buyer):
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    offer = bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    bargain.offer_answer(offer_id=offer.pk, action="accept", actor=_trader(chili))
    assert _line(buyer, chili).agreed_price == 42000

    order = order_place(buyer=buyer, checkout=_checkout(market))

    line = OrderLine.objects.get(part__order=order)
    assert (line.unit_price, line.agreed_price, line.estimate) == (42000, 42000, 840000)
    assert order.goods_estimate == 840000
    offer.refresh_from_db()
    assert (offer.state, offer.order_id) == (Offer.State.USED, order.pk)
    kinds = list(OfferEvent.objects.filter(offer=offer).values_list("kind", flat=True))
    assert kinds == ["offered", "accepted"]


def test_each_step_notifies_the_other_side_only(chili, buyer, django_capture_on_commit_callbacks):
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    with django_capture_on_commit_callbacks(execute=True):
        offer = bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    trader = _trader(chili)
    assert Notification.objects.filter(user=trader, key=f"offer-event:{offer.events.get().pk}").exists()
    assert not Notification.objects.filter(user=buyer).exists()
    with django_capture_on_commit_callbacks(execute=True):
        bargain.offer_answer(offer_id=offer.pk, action="counter", actor=trader, price=46000)
    note = Notification.objects.get(user=buyer)
    assert note.params["price"] == "Rp46.000"
    assert Notification.objects.filter(user=trader).count() == 1


def test_the_trader_counters_once_and_the_buyer_accepts_the_counter(market, chili, buyer):
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    offer = bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    trader = _trader(chili)
    for bad in (42000, 50000, None):
        with pytest.raises(DomainError) as refused:
            bargain.offer_answer(offer_id=offer.pk, action="counter", actor=trader, price=bad)
        assert refused.value.code == "counter_range"
    bargain.offer_answer(offer_id=offer.pk, action="counter", actor=trader, price=46000)
    with pytest.raises(DomainError) as twice:
        bargain.offer_answer(offer_id=offer.pk, action="counter", actor=trader, price=45000)
    assert twice.value.code == "offer_answered"
    # While the buyer has not answered the counter, the line is still waiting.
    assert _line(buyer, chili).bargaining
    bargain.offer_reply(offer_id=offer.pk, buyer=buyer, accept=True)
    order = order_place(buyer=buyer, checkout=_checkout(market))
    assert OrderLine.objects.get(part__order=order).unit_price == 46000


def test_the_buyer_refuses_the_counter_and_pays_the_listed_price(market, chili, buyer):
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    offer = bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    bargain.offer_answer(offer_id=offer.pk, action="counter", actor=_trader(chili), price=46000)
    other = factories.user()
    with pytest.raises(DomainError):
        bargain.offer_reply(offer_id=offer.pk, buyer=other, accept=True)
    bargain.offer_reply(offer_id=offer.pk, buyer=buyer, accept=False)
    offer.refresh_from_db()
    assert (offer.state, offer.agreed_price) == (Offer.State.REFUSED, None)
    line = _line(buyer, chili)
    assert (line.bargaining, line.agreed_price) == (False, None)
    order = order_place(buyer=buyer, checkout=_checkout(market))
    assert OrderLine.objects.get(part__order=order).unit_price == 50000


def test_an_open_offer_blocks_checkout_unless_the_buyer_chooses_the_listed_price(market, chili, buyer):
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    offer = bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    with pytest.raises(DomainError) as waiting:
        order_place(buyer=buyer, checkout=_checkout(market))
    assert waiting.value.code == "offer_waiting"
    assert not Order.objects.exists()

    order = order_place(buyer=buyer, checkout=_checkout(market, listed_price=True))

    assert OrderLine.objects.get(part__order=order).unit_price == 50000
    offer.refresh_from_db()
    assert offer.state == Offer.State.WITHDRAWN
    # The trader's late yes changes nothing: the offer is over.
    with pytest.raises(DomainError) as late:
        bargain.offer_answer(offer_id=offer.pk, action="accept", actor=_trader(chili))
    assert late.value.code == "offer_answered"


def test_an_unanswered_offer_expires_after_thirty_minutes(
    time_machine, chili, buyer, django_capture_on_commit_callbacks
):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    with django_capture_on_commit_callbacks(execute=True):
        offer = bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    time_machine.move_to(start + timedelta(minutes=29, seconds=59), tick=False)
    assert bargain.offers_expire(now=timezone.now()) == 0
    time_machine.move_to(start + timedelta(minutes=30), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert bargain.offers_expire(now=timezone.now()) == 1
    assert bargain.offers_expire(now=timezone.now()) == 0  # a second run finds nothing
    offer.refresh_from_db()
    assert offer.state == Offer.State.EXPIRED
    assert not _line(buyer, chili).bargaining
    assert offer.events.order_by("pk").values_list("kind", flat=True).last() == "expired"
    assert Notification.objects.filter(user=buyer).exists()
    assert Notification.objects.filter(user=_trader(chili)).count() == 2  # the offer, then its expiry


def test_an_answer_after_the_deadline_expires_the_offer_even_if_the_job_did_not_run(time_machine, chili, buyer):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    offer = bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    time_machine.move_to(start + timedelta(minutes=31), tick=False)
    with pytest.raises(DomainError) as late:
        bargain.offer_answer(offer_id=offer.pk, action="accept", actor=_trader(chili))
    assert late.value.code == "offer_expired"
    offer.refresh_from_db()
    assert (offer.state, offer.agreed_price) == (Offer.State.EXPIRED, None)
    assert _line(buyer, chili).agreed_price is None


def test_a_counter_gives_the_buyer_thirty_minutes_of_their_own(time_machine, chili, buyer):
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    offer = bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    time_machine.move_to(start + timedelta(minutes=20), tick=False)
    bargain.offer_answer(offer_id=offer.pk, action="counter", actor=_trader(chili), price=46000)
    time_machine.move_to(start + timedelta(minutes=45), tick=False)
    assert bargain.offers_expire(now=timezone.now()) == 0
    time_machine.move_to(start + timedelta(minutes=51), tick=False)
    with pytest.raises(DomainError) as late:
        bargain.offer_reply(offer_id=offer.pk, buyer=buyer, accept=True)
    assert late.value.code == "offer_expired"


def test_changing_the_quantity_withdraws_the_offer(chili, buyer, django_capture_on_commit_callbacks):
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    offer = bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    bargain.offer_answer(offer_id=offer.pk, action="accept", actor=_trader(chili))
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20), note="yang segar")  # same quantity: kept
    assert _line(buyer, chili).agreed_price == 42000
    with django_capture_on_commit_callbacks(execute=True):
        cart_set(buyer=buyer, product=chili, quantity=Decimal(6))
    offer.refresh_from_db()
    assert offer.state == Offer.State.WITHDRAWN
    assert _line(buyer, chili).agreed_price is None
    withdrawn = OfferEvent.objects.get(offer=offer, kind="withdrawn")
    assert Notification.objects.filter(user=_trader(chili), key=f"offer-event:{withdrawn.pk}").exists()


def test_at_most_three_offers_a_day_on_one_line(chili, buyer):
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    for _try in range(3):
        offer = bargain.offer_propose(buyer=buyer, product=chili, price=30000)
        bargain.offer_answer(offer_id=offer.pk, action="refuse", actor=_trader(chili))
    with pytest.raises(DomainError) as tries:
        bargain.offer_propose(buyer=buyer, product=chili, price=30000)
    assert tries.value.code == "offer_tries"


def test_a_later_price_rise_or_heavier_weighing_never_raises_the_agreed_unit_price(market, chili, buyer):
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    offer = bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    trader = _trader(chili)
    bargain.offer_answer(offer_id=offer.pk, action="accept", actor=trader)
    chili.price = 60000  # the trader raises the listed price after agreeing
    chili.save(update_fields=["price"])
    order = order_place(buyer=buyer, checkout=_checkout(market))
    line = OrderLine.objects.get(part__order=order)
    assert line.unit_price == 42000

    # Weighing 20.5 kg, the trader types an amount 1 % above the agreed price (the slack the scale allows).
    fulfilment.part_accept(part_id=line.part_id, actor=trader)
    weighed = fulfilment.line_weigh(
        part_id=line.part_id, line_id=line.pk, quantity=Decimal("20.5"), amount=869_000, actor=trader
    )
    assert weighed.final_amount == 861_000  # 20.5 kg × Rp42.000: the agreed unit price wins
    line.refresh_from_db()
    assert line.unit_price == 42000


def test_a_price_cut_after_agreeing_is_passed_on(market, chili, buyer):
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    offer = bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    bargain.offer_answer(offer_id=offer.pk, action="accept", actor=_trader(chili))
    chili.price = 40000
    chili.save(update_fields=["price"])
    order = order_place(buyer=buyer, checkout=_checkout(market))
    line = OrderLine.objects.get(part__order=order)
    assert (line.unit_price, line.agreed_price) == (40000, 42000)


def test_the_database_refuses_a_line_priced_above_its_agreed_price(market, chili, buyer):
    from django.db import IntegrityError, transaction

    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    offer = bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    bargain.offer_answer(offer_id=offer.pk, action="accept", actor=_trader(chili))
    order = order_place(buyer=buyer, checkout=_checkout(market))
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderLine.objects.filter(part__order=order).update(unit_price=45000)


def test_the_threshold_setting_is_bounded(chili):
    for bad in (Decimal(0), Decimal(-1), Decimal(501), Decimal("NaN")):
        with pytest.raises(DomainError) as refused:
            product_set_bargain_from(product=chili, quantity=bad)
        assert refused.value.code == "bargain_from_range"
    product_set_bargain_from(product=chili, quantity=None)
    chili.refresh_from_db()
    assert chili.bargain_from is None


def test_the_scheduled_job_expires_due_offers(time_machine, chili, buyer):
    from pasar.orders.schedule import expire_offers
    from pasar.runtime.periodic import Run

    start = timezone.now()
    time_machine.move_to(start, tick=False)
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    offer = bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    assert expire_offers(Run(due_at=start + timedelta(minutes=10), previous=None)) == "0 offers expired"
    assert expire_offers(Run(due_at=start + timedelta(minutes=31), previous=None)) == "1 offers expired"
    offer.refresh_from_db()
    assert offer.state == Offer.State.EXPIRED


def test_the_traders_order_screen_marks_an_agreed_line(client, market, chili, buyer):
    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    offer = bargain.offer_propose(buyer=buyer, product=chili, price=42000)
    bargain.offer_answer(offer_id=offer.pk, action="accept", actor=_trader(chili))
    order = order_place(buyer=buyer, checkout=_checkout(market))
    line = OrderLine.objects.get(part__order=order)
    client.force_login(_trader(chili))
    page = client.get(reverse("orders_staff:trader-part", kwargs={"part_id": line.part_id})).content.decode()
    assert f'<span id="agreed-{line.pk}">(harga hasil tawar)</span>' in page
    assert "Rp42.000" in page


def test_a_placement_without_offers_runs_no_bargaining_statement(market, chili, buyer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cart_set(buyer=buyer, product=chili, quantity=Decimal(20))
    with CaptureQueriesContext(connection) as plain:
        order_place(buyer=buyer, checkout=_checkout(market))
    assert not [q["sql"] for q in plain.captured_queries if "orders_offer" in q["sql"]]
