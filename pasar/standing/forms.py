"""Forms of the standing-order pages (plain Django forms: the pages work without JavaScript)."""

from datetime import date, time
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pasar.orders.forms import CoordinateField
from pasar.orders.models import Order
from pasar.standing.models import WEEKDAY_NAMES, StandingOrder

WEEKDAYS = WEEKDAY_NAMES


class ScheduleForm(forms.Form):
    every = forms.ChoiceField(
        label=_("Schedule"), choices=StandingOrder.Every.choices, widget=forms.RadioSelect, initial="weekdays"
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Days of the week"), choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple, required=False
    )
    interval_days = forms.IntegerField(label=_("Every how many days"), min_value=1, max_value=60, required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(
        label=_("Ends on (optional)"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("every") == "days" and not data.get("interval_days"):
            self.add_error("interval_days", _("Every 1 to 60 days."))
        if data.get("every") == "weekdays" and not data.get("weekdays"):
            self.add_error("weekdays", _("Choose at least one day of the week."))
        return data


class StandingForm(ScheduleForm):
    name = forms.CharField(label=_("Name"), max_length=80, initial=_("Kitchen order"))
    fulfilment = forms.ChoiceField(
        label=_("How do you get your order?"), choices=StandingOrder.Fulfilment.choices, widget=forms.RadioSelect
    )
    address = forms.CharField(label=_("Delivery address"), max_length=250, required=False)
    landmark = forms.CharField(label=_("Landmark (patokan)"), max_length=120, required=False)
    lat = CoordinateField(label=_("Latitude"), low=-11.5, high=6.5, example="-6,914")
    lng = CoordinateField(label=_("Longitude"), low=94.5, high=141.5, example="107,610")
    pickup_at = forms.ChoiceField(label=_("Pickup hour"), required=False)
    payment_method = forms.ChoiceField(
        label=_("Payment"), choices=Order.PaymentMethod.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note for every order"), max_length=250, required=False)

    field_order = ["name", "every", "weekdays", "interval_days", "starts_on", "ends_on"]

    def __init__(self, *args: Any, pickup_times: list[time], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["pickup_at"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(t.strftime("%H:%M"), t.strftime("%H.%M")) for t in pickup_times]

    def clean_pickup_at(self) -> time | None:
        value = self.cleaned_data.get("pickup_at") or ""
        return time.fromisoformat(value) if value else None


class LineForm(forms.Form):
    product = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.CharField(label=_("Quantity"), max_length=12)


def schedule_initial(standing: StandingOrder | None, today: date) -> dict[str, Any]:
    if standing is None:
        return {"every": "weekdays", "starts_on": today, "fulfilment": "delivery"}
    return {
        "every": standing.every,
        "weekdays": list(standing.weekdays),
        "interval_days": standing.interval_days,
        "starts_on": standing.starts_on,
        "ends_on": standing.ends_on,
    }
