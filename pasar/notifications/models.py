"""A person's notifications: what happened to their orders, kept as an inbox and sent on a channel.

The text is stored as an untranslated message (an English msgid marked with ``gettext_noop`` where it
is written) plus its parameters, and translated when shown, so the inbox speaks the reader's
language of the moment; the channel gets it in the installation's language (Indonesian).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # Where the notification comes from, e.g. "order-event:812"; one per (user, key), so a task that
    # runs twice notifies once.
    key = models.CharField(max_length=80)
    message = models.CharField(max_length=250)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the channel (WhatsApp/SMS) accepted it.")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_source")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key}"

    @property
    def text(self) -> str:
        """The message in the active language; a parameter that went missing never breaks the page."""
        try:
            return str(gettext(self.message) % self.params)
        except (KeyError, TypeError, ValueError):
            return gettext(self.message)


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"
    SMS = "sms", "SMS"


class Category(models.TextChoices):
    """WhatsApp's pricing categories (``service`` = free text inside the window), plus SMS."""

    UTILITY = "utility", "utility"
    MARKETING = "marketing", "marketing"
    AUTHENTICATION = "authentication", "authentication"
    SERVICE = "service", "service"
    SMS = "sms", "sms"


class OptIn(models.Model):
    """A person's consent to business-initiated WhatsApp messages on one number (Meta's opt-in rule).

    One row per (person, number). ``opted_out_at`` is set by a STOP/BERHENTI reply (or the web switch)
    and cleared by a new opt-in; nobody gets a template without a row whose ``opted_out_at`` is empty.
    """

    class Source(models.TextChoices):
        WEB = "web", "web"
        CHAT = "chat", "chat"
        OPERATOR = "operator", "operator"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opt_ins")
    phone = models.CharField(max_length=16)
    source = models.CharField(max_length=10, choices=Source.choices)
    wording = models.CharField(max_length=250, help_text="What the person agreed to (names the business).")
    opted_in_at = models.DateTimeField()
    opted_out_at = models.DateTimeField(null=True, blank=True)
    opt_out_source = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "phone"], name="opt_in_once_per_person_number")]

    def __str__(self) -> str:
        return f"{self.phone} ({'out' if self.opted_out_at else 'in'})"


class Window(models.Model):
    """WhatsApp's 24-hour customer-service window between a number and one of the business's numbers."""

    phone = models.CharField(max_length=16)
    sender = models.CharField(max_length=64, help_text="The business number's phone_number_id.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    last_inbound_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["phone", "sender"], name="window_per_number_and_sender")]

    def __str__(self) -> str:
        return f"{self.phone} → {self.sender}"


class OutboundMessage(models.Model):
    """Every message the product sends (or would send: the fake provider) to a phone.

    Written in the transaction that decided to send it, sent by a task after the commit (never inside a
    transaction), retried with backoff until ``PASAR_MESSAGE_MAX_ATTEMPTS``, then ``failed`` with the
    provider's answer in ``error``. Status webhooks move it to delivered/read/failed. ``market_id`` is
    the market it is billed to (a plain id: markets sit above notifications).
    """

    class Kind(models.TextChoices):
        TEMPLATE = "template", "template"
        TEXT = "text", "text"
        BUTTONS = "buttons", "buttons"

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        READ = "read", _("read")
        FAILED = "failed", _("failed")

    idempotency_key = models.CharField(max_length=120, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    to = models.CharField(max_length=16)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    sender = models.CharField(max_length=64, blank=True)
    provider = models.CharField(max_length=20)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    template = models.CharField(max_length=80, blank=True)
    language = models.CharField(max_length=10, default="id")
    params = models.JSONField(default=list, blank=True)
    text = models.TextField()
    buttons = models.JSONField(default=list, blank=True)
    category = models.CharField(max_length=16, choices=Category.choices)
    cost = models.PositiveIntegerField(default=0, help_text="Estimated, in rupiah, from PASAR_MESSAGE_COSTS.")
    market_id = models.PositiveIntegerField(null=True, blank=True)
    notification = models.ForeignKey(Notification, on_delete=models.SET_NULL, null=True, blank=True)
    announcement = models.ForeignKey("Announcement", on_delete=models.CASCADE, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    provider_message_id = models.CharField(max_length=128, null=True, blank=True, unique=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["market_id", "created_at"]), models.Index(fields=["to", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="template") | ~models.Q(template=""), name="outbound_template_named"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.to} {self.template or self.kind} {self.status}"


class InboundMessage(models.Model):
    """A message a person sent to one of the business's numbers, once per provider message id."""

    provider_message_id = models.CharField(max_length=128, unique=True)
    phone = models.CharField(max_length=16)
    sender = models.CharField(max_length=64)
    kind = models.CharField(max_length=20)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.phone} {self.kind} {self.provider_message_id}"


class Announcement(models.Model):
    """A pengumuman from an operator or the dinas to traders (a market's or a region's): market days,
    training invitations, price policy. ``scope`` names the audience, e.g. ``market:12`` or ``region:32.78``."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=40)
    scope_label = models.CharField(max_length=150)
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.scope}: {self.text[:40]}"


class LoginCode(models.Model):
    """A one-time login code sent by WhatsApp or SMS: stored as an HMAC, valid a few minutes, a few tries."""

    phone = models.CharField(max_length=16)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["phone", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.phone} {self.created_at:%Y-%m-%d %H:%M}"
