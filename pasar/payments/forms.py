"""The operator's record of a bank mutation."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from pasar.core.money import MAX_PRICE, parse_rupiah


class TransferConfirmForm(forms.Form):
    """Field names match ``DomainError.field`` from ``transfer_confirm_manual``."""

    amount = forms.CharField(
        label=_("Amount received (Rp)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    reference = forms.CharField(
        label=_("Bank reference of the transfer"),
        max_length=100,
        help_text=_("As printed on the bank statement or mutation."),
    )

    def clean_amount(self) -> int:
        amount = parse_rupiah(self.cleaned_data["amount"])
        if amount is None or not 0 < amount <= MAX_PRICE:
            raise forms.ValidationError(_("Enter the amount in whole rupiah, e.g. 28.347."))
        return amount


class DayForm(forms.Form):
    tanggal = forms.DateField(label=_("Market day"), widget=forms.DateInput(attrs={"type": "date"}))

    def day(self, default: date) -> date:
        return self.cleaned_data["tanggal"] if self.is_valid() else default
