"""A person's notifications: what happened to their orders, kept as an inbox and sent on a channel.

The text is stored as an untranslated message (an English msgid marked with ``gettext_noop`` where it
is written) plus its parameters, and translated when shown, so the inbox speaks the reader's
language of the moment; the channel gets it in the installation's language (Indonesian).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext


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
