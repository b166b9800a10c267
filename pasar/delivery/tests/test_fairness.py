"""The queue's fairness as a Hypothesis state machine over the real services.

Couriers check in and out, orders become ready, time passes (offers time out), couriers accept,
decline, and ride trips to the end. After every step:

- no courier is offered twice while another waits longer: a courier given an offer in this step had no
  earlier offer since a courier now idle ahead of them in line (in line, no open offer) began waiting.
  (VROOM may send the third in line before the second once, when that plans better; the second keeps
  the head of the line and the third re-joins at the back);
- every job is offered until taken: while a courier is idle in line, no job waits outside an offer;
- an order is with at most one trip, an offer's courier is on duty, refusals change nothing.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from pasar.core.errors import DomainError
from pasar.delivery import services
from pasar.delivery.models import CourierShift, Job, Offer, Trip
from pasar.markets.models import MarketRole
from pasar.orders.models import Order, StallOrder
from pasar.orders.services.cart import cart_set
from pasar.orders.services.placement import Checkout, order_place
from pasar.testing import factories

SETTINGS = settings(max_examples=15, stateful_step_count=20, deadline=None)
COURIERS = 4


class Queue(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.market = factories.market()
        self.product = factories.product(stall=factories.stall(market=self.market), name="Telur", price=2000)
        self.buyer = factories.user(name="Pembeli")
        self.couriers = []
        for i in range(COURIERS):
            rider = factories.user(name=f"Kurir {i}")
            MarketRole.objects.create(user=rider, market=self.market, role=MarketRole.Role.COURIER)
            self.couriers.append(rider)
        self.now = timezone.now()
        self.keys = 0
        self.last_offer = 0

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _refusal_changes_nothing(self, action) -> None:
        before = self._state()
        try:
            with transaction.atomic():
                action()
        except DomainError:
            assert self._state() == before

    def _state(self):
        return (
            list(CourierShift.objects.order_by("pk").values_list("pk", "queued_at", "checked_out_at")),
            list(Offer.objects.order_by("pk").values_list("pk", "state")),
            list(Job.objects.order_by("pk").values_list("pk", "state", "trip_id")),
            list(Order.objects.order_by("pk").values_list("pk", "state", "courier_id")),
        )

    @rule(i=st.integers(0, COURIERS - 1), capacity=st.integers(1, 3))
    def check_in(self, i: int, capacity: int) -> None:
        self._refusal_changes_nothing(
            lambda: services.checkin(courier=self.couriers[i], market=self.market, capacity=capacity, now=self.now)
        )

    @rule(i=st.integers(0, COURIERS - 1))
    def check_out(self, i: int) -> None:
        self._refusal_changes_nothing(lambda: services.checkout(courier=self.couriers[i], now=self.now))

    @rule(north=st.integers(-30, 30), east=st.integers(-30, 30))
    def order_ready(self, north: int, east: int) -> None:
        self.keys += 1
        cart_set(buyer=self.buyer, product=self.product, quantity=Decimal(1))
        checkout = Checkout(
            market=self.market, fulfilment=Order.Fulfilment.DELIVERY, payment_method=Order.PaymentMethod.COD,
            idempotency_key=f"k{self.keys}", address="Jl. Contoh",
            latitude=self.market.latitude + north / 1000, longitude=self.market.longitude + east / 1000,
        )  # fmt: skip
        order = order_place(buyer=self.buyer, checkout=checkout)
        # Straight to "ready" (the traders' steps are tested in orders); the queue discovers it.
        Order.objects.filter(pk=order.pk).update(state=Order.State.READY, goods_total=2000)
        StallOrder.objects.filter(order=order).update(state=StallOrder.State.READY)
        services.dispatch_if_due(self.market, now=self.now)  # the next page view or tick finds it

    @rule(seconds=st.sampled_from([1, 20, 45, 61, 200]))
    def time_passes(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)
        services.dispatch(self.market, now=self.now)

    def _offer_of(self, i: int) -> Offer | None:
        return Offer.objects.filter(courier=self.couriers[i], state=Offer.State.PENDING).first()

    @rule(i=st.integers(0, COURIERS - 1))
    def accept(self, i: int) -> None:
        offer = self._offer_of(i) or Offer.objects.filter(state=Offer.State.PENDING).first()
        if offer is not None:
            self._refusal_changes_nothing(
                lambda: services.offer_accept(offer_id=offer.pk, courier=self.couriers[i], now=self.now)
            )

    @rule(i=st.integers(0, COURIERS - 1))
    def decline(self, i: int) -> None:
        offer = self._offer_of(i) or Offer.objects.filter(state=Offer.State.PENDING).first()
        if offer is not None:
            self._refusal_changes_nothing(
                lambda: services.offer_decline(offer_id=offer.pk, courier=self.couriers[i], now=self.now)
            )

    @rule(i=st.integers(0, COURIERS - 1))
    def ride_the_trip(self, i: int) -> None:
        rider = self.couriers[i]
        trip = Trip.objects.filter(courier=rider, state=Trip.State.ACTIVE).first()
        if trip is None:
            return
        stalls = set(StallOrder.objects.filter(order_id__in=trip.stops).values_list("stall_id", flat=True))
        for stall_id in sorted(stalls):
            services.trip_pick_up(trip_id=trip.pk, stall_id=stall_id, courier=rider)
        for order in Order.objects.filter(pk__in=trip.stops).order_by("pk"):
            due = (order.goods_total or 0) + order.delivery_fee
            services.trip_deliver(
                trip_id=trip.pk, order_id=order.pk, code=order.handover_code, cash=due, courier=rider, now=self.now
            )

    # -- guarantees -----------------------------------------------------------------------------------

    def _idle(self):
        return list(services.idle_shifts(self.market))

    @invariant()
    def nobody_is_offered_twice_while_another_waits_longer(self) -> None:
        new = Offer.objects.filter(pk__gt=self.last_offer).select_related("shift")
        idle = self._idle()
        for offer in new:
            # The line's order is (queued_at, shift id): two check-ins in the same instant queue by arrival.
            place = (offer.shift.queued_at, offer.shift.pk)
            for ahead in (shift for shift in idle if (shift.queued_at, shift.pk) < place):
                earlier = Offer.objects.filter(courier=offer.courier, pk__lt=offer.pk, offered_at__gte=ahead.queued_at)
                assert not earlier.exists(), f"{offer.courier} offered twice while {ahead.courier} waits longer"
        self.last_offer = Offer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    @invariant()
    def every_job_is_offered_while_a_courier_is_free(self) -> None:
        unoffered = Job.objects.filter(market=self.market, state=Job.State.WAITING, trip__isnull=True)
        ready = Order.objects.filter(services.takeable_orders(self.market), delivery_job__isnull=True)
        if self._idle():
            assert not unoffered.exists(), "a job waits while a courier is free"
            assert not ready.exists(), "a ready order was not discovered while a courier is free"

    @invariant()
    def offers_and_trips_are_consistent(self) -> None:
        for offer in Offer.objects.filter(state=Offer.State.PENDING).select_related("shift"):
            assert offer.shift.checked_out_at is None
            assert offer.shift.queued_at is not None
            assert offer.trip.state == Trip.State.OFFERED
        for job in Job.objects.filter(state=Job.State.ASSIGNED).select_related("trip", "order"):
            trip = job.trip
            assert trip is not None
            assert trip.state == Trip.State.ACTIVE
            assert job.order.courier_id == trip.courier_id
        for shift in CourierShift.objects.filter(checked_out_at__isnull=True, queued_at__isnull=True):
            assert Trip.objects.filter(courier=shift.courier, state=Trip.State.ACTIVE).exists()


@pytest.mark.django_db
def test_the_queue_is_fair_whatever_the_sequence():
    run_state_machine_as_test(Queue, settings=SETTINGS)
