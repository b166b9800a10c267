"""The person's own account: choosing and changing a PIN or password."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from pasar.accounts.forms import ChangePinForm, NewPinForm
from pasar.accounts.models import User


@sensitive_post_parameters()
@never_cache
@login_required
def pin_change(request: HttpRequest) -> HttpResponse:
    """Change one's PIN; someone whose PIN was chosen by the operator chooses their own here first."""
    user = request.user
    assert isinstance(user, User)
    first = user.must_change_password
    data = request.POST if request.method == "POST" else None
    form = NewPinForm(user, data) if first else ChangePinForm(user, data, request=request)
    if data is not None and form.is_valid():
        form.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("Your new PIN is saved. Use it the next time you log in."))
        back = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            return redirect(back)
        return redirect("my-page")
    status = 400 if data is not None else 200
    context = {"form": form, "first": first, "next": request.GET.get("next", request.POST.get("next", ""))}
    return render(request, "accounts/pin_change.html", context, status=status)
