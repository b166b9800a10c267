"""The inbox (a person's own notifications, newest first), their WhatsApp opt-in switch, the
WhatsApp webhook (GET handshake, signed POSTs), and logging in by one-time code (``otp.py``)."""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from pasar.accounts.models import User
from pasar.core.phone import normalize_phone
from pasar.notifications import otp
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


SESSION_PHONE = "login_code_phone"


def login_code(request: HttpRequest) -> HttpResponse:
    """Step 1 of logging in by code: the phone number; a code goes to it by WhatsApp or SMS."""
    error = ""
    phone_text = request.POST.get("phone", "")
    if request.method == "POST":
        phone = normalize_phone(phone_text)
        if phone is None:
            error = _("Enter an Indonesian mobile number, e.g. 0812-3456-7890.")
        else:
            outcome = otp.code_request(phone=phone)
            if outcome == otp.Outcome.SENT:
                request.session[SESSION_PHONE] = phone
                target = reverse("notifications:login-code-check")
                nxt = request.POST.get("next", "")
                if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
                    target += "?" + urlencode({"next": nxt})
                return redirect(target)
            error = str(_OUTCOME_TEXT.get(outcome, ""))
    context = {"error": error, "phone": phone_text, "next": request.GET.get("next", request.POST.get("next", ""))}
    return render(request, "notifications/login_code.html", context)


def login_code_check(request: HttpRequest) -> HttpResponse:
    """Step 2: the code. Wrong codes count towards a lock-out; the code expires after a few minutes."""
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect("notifications:login-code")
    error = ""
    nxt = request.GET.get("next", request.POST.get("next", ""))
    if request.method == "POST":
        outcome, user = otp.code_check(phone=phone, code=request.POST.get("code", ""))
        if outcome == otp.Outcome.OK and user is not None:
            request.session.pop(SESSION_PHONE, None)
            login(request, user, backend="pasar.accounts.backends.PhoneBackend")
            if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
                return redirect(nxt)
            return redirect("my-page")
        error = str(_OUTCOME_TEXT.get(outcome, ""))
    context = {"error": error, "phone": phone, "next": nxt, "minutes": settings.PASAR_OTP_MINUTES}
    return render(request, "notifications/login_code_check.html", context)


_OUTCOME_TEXT = {
    otp.Outcome.WRONG: gettext_lazy("That code is not right. Check the message and try again."),
    otp.Outcome.EXPIRED: gettext_lazy("That code has expired. Ask for a new one."),
    otp.Outcome.LOCKED: gettext_lazy("Too many wrong codes: wait an hour, or log in with your password or PIN."),
    otp.Outcome.LIMITED: gettext_lazy("Too many codes were asked for this number: wait an hour and try again."),
}
