"""Webhook fixtures (shaped as in the Cloud API webhook reference) signed with a test secret."""

import json
from pathlib import Path
from typing import Any

from django.test import Client

from pasar.notifications.webhooks import sign

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "test-app-secret"


def fixture(name: str, **changes: Any) -> dict[str, Any]:
    """A fixture, with the first message's (or status's) fields replaced by ``changes``."""
    payload: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    value = payload["entry"][0]["changes"][0]["value"]
    item = (value.get("messages") or value.get("statuses"))[0]
    for key, new in changes.items():
        if key == "phone_number_id":
            value["metadata"]["phone_number_id"] = new
        elif key == "body":
            item["text"]["body"] = new
        else:
            item[key] = new
    return payload


def post(client: Client, payload: dict[str, Any], *, secret: str = SECRET, signature: str | None = None) -> Any:
    body = json.dumps(payload).encode()
    header = signature if signature is not None else sign(body, secret)
    return client.post(
        "/webhooks/whatsapp/", data=body, content_type="application/json", headers={"X-Hub-Signature-256": header}
    )
