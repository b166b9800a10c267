"""Carts, orders split into per-stall parts, their lines, events, and pickup slots.

Money is integer rupiah; quantities are decimals in the product's unit (0.25 kg, 3 ikat).
An order's state only moves forward (see ``states.py``); every change writes an ``OrderEvent``.

"Cari di pasar" (search) lines are what a buyer wants that no stall lists: free text, a quantity as
written and a price cap. They live beside the stall parts (``CartRequest`` in the cart, ``SearchLine``
in the order), so every stall-part rule (weighing, substitutes, stock) stays untouched. The courier who
takes the order buys them anywhere in the market with their own cash, records the real price (and a
receipt photo), and the buyer approves or refuses each price; approved amounts add up in
``Order.bought_total`` and are reimbursed to the courier in the ledger.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pasar.core.models import TimeStampedModel


class Cart(TimeStampedModel):
    """One buyer's cart at one market; a buyer keeps one per market, so switching market empties nothing."""

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="carts")
    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["buyer", "market"], name="cart_one_per_market")]

    def __str__(self) -> str:
        return f"{self.buyer} @ {self.market}"


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(max_digits=9, decimal_places=3)
    note = models.CharField(max_length=200, blank=True)
    # Kept from the line's ``Offer`` (services/bargain.py) so placement reads them in its one cart query:
    # ``bargaining`` while an offer waits for an answer, ``agreed_price`` once both sides said yes.
    bargaining = models.BooleanField(default=False)
    agreed_price = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="cartline_product_once"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="cartline_quantity_positive"),
            models.CheckConstraint(
                condition=models.Q(agreed_price__isnull=True) | models.Q(agreed_price__gt=0, bargaining=False),
                name="cartline_agreed_or_bargaining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id}"


MAX_PRICE_CAP = 5_000_000  # per cari-di-pasar line: a courier does not carry more cash for one buyer


class CartRequest(models.Model):
    """A "cari di pasar" line in the cart: no stall lists it, the courier buys it anywhere in the market."""

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="requests")
    text = models.CharField(max_length=120)
    quantity = models.CharField(max_length=40, blank=True, help_text=_("As the buyer wrote it, e.g. 2 papan."))
    note = models.CharField(max_length=200, blank=True)
    price_cap = models.PositiveIntegerField(help_text=_("The most the buyer pays for it, in rupiah."))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_cap__gt=0, price_cap__lte=MAX_PRICE_CAP), name="cartrequest_cap_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text} ≤ {self.price_cap}"


class PickupSlot(models.Model):
    """A time window at the market's pickup point with a capacity, so the crowd stays small."""

    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE, related_name="pickup_slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(default=10)
    booked = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["market", "starts_at"], name="slot_unique_start"),
            models.CheckConstraint(condition=models.Q(booked__lte=models.F("capacity")), name="slot_not_overbooked"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.market} {self.starts_at:%Y-%m-%d %H:%M}"


class Order(TimeStampedModel):
    class State(models.TextChoices):
        PLACED = "placed", _("Placed")
        CONFIRMED = "confirmed", _("Confirmed")
        READY = "ready", _("Ready")
        PICKED_UP = "picked_up", _("Picked up")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    class Fulfilment(models.TextChoices):
        DELIVERY = "delivery", _("Delivery")
        PICKUP = "pickup", _("Pickup at the market")

    class PaymentMethod(models.TextChoices):
        COD = "cod", _("Cash on delivery")
        TRANSFER = "transfer", _("Bank transfer")
        QRIS = "qris", _("QRIS")
        # A business buyer's agreed terms (pasar.business): delivered now, paid on the invoice's due date.
        TEMPO = "tempo", _("Tempo (pay on invoice)")

    class PaymentState(models.TextChoices):
        UNPAID = "unpaid", _("Not paid")
        AWAITING_WEIGHING = "awaiting_weighing", _("Amount follows the weighing")
        AWAITING_PAYMENT = "awaiting_payment", _("Waiting for payment")
        PAID = "paid", _("Paid")
        REFUNDED = "refunded", _("Refunded")

    number = models.CharField(max_length=20, unique=True)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders")
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="orders")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PLACED)
    fulfilment = models.CharField(max_length=8, choices=Fulfilment.choices)
    for_date = models.DateField(help_text=_("Market day the order is prepared on (after the cut-off: the next one)."))
    address = models.CharField(max_length=250, blank=True)
    landmark = models.CharField(
        max_length=120,
        blank=True,
        help_text=_("Patokan: what the courier looks for (the green gate, behind the mosque)."),
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    distance_km = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    pickup_slot = models.ForeignKey(PickupSlot, on_delete=models.PROTECT, null=True, blank=True, related_name="orders")
    delivery_fee = models.PositiveIntegerField(default=0)
    payment_method = models.CharField(max_length=8, choices=PaymentMethod.choices)
    payment_state = models.CharField(max_length=17, choices=PaymentState.choices, default=PaymentState.UNPAID)
    business = models.ForeignKey(
        "accounts.Business",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        help_text=_("The business the buyer ordered for (tempo orders always have one)."),
    )
    goods_estimate = models.PositiveIntegerField(help_text=_("Sum of line estimates at placement."))
    goods_total = models.PositiveIntegerField(null=True, blank=True, help_text=_("Final, after weighing."))
    unique_code = models.PositiveSmallIntegerField(null=True, blank=True)
    amount_due = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Issued amount to pay (transfer/QRIS).")
    )
    handover_code = models.CharField(max_length=6)
    courier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="deliveries"
    )
    cash_collected = models.PositiveIntegerField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=64)
    cancel_reason = models.CharField(max_length=250, blank=True)
    note = models.CharField(max_length=250, blank=True)
    search_cap = models.PositiveIntegerField(default=0, help_text=_("Sum of the cari-di-pasar caps at placement."))
    bought_total = models.PositiveIntegerField(
        default=0, help_text=_("Sum of the cari-di-pasar prices the buyer approved.")
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["market", "state", "for_date"])]
        constraints = [
            # A double tap, a retried request or a replayed API call finds the first order.
            models.UniqueConstraint(fields=["buyer", "idempotency_key"], name="order_idempotent_per_buyer"),
            models.CheckConstraint(
                condition=models.Q(fulfilment="pickup", pickup_slot__isnull=False)
                | models.Q(fulfilment="delivery", latitude__isnull=False, longitude__isnull=False),
                name="order_fulfilment_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(unique_code__isnull=True) | models.Q(unique_code__gte=1, unique_code__lte=999),
                name="order_unique_code_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(payment_method="tempo") | models.Q(business__isnull=False),
                name="order_tempo_has_business",
            ),
            # No two transfers waiting for payment share an amount, so a bank mutation matches one order.
            models.UniqueConstraint(
                fields=["amount_due"],
                condition=models.Q(payment_method="transfer", payment_state="awaiting_payment"),
                name="order_pending_transfer_amount_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("orders:detail", kwargs={"number": self.number})

    @property
    def total(self) -> int:
        """What the buyer owes before a transfer's unique code: weighed goods, approved purchases, delivery."""
        return (self.goods_total or 0) + self.bought_total + self.delivery_fee


# Methods with no amount to issue before the handover: cash at the door, tempo on the invoice.
PAY_LATER = (Order.PaymentMethod.COD, Order.PaymentMethod.TEMPO)


class StallOrder(models.Model):
    """The part of an order that one stall prepares."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the trader")
        ACCEPTED = "accepted", _("Being prepared")
        READY = "ready", _("Ready")
        PICKED_UP = "picked_up", _("Picked up")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="parts")
    stall = models.ForeignKey("traders.Stall", on_delete=models.PROTECT, related_name="order_parts")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["order", "stall"], name="stallorder_one_per_stall")]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.stall_id}"


class OrderLine(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the trader")
        AVAILABLE = "available", _("Available")
        UNAVAILABLE = "unavailable", _("Not available")
        SUBSTITUTE_PROPOSED = "proposed", _("Substitute proposed")
        SUBSTITUTED = "substituted", _("Replaced by a substitute")
        REFUSED = "refused", _("Refused by the buyer")

    part = models.ForeignKey(StallOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    unit = models.CharField(max_length=8)
    weighed = models.BooleanField()
    unit_price = models.PositiveIntegerField()
    quantity = models.DecimalField(max_digits=9, decimal_places=3)
    estimate = models.PositiveIntegerField()
    final_quantity = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    final_amount = models.PositiveIntegerField(null=True, blank=True)
    needs_approval = models.BooleanField(default=False)
    state = models.CharField(max_length=11, choices=State.choices, default=State.PENDING)
    substitute_for = models.OneToOneField(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="substitute"
    )
    stock_taken = models.PositiveIntegerField(default=0, help_text=_("Units taken from the product's stock count."))
    note = models.CharField(max_length=200, blank=True)
    agreed_price = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Price per unit agreed by bargaining: the line is never priced above it.")
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="orderline_quantity_positive"),
            # Tawar: the buyer's yes holds; no later weighing prices the unit above the agreed price.
            models.CheckConstraint(
                condition=models.Q(agreed_price__isnull=True)
                | models.Q(unit_price__lte=models.F("agreed_price"), agreed_price__gt=0),
                name="orderline_within_agreed_price",
            ),
            models.CheckConstraint(
                condition=models.Q(final_quantity__isnull=True) | models.Q(final_quantity__gt=0),
                name="orderline_final_quantity_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} {self.unit} {self.name}"

    @property
    def amount(self) -> int:
        """What the buyer pays for this line: the weighed amount once known, else the estimate; 0 if dropped."""
        if self.state in {
            self.State.UNAVAILABLE,
            self.State.SUBSTITUTED,
            self.State.REFUSED,
            self.State.SUBSTITUTE_PROPOSED,
        }:
            return 0
        return self.final_amount if self.final_amount is not None else self.estimate


DROPPED_LINE_STATES = frozenset(
    {
        OrderLine.State.UNAVAILABLE,
        OrderLine.State.SUBSTITUTED,
        OrderLine.State.REFUSED,
        OrderLine.State.SUBSTITUTE_PROPOSED,
    }
)


class SearchLine(models.Model):
    """A "cari di pasar" line of an order: the courier buys it anywhere in the market, the buyer approves the price.

    open → bought (price recorded, waiting for the buyer) → approved | refused; or open → not_found.
    Only an approved line is paid for (``amount``); traders never see or weigh these lines.
    """

    class State(models.TextChoices):
        OPEN = "open", _("To buy in the market")
        BOUGHT = "bought", _("Bought, waiting for your approval")
        APPROVED = "approved", _("Price approved")
        REFUSED = "refused", _("Price refused")
        NOT_FOUND = "not_found", _("Not found in the market")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="search_lines")
    text = models.CharField(max_length=120)
    quantity = models.CharField(max_length=40, blank=True)
    note = models.CharField(max_length=200, blank=True)
    price_cap = models.PositiveIntegerField()
    state = models.CharField(max_length=9, choices=State.choices, default=State.OPEN)
    bought_amount = models.PositiveIntegerField(null=True, blank=True)
    receipt_photo = models.ImageField(upload_to="receipts/%Y/%m/", blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_cap__gt=0, price_cap__lte=MAX_PRICE_CAP), name="searchline_cap_range"
            ),
            # A price exists exactly when the courier bought it; it is paid only once the buyer approved.
            models.CheckConstraint(
                condition=models.Q(state__in=["open", "not_found"], bought_amount__isnull=True)
                | models.Q(state__in=["bought", "approved", "refused"], bought_amount__gt=0),
                name="searchline_price_when_bought",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text} ≤ {self.price_cap}"

    @property
    def amount(self) -> int:
        return (self.bought_amount or 0) if self.state == self.State.APPROVED else 0

    @property
    def over_cap(self) -> bool:
        return self.bought_amount is not None and self.bought_amount > self.price_cap


class OrderEvent(models.Model):
    """Who changed what on an order, and when; never updated or deleted."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["order", "created_at"])]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind}"


class ChatConversation(models.Model):
    """Ordering by chat: one conversation per phone number and market number, kept in the database so
    it survives restarts. ``draft`` holds the last shopping list sent; a shared location sets the
    delivery point; ``order`` is the order the last "Pesan" placed."""

    class State(models.TextChoices):
        IDLE = "idle", "idle"
        DRAFT = "draft", "draft"
        ORDERED = "ordered", "ordered"

    phone = models.CharField(max_length=16)
    market = models.ForeignKey("markets.Market", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.IDLE)
    draft = models.TextField(blank=True)
    draft_message_id = models.CharField(max_length=128, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    address = models.CharField(max_length=250, blank=True)
    order = models.ForeignKey("Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["phone", "market"], name="chat_once_per_number_market")]

    def __str__(self) -> str:
        return f"{self.phone} @ {self.market_id}: {self.state}"


OFFER_MINUTES = 30  # how long the other side has to answer an offer or a counter
LIVE_OFFER_STATES = ("open", "countered", "accepted")  # at most one per cart line


class Offer(TimeStampedModel):
    """Tawar: a buyer's price per unit for a cart line, answered by the stall's trader (services/bargain.py).

    open (the trader answers: accept, counter once, refuse) → countered (the buyer accepts or refuses) →
    accepted → used (placed in ``order``); or refused, expired (nobody answered by ``expires_at``), withdrawn
    (the buyer changed the line or chose the listed price). Prices are integer rupiah per unit.
    """

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for the trader")
        COUNTERED = "countered", _("The trader offers another price")
        ACCEPTED = "accepted", _("Price agreed")
        REFUSED = "refused", _("Refused")
        EXPIRED = "expired", _("No answer in time")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        USED = "used", _("Used in an order")

    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="offers")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(max_digits=9, decimal_places=3)
    listed_price = models.PositiveIntegerField()
    proposed_price = models.PositiveIntegerField()
    counter_price = models.PositiveIntegerField(null=True, blank=True)
    agreed_price = models.PositiveIntegerField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    expires_at = models.DateTimeField()
    order = models.ForeignKey(Order, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["state", "expires_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["cart", "product"],
                condition=models.Q(state__in=LIVE_OFFER_STATES),
                name="offer_one_live_per_line",
            ),
            models.CheckConstraint(
                condition=models.Q(proposed_price__gt=0, proposed_price__lt=models.F("listed_price")),
                name="offer_below_listed",
            ),
            # One counter, between the buyer's price and the listed one.
            models.CheckConstraint(
                condition=models.Q(counter_price__isnull=True)
                | models.Q(counter_price__gt=models.F("proposed_price"), counter_price__lt=models.F("listed_price")),
                name="offer_counter_between",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["accepted", "used"], agreed_price__isnull=False)
                | (~models.Q(state__in=["accepted", "used"]) & models.Q(agreed_price__isnull=True)),
                name="offer_agreed_when_accepted",
            ),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="offer_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} @ {self.proposed_price}: {self.state}"

    @property
    def waiting_for_buyer(self) -> bool:
        return self.state == self.State.COUNTERED


class OfferEvent(models.Model):
    """Every step of a bargain (offer, counter, acceptance, refusal, expiry); never updated or deleted."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.offer_id} {self.kind}"
