"""WhatsApp Business Cloud API (Meta Graph API ``/{phone_number_id}/messages``): templates, free text
inside the window, and interactive reply buttons. Plain httpx: the API is small."""

from typing import TYPE_CHECKING, Any

import httpx
from django.conf import settings

from pasar.notifications.providers.base import ProviderError

if TYPE_CHECKING:
    from pasar.notifications.models import OutboundMessage

TIMEOUT = httpx.Timeout(5.0, connect=3.0)
MAX_BUTTON_TITLE = 20  # characters, Meta's limit for a reply button
MAX_BODY = 1024  # characters of an interactive message's body


def payload(message: "OutboundMessage") -> dict[str, Any]:
    """The request body for one message, as the Cloud API reference shapes it."""
    base: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": message.to[1:]}
    if message.kind == "template":
        parameters = [{"type": "text", "text": value} for value in message.params]
        template: dict[str, Any] = {"name": message.template, "language": {"code": message.language}}
        if parameters:
            template["components"] = [{"type": "body", "parameters": parameters}]
        if message.category == "authentication" and message.params:
            # An authentication template's copy-code button carries the code as well (Meta's format).
            button = {"type": "button", "sub_type": "url", "index": "0", "parameters": [parameters[0]]}
            template["components"].append(button)
        for index, quick in enumerate(message.buttons[:3]):
            payload_ = {"type": "payload", "payload": quick["id"]}
            reply = {"type": "button", "sub_type": "quick_reply", "index": str(index), "parameters": [payload_]}
            template.setdefault("components", []).append(reply)
        return {**base, "type": "template", "template": template}
    if message.kind == "buttons":
        buttons = [
            {"type": "reply", "reply": {"id": b["id"], "title": b["title"][:MAX_BUTTON_TITLE]}} for b in message.buttons
        ]
        interactive = {"type": "button", "body": {"text": message.text[:MAX_BODY]}, "action": {"buttons": buttons[:3]}}
        return {**base, "type": "interactive", "interactive": interactive}
    return {**base, "type": "text", "text": {"preview_url": True, "body": message.text[:4096]}}


class CloudAPI:
    def send(self, message: "OutboundMessage") -> str:
        sender = message.sender or settings.PASAR_WHATSAPP_PHONE_NUMBER_ID
        url = f"{settings.PASAR_WHATSAPP_API_URL.rstrip('/')}/{sender}/messages"
        headers = {"Authorization": f"Bearer {settings.PASAR_WHATSAPP_TOKEN}"}
        try:
            response = httpx.post(url, json=payload(message), headers=headers, timeout=TIMEOUT)
        except httpx.HTTPError as exc:
            raise ProviderError(f"whatsapp: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            raise ProviderError(f"whatsapp: HTTP {response.status_code} {_error(response)}")
        try:
            return str(response.json()["messages"][0]["id"])
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise ProviderError("whatsapp: answer without a message id") from exc


def _error(response: httpx.Response) -> str:
    try:
        error = response.json().get("error", {})
        return f"{error.get('code', '')} {error.get('message', '')}"[:150]
    except (ValueError, AttributeError):
        return ""
