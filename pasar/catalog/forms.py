from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pasar.catalog.models import MAX_STOCK, Commodity
from pasar.catalog.units import Unit
from pasar.core.money import MAX_PRICE, parse_rupiah
from pasar.traders.models import Stall


class RupiahField(forms.CharField):
    """A price typed as people type it: 12500, 12.500, Rp 12.500; from ``minimum`` to ``maximum`` rupiah."""

    def __init__(self, *args: Any, minimum: int = 1, maximum: int = MAX_PRICE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def to_python(self, value: str | None) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        amount = parse_rupiah(text)
        if amount is None or not self.minimum <= amount <= self.maximum:
            raise forms.ValidationError(_("Write the price in whole rupiah, e.g. 12500 or 12.500."))
        return amount


class ProductForm(forms.Form):
    """A trader adds or edits one product of their stall."""

    stall = forms.ModelChoiceField(label=_("Stall"), queryset=Stall.objects.none(), empty_label=None)
    name = forms.CharField(label=_("Product name"), max_length=120)
    commodity = forms.ModelChoiceField(
        label=_("Commodity (for price reports)"),
        queryset=Commodity.objects.order_by("name"),
        required=False,
        empty_label=_("— none (not in price reports) —"),
    )
    unit = forms.ChoiceField(label=_("Sold per"), choices=Unit.choices)
    price = RupiahField(label=_("Price (Rp)"), widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    stock = forms.IntegerField(label=_("Stock count (optional)"), required=False, min_value=0, max_value=MAX_STOCK)
    available = forms.BooleanField(label=_("Available today"), required=False, initial=True)
    photo = forms.ImageField(label=_("Photo (optional)"), required=False)

    def __init__(self, *args: object, stalls: list[Stall], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["stall"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Stall.objects.filter(pk__in=[s.pk for s in stalls])
        if len(stalls) == 1:
            field.widget = forms.HiddenInput()
            field.initial = stalls[0].pk


class VariantForm(forms.Form):
    """A trader adds a size, colour or motif of one product, with its own price and stock."""

    size = forms.CharField(label=_("Size"), max_length=20, required=False, help_text=_("e.g. S, M, L, XL"))
    colour = forms.CharField(label=_("Colour"), max_length=30, required=False)
    motif = forms.CharField(label=_("Motif"), max_length=40, required=False, help_text=_("e.g. parang, kawung"))
    price = RupiahField(label=_("Price (Rp)"), widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    stock = forms.IntegerField(label=_("Stock count (optional)"), required=False, min_value=0, max_value=MAX_STOCK)
