"""Payment-provider webhooks: ``POST /api/v1/payments/notifications/{provider}``.

The provider retries until it gets a 2xx, so handled notifications and replays answer 200; a forged
or unusable body answers 400 and an unknown reference 404, both with nothing written; a provider that
cannot be re-queried answers 503 so the notification comes again. A body over 64 KB (a provider's
notification is about 1 KB) answers 413 unread and unstored.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from pasar.core.schemas import ErrorOut
from pasar.payments.gateway import ProviderNotConfigured, payment_provider
from pasar.payments.providers.base import ForgedNotification, ProviderError
from pasar.payments.services import UnknownPaymentRef, notification_handle

router = Router(tags=["payments"])

MAX_NOTIFICATION_BYTES = 64 * 1024


class NotificationOut(Schema):
    outcome: str = Field(
        description="`paid`, `already_paid`, `pending`, `closed`, `review` (a person checks it) or `replay`.",
        examples=["paid"],
    )


@router.post(
    "/payments/notifications/{provider}",
    response={200: NotificationOut, 400: ErrorOut, 404: ErrorOut, 413: ErrorOut, 503: ErrorOut},
    summary="Receive a payment provider's notification",
    operation_id="payment_notification",
)
def payment_notification(request: HttpRequest, provider: str) -> Status[dict[str, str]]:
    """Verify the signature over the raw body, record it once, then act on the provider's re-queried status."""
    if _too_large(request):
        return Status(413, {"detail": _("Notification body is too large.")})
    try:
        adapter = payment_provider(provider)
    except ProviderNotConfigured:
        return Status(404, {"detail": _("Unknown payment provider.")})
    headers = {key.lower(): value for key, value in request.headers.items()}
    try:
        handled = notification_handle(adapter, headers, request.body)
    except ForgedNotification:
        return Status(400, {"detail": _("Notification signature does not verify.")})
    except UnknownPaymentRef:
        return Status(404, {"detail": _("No payment has this reference.")})
    except ProviderError:
        return Status(503, {"detail": _("Payment status unavailable; send the notification again.")})
    return Status(200, {"outcome": handled.outcome})


def _too_large(request: HttpRequest) -> bool:
    """Over the cap by its declared length (the body is then never read) or by what was actually sent."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    return declared > MAX_NOTIFICATION_BYTES or len(request.body) > MAX_NOTIFICATION_BYTES
