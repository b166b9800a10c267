"""The inbox (a person's own notifications, newest first), their WhatsApp opt-in switch, and the
WhatsApp webhook (GET handshake, signed POSTs)."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from pasar.accounts.models import User
from pasar.notifications.models import OptIn
from pasar.notifications.queue import opted_in
from pasar.notifications.selectors import inbox_for
from pasar.notifications.services import notifications_mark_read, opt_in, opt_out
from pasar.notifications.webhooks import signature_valid, webhook_receive

MAX_WEBHOOK_BYTES = 256 * 1024


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    notes = list(inbox_for(user))
    unread = sum(1 for n in notes if n.read_at is None)
    context = {"notes": notes, "unread": unread, "whatsapp": opted_in(user)}
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=_user(request))
    return redirect("notifications:inbox")


@login_required
@require_POST
def whatsapp_switch(request: HttpRequest) -> HttpResponse:
    """Opt in to (or out of) WhatsApp messages on the account's number."""
    user = _user(request)
    if request.POST.get("whatsapp") == "on":
        opt_in(user=user, source=OptIn.Source.WEB)
    else:
        opt_out(phone=user.phone, source="web")
    return redirect("notifications:inbox")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        token = settings.PASAR_WHATSAPP_VERIFY_TOKEN
        given = request.GET.get("hub.verify_token", "")
        if request.GET.get("hub.mode") == "subscribe" and token and constant_time_compare(given, token):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponse(status=403)
    body = request.body  # the raw bytes: the signature is over exactly these
    if len(body) > MAX_WEBHOOK_BYTES or not signature_valid(body, request.headers.get("X-Hub-Signature-256")):
        return HttpResponse(status=401)
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return HttpResponse(status=400)
    if not isinstance(payload, dict):
        return HttpResponse(status=400)
    return JsonResponse(webhook_receive(payload))
