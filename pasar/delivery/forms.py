from django import forms
from django.utils.translation import gettext_lazy as _

from pasar.orders.staff_forms import DeliverForm

__all__ = ["CheckinForm", "DeliverForm"]


class CheckinForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Orders you can carry per trip"),
        min_value=1,
        max_value=20,
        initial=3,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
