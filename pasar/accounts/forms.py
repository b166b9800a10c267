from django import forms
from django.contrib.auth.forms import AuthenticationForm
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
