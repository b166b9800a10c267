from django import forms
from django.utils.translation import gettext_lazy as _

from pasar.accounts.models import Business
from pasar.business.models import PaymentTerms
from pasar.core.money import parse_rupiah


class RupiahField(forms.CharField):
    def to_python(self, value: object) -> int | None:  # type: ignore[override]
        text = str(value or "").strip()
        if not text:
            return None
        amount = parse_rupiah(text)
        if amount is None:
            raise forms.ValidationError(_("Write a whole rupiah amount, e.g. 1.250.000."))
        return amount


class BusinessForm(forms.Form):
    name = forms.CharField(label=_("Business name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=Business.Kind.choices)
    address = forms.CharField(label=_("Address"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    npwp = forms.CharField(label=_("NPWP (optional)"), max_length=25, required=False)


class MemberForm(forms.Form):
    phone = forms.CharField(label=_("Phone number of the contact person"), max_length=20)


class AddressForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=60)
    address = forms.CharField(label=_("Address"), max_length=250)


class TermsForm(forms.Form):
    kind = forms.ChoiceField(label=_("Terms"), choices=PaymentTerms.Kind.choices, widget=forms.RadioSelect)
    days = forms.TypedChoiceField(
        label=_("Tempo days"),
        choices=[("", "—")] + [(d, d) for d in PaymentTerms.TEMPO_DAYS],
        coerce=int,
        required=False,
        empty_value=None,
    )
    credit_limit = RupiahField(label=_("Credit limit (Rp)"), required=False)
    invoicing = forms.ChoiceField(label=_("Invoicing"), choices=PaymentTerms.Invoicing.choices)


class PaymentForm(forms.Form):
    amount = RupiahField(label=_("Amount received (Rp)"))
    reference = forms.CharField(label=_("Transfer reference"), max_length=100)
    paid_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
