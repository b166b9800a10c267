from django import forms
from django.utils.translation import gettext_lazy as _


class MarketFinderForm(forms.Form):
    """Find a market by name, by province or kab/kota, or near a map point."""

    q = forms.CharField(label=_("Market or city name"), required=False, max_length=80)
    wilayah = forms.CharField(label=_("Province or city"), required=False, max_length=13)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-11.5, max_value=6.5)
    lng = forms.FloatField(label=_("Longitude"), required=False, min_value=94.5, max_value=141.5)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data
