"""The privacy notice, and "Data saya": every person sees, downloads and corrects their data, asks for
deletion or withdraws consent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pasar.accounts.consent import NOTICE_VERSION, consent_give, current_consent
from pasar.accounts.models import Consent, PersonalDataAccess, User
from pasar.core.errors import DomainError
from pasar.privacy import selectors, services
from pasar.privacy.forms import CorrectionForm, RequestForm
from pasar.privacy.models import ANSWER_WITHIN, DataRequest


def notice(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/notice.html", {"version": NOTICE_VERSION, "answer_hours": 72})


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # behind login_required
    return request.user


def _page(request: HttpRequest, *, correction: CorrectionForm | None = None, ask: RequestForm | None = None,
          status: int = 200) -> HttpResponse:  # fmt: skip
    user = _user(request)
    context = {
        "consent": current_consent(user),
        "version": NOTICE_VERSION,
        "correction": correction or CorrectionForm(initial={"name": user.name, "email": user.email}),
        "ask": ask or RequestForm(),
        "requests": DataRequest.objects.filter(user=user).exclude(kind=DataRequest.Kind.ACCESS)[:20],
        "views": PersonalDataAccess.objects.filter(subject=user).count(),
        "answer_hours": int(ANSWER_WITHIN.total_seconds() // 3600),
    }
    return render(request, "privacy/my_data.html", context, status=status)


@never_cache
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return _page(request)


@never_cache
@login_required
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The person's data as JSON or CSV (art. 7 and 13); each download is recorded as a served request."""
    user = _user(request)
    data = selectors.person_data(user)
    services.request_fulfilled(user=user, kind=DataRequest.Kind.ACCESS)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(selectors.as_csv(data), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(selectors.as_json(data), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="data-saya-{stamp}.{fmt}"'
    return response


@login_required
@require_POST
def correct(request: HttpRequest) -> HttpResponse:
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return _page(request, correction=form, status=400)
    try:
        services.person_correct(
            user=_user(request), data=services.Correction(form.cleaned_data["name"], form.cleaned_data["email"])
        )
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _page(request, correction=form, status=400)
    messages.success(request, _("Your data is corrected."))
    return redirect("privacy:my-data")


@login_required
@require_POST
def ask(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST)
    if not form.is_valid():
        return _page(request, ask=form, status=400)
    found = services.request_open(
        user=_user(request), kind=form.cleaned_data["kind"], detail=form.cleaned_data["detail"]
    )
    messages.success(
        request,
        _("Your request is recorded. We answer by %(due)s.")
        % {"due": timezone.localtime(found.due_at).strftime("%d-%m-%Y %H:%M")},
    )
    return redirect("privacy:my-data")


@login_required
@require_POST
def consent(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    action = request.POST.get("action", "")
    if action == "give":
        consent_give(user=user, how=Consent.How.WEB)
        messages.success(request, _("Thank you: your consent is recorded."))
    elif action == "withdraw":
        services.consent_withdraw_request(user=user)
        messages.success(
            request,
            _(
                "Your consent is withdrawn. Processing that needs it stops within 3×24 hours; orders already "
                "placed are still delivered and their payment records are kept."
            ),  # fmt: skip
        )
    else:
        messages.error(request, _("Unknown request."))
    return redirect("privacy:my-data")
