"""Forms of the staff's order screens: weighing, substitutes, handover, cancelling, the operator's filter."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pasar.catalog.forms import RupiahField
from pasar.catalog.models import Product
from pasar.orders.models import Order
from pasar.orders.pricing import MAX_QUANTITY

THOUSANDTH = Decimal("0.001")  # the precision of OrderLine quantities


class QuantityField(forms.CharField):
    """A quantity typed as people type it: 1, 0,25 or 0.25 (at most three decimals)."""

    def to_python(self, value: str | None) -> Decimal | None:  # type: ignore[override]
        text = (super().to_python(value) or "").replace(",", ".")
        if not text:
            return None
        try:
            quantity = Decimal(text)
        except InvalidOperation:
            quantity = Decimal("NaN")
        # Short-circuit: ``quantize`` only sees finite, bounded values.
        if not quantity.is_finite() or not 0 < quantity <= MAX_QUANTITY or quantity != quantity.quantize(THOUSANDTH):
            raise forms.ValidationError(_("Write a quantity above 0 and at most 500, e.g. 1 or 0,25."))
        return quantity


class WeighForm(forms.Form):
    """The weighed quantity and its price; an untouched prefilled price follows the weight."""

    quantity = QuantityField(label=_("Weighed quantity"), widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    amount = RupiahField(label=_("Price (Rp)"), required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    prefill = forms.IntegerField(required=False, widget=forms.HiddenInput())


class SubstituteForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Substitute"), queryset=Product.objects.none(), empty_label=_("— choose a product —")
    )
    quantity = QuantityField(label=_("Quantity"), widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args: object, choices: QuerySet[Product], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["product"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = choices


class DeliverForm(forms.Form):
    code = forms.CharField(
        label=_("Handover code from the buyer"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    cash = RupiahField(
        label=_("Cash collected (Rp)"),
        required=False,
        minimum=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=250)


class OrderFilterForm(forms.Form):
    """The operator's filter: one state (or all) and one market day (empty: every day)."""

    status = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("Every state")), *Order.State.choices])
    hari = forms.DateField(label=_("Market day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class BoughtForm(forms.Form):
    """What the courier paid for a cari-di-pasar line, and optionally a photo of the receipt."""

    amount = RupiahField(label=_("Price paid (Rp)"), widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    receipt = forms.FileField(label=_("Receipt photo (optional)"), required=False)
