"""Forms of the buyer's pages: add to cart, change a cart line, check out."""

import re
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


COORDINATE = re.compile(r"^[+-]?\d{1,3}(?:[.,]\d{1,12})?$")


def parse_coordinate(text: str) -> float | None:
    """``-6,914`` or ``-6.914`` (the decimal comma of Indonesian phones, or a dot); None when not a number."""
    text = text.strip().replace(" ", "")
    if not COORDINATE.match(text):
        return None
    return float(text.replace(",", "."))


def split_pair(text: str) -> tuple[str, str] | None:
    """A map point pasted whole, "-6.914744, 107.609810" or "-6,9147 107,6098", as its two numbers."""
    text = text.strip()
    parts = re.split(r"\s*;\s*|,\s+|\s+", text)
    if len(parts) != 2 and "." in text and text.count(",") == 1:
        parts = text.split(",")  # "-6.914,107.610": dots for decimals, so the comma separates
    if len(parts) == 2 and all(COORDINATE.match(part.strip()) for part in parts):
        return parts[0].strip(), parts[1].strip()
    return None


def _comma(number: float) -> str:
    return str(number).replace(".", ",")


class CoordinateField(forms.CharField):
    """A latitude or longitude as people type it: a comma or a dot, with an error that names the field."""

    def __init__(self, *, label: Any, low: float, high: float, example: str, **kwargs: Any) -> None:
        super().__init__(label=label, required=False, max_length=40, **kwargs)
        self.low, self.high, self.example = low, high, example

    def clean(self, value: Any) -> float | None:
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        number = parse_coordinate(text)
        if number is None:
            raise forms.ValidationError(
                _("%(field)s: write a number such as %(example)s (a comma or a dot both work).")
                % {"field": self.label, "example": self.example},
                code="coordinate_invalid",
            )
        if not self.low <= number <= self.high:
            raise forms.ValidationError(
                _("%(field)s must be between %(low)s and %(high)s (inside Indonesia).")
                % {
                    "field": self.label,
                    "low": str(self.low).replace(".", ","),
                    "high": str(self.high).replace(".", ","),
                },
                code="coordinate_range",
            )
        return number


class CheckoutForm(forms.Form):
    fulfilment = forms.ChoiceField(
        label=_("How do you get your order?"), choices=Order.Fulfilment.choices, widget=forms.RadioSelect
    )
    address = forms.CharField(label=_("Delivery address"), max_length=250, required=False)
    landmark = forms.CharField(
        label=_("Landmark (patokan)"),
        max_length=120,
        required=False,
        help_text=_("What the courier looks for: the green gate, behind the mosque, opposite the school."),
    )
    lat = CoordinateField(label=_("Latitude"), low=-11.5, high=6.5, example="-6,914")
    lng = CoordinateField(label=_("Longitude"), low=94.5, high=141.5, example="107,610")
    pickup_at = forms.ChoiceField(label=_("Pickup time"), required=False)
    payment_method = forms.ChoiceField(
        label=_("Payment"), choices=Order.PaymentMethod.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note for the order"), max_length=250, required=False)
    # Generated when the form is rendered: a double tap or a resent form carries the same key.
    listed_price = forms.BooleanField(
        label=_("Do not wait for the traders' answers: lines still bargaining are bought at the listed price."),
        required=False,
    )
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)
    # The market day the buyer was shown; if the cut-off passes before they confirm, they are told again.
    prepared_for = forms.DateField(widget=forms.HiddenInput)

    def __init__(
        self, data: Any = None, *, slots: list[SlotChoice], tempo_days: int | None = None, **kwargs: Any
    ) -> None:
        if data is not None and (pair := split_pair(str(data.get("lat", "")))) and not str(data.get("lng", "")).strip():
            data = data.copy()
            data["lat"], data["lng"] = pair  # a point pasted whole from a map app into the first field
        super().__init__(data, **kwargs)
        self.slots = slots
        method = self.fields["payment_method"]
        assert isinstance(method, forms.ChoiceField)
        # Tempo is offered only to a business member whose business has tempo terms at this market.
        method.choices = [
            (value, label if value != Order.PaymentMethod.TEMPO else _("Tempo %(days)s days") % {"days": tempo_days})
            for value, label in Order.PaymentMethod.choices
            if value != Order.PaymentMethod.TEMPO or tempo_days
        ]
        field = self.fields["pickup_at"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(s.starts_at.isoformat(), s.starts_at.isoformat()) for s in slots]

    def clean_pickup_at(self) -> datetime | None:
        value = self.cleaned_data.get("pickup_at") or ""
        return datetime.fromisoformat(value) if value else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("lng") is None) and not ({"lat", "lng"} & self.errors.keys()):
            missing = "lng" if data.get("lng") is None else "lat"
            self.add_error(missing, _("Give both latitude and longitude, or neither."))
        return data
