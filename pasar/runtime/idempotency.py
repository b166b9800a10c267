"""Apply a write once per client-made key, and answer a replay with the first result.

Pages that work offline (the trader's prices, ...) queue a write made without signal with a key from
``crypto.randomUUID()`` and send it with ``X-Idempotency-Key`` when signal returns (``pasar.js``). The
key is recorded in the same transaction as the write: a second send of the key (the queue replayed twice,
two tabs) waits on the unique index, then gets the stored status, ``Location`` and body back with
``X-Idempotent-Replay: 1``, and nothing is written again. Without the header a view runs as before.
"""

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse

from pasar.runtime.models import IdempotencyRecord

HEADER = "X-Idempotency-Key"
KEY = re.compile(r"^[A-Za-z0-9-]{8,64}$")
MAX_BODY = 200_000

View = Callable[..., HttpResponse]


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(record.body, status=record.status or 409)
    if record.location:
        response["Location"] = record.location
    response["X-Idempotent-Replay"] = "1"
    return response


def idempotent(view: View) -> View:
    """Wrap a POST view: with a valid ``X-Idempotency-Key`` of a logged-in user, run it at most once."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = request.headers.get(HEADER, "")
        if request.method != "POST" or not request.user.is_authenticated or not KEY.match(key):
            return view(request, *args, **kwargs)
        done = IdempotencyRecord.objects.filter(user_id=request.user.pk, key=key).first()
        if done is not None:
            return _replay(done)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(user_id=request.user.pk, key=key, path=request.path)
            except IntegrityError:
                return _replay(IdempotencyRecord.objects.get(user_id=request.user.pk, key=key))
            response = view(request, *args, **kwargs)
            record.status = response.status_code
            record.location = response.get("Location", "")[:500]
            content = getattr(response, "content", b"")
            record.body = content[:MAX_BODY].decode("utf-8", "replace") if not response.has_header("Location") else ""
            record.save(update_fields=["status", "location", "body"])
        return response

    return wrapper
