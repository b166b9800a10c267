"""Notification kinds as WhatsApp templates.

A business-initiated WhatsApp message must be a pre-approved template: a name, a language (``id``) and
ordered body parameters, in a pricing category. Each kind of notification is one ``Template``; its
``inbox`` msgid (English, translated when shown) is also the free text sent inside an open 24-hour
window and the SMS fallback, so the three always say the same thing. The apps that know what happened
(orders, announcements) declare their templates next to their rules; ``TEMPLATES`` collects them by
name for the admin's list of what must be submitted to Meta.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from pasar.notifications.models import Category

TEMPLATES: dict[str, "Template"] = {}


@dataclass(frozen=True)
class Template:
    name: str  # as approved in WhatsApp Manager, e.g. "pesanan_baru_lapak"
    inbox: str  # English msgid with %(name)s placeholders (gettext_noop)
    params: tuple[str, ...]  # the body's {{1}}, {{2}}, … in order
    category: str = Category.UTILITY
    language: str = "id"
    sms: bool = True  # may fall back to SMS when the person has no WhatsApp opt-in

    def __post_init__(self) -> None:
        known = TEMPLATES.get(self.name)
        if known is not None and known != self:
            raise ValueError(f"two templates named {self.name!r}")
        TEMPLATES[self.name] = self

    def ordered(self, params: dict[str, Any]) -> list[str]:
        """The body parameters in template order; a missing one is "-" (WhatsApp refuses an empty one)."""
        return [str(params.get(name, "")) or "-" for name in self.params]

    def render(self, params: dict[str, Any], *, language: str = "id") -> str:
        with translation.override(language):
            try:
                return str(gettext(self.inbox) % params)
            except (KeyError, TypeError, ValueError):
                return gettext(self.inbox)


def cost_of(category: str) -> int:
    """Estimated rupiah per message of ``category`` (``PASAR_MESSAGE_COSTS``; rates change, so configured)."""
    return int(settings.PASAR_MESSAGE_COSTS.get(category, 0))


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.PASAR_SITE_URL.rstrip("/") + url
