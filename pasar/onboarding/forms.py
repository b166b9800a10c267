"""The operator's one-page registration: person, stall and up to five first products."""

from collections import defaultdict
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pasar.catalog.models import Commodity
from pasar.catalog.services import ProductInput
from pasar.catalog.units import Unit
from pasar.core.money import MAX_PRICE, parse_rupiah
from pasar.core.phone import normalize_phone
from pasar.markets.models import Category, Market
from pasar.onboarding.services import MAX_FIRST_PRODUCTS
from pasar.traders.models import Stall
from pasar.traders.services import Registration, StallInput


class RegistrationForm(forms.Form):
    """The person and the stall. Field names match ``DomainError.field`` from ``trader_onboard``."""

    name = forms.CharField(label=_("Trader's name"), max_length=120, widget=forms.TextInput(attrs={"autofocus": True}))
    phone = forms.CharField(
        label=_("Phone number (WhatsApp)"),
        max_length=25,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", "placeholder": "0812-3456-7890"}),
    )
    consent = forms.BooleanField(
        label=_("The trader agreed to be listed on Pasar Daring"),
        error_messages={"required": _("Ask the trader first: their consent must be recorded.")},
    )
    block = forms.CharField(label=_("Block"), max_length=10, required=False)
    row = forms.CharField(label=_("Los (row)"), max_length=10, required=False)
    number = forms.CharField(label=_("Number"), max_length=10)
    kind = forms.ChoiceField(label=_("Stall type"), choices=Stall.Kind.choices, initial=Stall.Kind.LAPAK)
    category = forms.ModelChoiceField(
        label=_("What the stall sells"), queryset=Category.objects.all(), empty_label=_("— choose —")
    )
    stall_name = forms.CharField(label=_("Stall name (optional)"), max_length=120, required=False)

    def clean_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(_("Not a valid Indonesian phone number (e.g. 0812-3456-7890)."))
        return phone

    def registration(self, *, market: Market) -> Registration:
        data = self.cleaned_data
        stall = StallInput(
            market=market,
            category=data["category"],
            number=data["number"],
            block=data["block"],
            row=data["row"],
            name=data["stall_name"],
            kind=data["kind"],
        )
        return Registration(name=data["name"], phone=data["phone"], stall=stall, consent=True)


def commodity_choices() -> tuple[list[tuple[str, Any]], dict[str, Commodity]]:
    """Commodities grouped by category for one select, and id → commodity (one query for all rows)."""
    commodities = list(Commodity.objects.select_related("category").order_by("category__position", "name"))
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for c in commodities:
        groups[c.category.name].append((str(c.pk), c.name))
    choices: list[tuple[str, Any]] = [("", _("— or type a name —"))]
    choices += list(groups.items())
    return choices, {str(c.pk): c for c in commodities}


class ProductForm(forms.Form):
    """One first product: a commodity from the vocabulary or a free name, a unit and a price."""

    commodity = forms.ChoiceField(label=_("Commodity"), required=False)
    name = forms.CharField(label=_("or product name"), max_length=120, required=False)
    unit = forms.ChoiceField(label=_("Unit"), choices=[("", _("usual unit")), *Unit.choices], required=False)
    price = forms.CharField(
        label=_("Price (Rp)"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )

    def __init__(self, *args: Any, commodities: tuple[list[tuple[str, Any]], dict[str, Commodity]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices, self.by_id = commodities
        self.fields["commodity"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        commodity = self.by_id.get(data.get("commodity") or "")
        name = (data.get("name") or "").strip() or (commodity.name if commodity else "")
        raw_price = (data.get("price") or "").strip()
        if not name and not raw_price:
            return {"empty": True}
        if not name:
            self.add_error("name", _("Pick a commodity or type a product name."))
        price = parse_rupiah(raw_price)
        if price is None or not 0 < price <= MAX_PRICE:
            self.add_error("price", _("Write the price in whole rupiah, e.g. 12500 or 12.500."))
        unit = data.get("unit") or (commodity.unit if commodity else "")
        if not unit:
            self.add_error("unit", _("Choose a unit."))
        return {"empty": False, "commodity": commodity, "name": name, "unit": unit, "price": price}

    def product(self) -> ProductInput | None:
        data = self.cleaned_data
        if not data or data.get("empty", True):
            return None
        return ProductInput(name=data["name"], unit=data["unit"], price=data["price"], commodity=data["commodity"])


ProductFormSet = forms.formset_factory(
    ProductForm,
    extra=MAX_FIRST_PRODUCTS,
    max_num=MAX_FIRST_PRODUCTS,
    absolute_max=MAX_FIRST_PRODUCTS,
    validate_max=True,
)


def product_formset(data: Any = None) -> Any:
    return ProductFormSet(data, prefix="products", form_kwargs={"commodities": commodity_choices()})


def products_of(formset: Any) -> list[ProductInput]:
    return [p for p in (form.product() for form in formset.forms) if p is not None]
