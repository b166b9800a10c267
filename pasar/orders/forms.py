"""Forms of the buyer's pages: add to cart, change a cart line, check out."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pasar.core.errors import DomainError
from pasar.orders.models import Order
from pasar.orders.selectors import SlotChoice
from pasar.orders.services.cart import parse_quantity


class CartLineForm(forms.Form):
    """A quantity as people type it (``0,25`` or ``0.25``) and a note for the trader."""

    quantity = forms.CharField(label=_("Quantity"), max_length=12)
    note = forms.CharField(label=_("Note for the trader"), max_length=200, required=False)

    def clean_quantity(self) -> Decimal:
        try:
            return parse_quantity(self.cleaned_data["quantity"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc


class CheckoutForm(forms.Form):
    fulfilment = forms.ChoiceField(
        label=_("How do you get your order?"), choices=Order.Fulfilment.choices, widget=forms.RadioSelect
    )
    address = forms.CharField(label=_("Delivery address"), max_length=250, required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-11.5, max_value=6.5)
    lng = forms.FloatField(label=_("Longitude"), required=False, min_value=94.5, max_value=141.5)
    pickup_at = forms.ChoiceField(label=_("Pickup time"), required=False)
    payment_method = forms.ChoiceField(
        label=_("Payment"), choices=Order.PaymentMethod.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note for the order"), max_length=250, required=False)
    # Generated when the form is rendered: a double tap or a resent form carries the same key.
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)
    # The market day the buyer was shown; if the cut-off passes before they confirm, they are told again.
    prepared_for = forms.DateField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, slots: list[SlotChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = slots
        field = self.fields["pickup_at"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(s.starts_at.isoformat(), s.starts_at.isoformat()) for s in slots]

    def clean_pickup_at(self) -> datetime | None:
        value = self.cleaned_data.get("pickup_at") or ""
        return datetime.fromisoformat(value) if value else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data
