"""Standing orders (pesanan rutin): a buyer's lines across a market's stalls, repeated on a schedule.

Each scheduled date has one ``Run`` row (unique per standing order and date), created ahead as a visible
draft with its own copy of the lines, which the buyer may edit or skip until the market's cut-off for
that date. At the cut-off the scheduler places it through the orders app's ordinary placement (stock
taken, that day's prices) and the run points at its order (a one-to-one, so one order per run). The
traps of Open Food Network's subscriptions are avoided by design: the draft is visible and editable,
editing a schedule re-plans the future drafts at once, paused or past dates are recorded (skipped,
missed) rather than silently dropped, and prices and stock are read at placement, never copied ahead.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pasar.core.models import TimeStampedModel

WEEKDAY_NAMES = [
    ("1", _("Monday")),
    ("2", _("Tuesday")),
    ("3", _("Wednesday")),
    ("4", _("Thursday")),
    ("5", _("Friday")),
    ("6", _("Saturday")),
    ("7", _("Sunday")),
]


class Substitution(models.TextChoices):
    # The cart's rule: a trader may propose a substitute, which the buyer approves on the order page.
    ASK = "ask", _("A substitute may be proposed")
    NONE = "none", _("No substitute")


class StandingOrder(TimeStampedModel):
    class Every(models.TextChoices):
        WEEKDAYS = "weekdays", _("On days of the week")
        DAYS = "days", _("Every few days")

    class Fulfilment(models.TextChoices):
        DELIVERY = "delivery", _("Delivery")
        PICKUP = "pickup", _("Pickup at the market")

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="standing_orders")
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="standing_orders")
    name = models.CharField(max_length=80)
    every = models.CharField(max_length=8, choices=Every.choices, default=Every.WEEKDAYS)
    weekdays = models.CharField(max_length=7, blank=True, help_text=_("ISO weekdays, 1 = Monday, e.g. 14."))
    interval_days = models.PositiveSmallIntegerField(null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    paused = models.BooleanField(default=False)
    fulfilment = models.CharField(max_length=8, choices=Fulfilment.choices)
    address = models.CharField(max_length=250, blank=True)
    landmark = models.CharField(max_length=120, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    pickup_at = models.TimeField(null=True, blank=True, help_text=_("Start of the pickup hour."))
    payment_method = models.CharField(max_length=8)
    note = models.CharField(max_length=250, blank=True)
    # Dates whose cut-off was already past when the schedule was set are never planned (a new or edited
    # standing order does not place a late order for today).
    planned_from = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(every="weekdays", interval_days__isnull=True) & ~Q(weekdays="")
                | Q(every="days", interval_days__gte=1, interval_days__lte=60),
                name="standing_schedule_complete",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="standing_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(fulfilment="pickup", pickup_at__isnull=False)
                | Q(fulfilment="delivery", latitude__isnull=False, longitude__isnull=False),
                name="standing_fulfilment_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("standing:detail", kwargs={"pk": self.pk})

    @property
    def weekday_names(self) -> list[str]:
        names = dict(WEEKDAY_NAMES)
        return [str(names[d]) for d in self.weekdays if d in names]


class StandingLine(models.Model):
    standing = models.ForeignKey(StandingOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(max_digits=9, decimal_places=3)
    note = models.CharField(max_length=200, blank=True)
    substitution = models.CharField(max_length=4, choices=Substitution.choices, default=Substitution.ASK)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["standing", "product"], name="standingline_product_once"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="standingline_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id}"


class Run(TimeStampedModel):
    """One date of a standing order: a draft until its cut-off, then placed, skipped, empty or missed."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SKIPPED = "skipped", _("Skipped")
        PLACED = "placed", _("Placed")
        EMPTY = "empty", _("Nothing available")
        MISSED = "missed", _("Missed")
        FAILED = "failed", _("Could not be placed")

    standing = models.ForeignKey(StandingOrder, on_delete=models.CASCADE, related_name="runs")
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    state = models.CharField(max_length=7, choices=State.choices, default=State.DRAFT)
    edited = models.BooleanField(default=False, help_text=_("The buyer changed this date's lines."))
    paused = models.BooleanField(default=False, help_text=_("Skipped because the standing order was paused."))
    # One order per run (and so per standing order and date): a second one is refused by the database.
    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="standing_run"
    )
    report = models.JSONField(default=dict, blank=True, help_text=_("What changed at placement."))
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date"]
        indexes = [models.Index(fields=["state", "date"])]
        constraints = [
            models.UniqueConstraint(fields=["standing", "date"], name="standing_run_once_per_date"),
            models.CheckConstraint(
                condition=Q(state="placed", order__isnull=False) | (~Q(state="placed") & Q(order__isnull=True)),
                name="standing_run_order_iff_placed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standing_id} {self.date}"


class RunLine(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(max_digits=9, decimal_places=3)
    price_seen = models.PositiveIntegerField(help_text=_("Unit price when the buyer last saw the draft."))
    note = models.CharField(max_length=200, blank=True)
    substitution = models.CharField(max_length=4, choices=Substitution.choices, default=Substitution.ASK)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "product"], name="runline_product_once"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="runline_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id}"
