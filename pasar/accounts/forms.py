from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class PhoneLoginForm(AuthenticationForm):
    """Phone number and password (or the PIN the market operator handed over)."""

    username = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autofocus": True, "inputmode": "tel", "autocomplete": "tel", "placeholder": "0812..."}
        ),
    )
    password = forms.CharField(
        label=_("Password or PIN"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": _("Phone number or password is wrong."),
        "inactive": _("This account is not active."),
    }


class NewPinForm(SetPasswordForm):  # type: ignore[type-arg]
    """Choose one's own PIN (or password) after someone else chose the first one."""

    new_password1, new_password2 = SetPasswordForm.create_password_fields(
        label1=_("New PIN or password"), label2=_("The same again")
    )

    def save(self, commit: bool = True) -> Any:
        self.user.must_change_password = False
        return super().save(commit=commit)


class ChangePinForm(NewPinForm):
    """Change one's PIN or password; the current one is checked like a login (wrong ones count to the lock)."""

    old_password = forms.CharField(
        label=_("Current PIN or password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, user: Any, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        old = str(self.cleaned_data["old_password"])
        if authenticate(self.request, username=self.user.phone, password=old) is None:
            raise ValidationError(_("The current PIN or password is wrong."), code="password_incorrect")
        return old
