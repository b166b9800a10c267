"""Zenziva (an Indonesian SMS gateway): a form POST with user key, pass key, number and message.

The answer is JSON with ``status`` ``"1"`` for accepted and a ``messageId``; anything else is refused.
Used for one-time codes and as the fallback for people without WhatsApp opt-in.
"""

from typing import TYPE_CHECKING

import httpx
from django.conf import settings

from pasar.notifications.providers.base import ProviderError

if TYPE_CHECKING:
    from pasar.notifications.models import OutboundMessage

TIMEOUT = httpx.Timeout(5.0, connect=3.0)
SEGMENT = 160


class Zenziva:
    def send(self, message: "OutboundMessage") -> str:
        data = {
            "userkey": settings.PASAR_ZENZIVA_USERKEY,
            "passkey": settings.PASAR_ZENZIVA_PASSKEY,
            "to": "0" + message.to[3:],  # +62812… → 0812…
            "message": message.text[: SEGMENT * 3],
        }
        try:
            response = httpx.post(settings.PASAR_ZENZIVA_URL, data=data, timeout=TIMEOUT)
        except httpx.HTTPError as exc:
            raise ProviderError(f"sms: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            raise ProviderError(f"sms: HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError as exc:
            raise ProviderError("sms: answer is not JSON") from exc
        if str(answer.get("status")) != "1":
            raise ProviderError(f"sms: refused ({str(answer.get('text', ''))[:100]})")
        return str(answer.get("messageId") or f"zenziva-{message.pk}")
