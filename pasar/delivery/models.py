"""The courier queue's state: who is on duty and where in the line, jobs, trips, offers, external hand-offs.

Orders keep their own courier fields (``orders.Order.courier``); this app only decides *who* is offered
*what*, and takes the orders through the orders services when a courier accepts.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Pangkalan(models.Model):
    """A market's courier stand. Its row is the queue's lock: every queue write locks it first."""

    market = models.OneToOneField("markets.Market", on_delete=models.CASCADE, related_name="pangkalan")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Pangkalan {self.market_id}"


class CourierShift(models.Model):
    """A courier's time on duty at one market; ``queued_at`` is their place in the line (first in, first out).

    ``queued_at`` is empty while the courier rides a trip; it is set to "now" (the back of the line) at
    check-in, after declining or missing an offer, and after finishing a trip.
    """

    courier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shifts")
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="courier_shifts")
    capacity = models.PositiveSmallIntegerField(_("orders per trip"), default=3)
    checked_in_at = models.DateTimeField()
    checked_out_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["market", "queued_at"])]
        constraints = [
            # One pangkalan at a time: a courier holds at most one open shift.
            models.UniqueConstraint(
                fields=["courier"], condition=Q(checked_out_at__isnull=True), name="shift_one_open_per_courier"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1, capacity__lte=20), name="shift_capacity_range"),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(queued_at__isnull=True), name="shift_closed_not_queued"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.courier_id}@{self.market_id}"


class Trip(models.Model):
    """Orders one courier takes in one ride: pickups at the stalls (market-layout order), then drop-offs."""

    class State(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACTIVE = "active", _("On the way")
        DONE = "done", _("Done")
        DISSOLVED = "dissolved", _("Not taken")

    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="trips")
    courier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="trips"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.OFFERED)
    # Drop-off order ids in route order, and the route's travel time (s) and length (m) from the market back.
    stops = models.JSONField(default=list)
    duration_s = models.PositiveIntegerField(default=0)
    distance_m = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["market", "state"])]

    def __str__(self) -> str:
        return f"Trip {self.pk}"


class Job(models.Model):
    """One delivery order waiting for, or riding with, a courier of the pangkalan."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for a courier")
        ASSIGNED = "assigned", _("With a courier")
        DONE = "done", _("Delivered")
        EXTERNAL = "external", _("With an external courier")
        CLOSED = "closed", _("Closed")

    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="delivery_job")
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="delivery_jobs")
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    ready_at = models.DateTimeField(help_text=_("When the order became ready: the queue serves the oldest first."))
    trip = models.ForeignKey(Trip, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs")
    offers_made = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["ready_at", "pk"]
        indexes = [models.Index(fields=["market", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="assigned") | Q(trip__isnull=False), name="job_assigned_has_trip"
            ),
        ]

    def __str__(self) -> str:
        return f"Job {self.order_id}"


class Offer(models.Model):
    """A trip offered to one courier until ``expires_at``; at most one open offer per trip and per courier."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Timed out")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="offers")
    courier = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delivery_offers")
    shift = models.ForeignKey(CourierShift, on_delete=models.PROTECT, related_name="offers")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    offered_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["trip"], condition=Q(state="pending"), name="offer_one_open_per_trip"),
            models.UniqueConstraint(
                fields=["courier"], condition=Q(state="pending"), name="offer_one_open_per_courier"
            ),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("offered_at")), name="offer_expires_later"),
        ]

    def __str__(self) -> str:
        return f"Offer {self.pk} → {self.courier_id}"


class ExternalDispatch(models.Model):
    """A job handed to an external ride-hailing courier through a provider adapter (``providers/``)."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PICKED_UP = "picked_up", _("Picked up")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="external_dispatches")
    provider = models.CharField(max_length=30)
    external_id = models.CharField(max_length=100)
    fee_quoted = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tracking_url = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "external_id"], name="external_dispatch_unique_id"),
            models.UniqueConstraint(
                fields=["job"], condition=~Q(state="cancelled"), name="external_dispatch_one_live_per_job"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.external_id}"
