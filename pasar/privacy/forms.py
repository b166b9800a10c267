from django import forms
from django.utils.translation import gettext_lazy as _

from pasar.privacy.models import DataRequest


class CorrectionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False, max_length=254)


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            (DataRequest.Kind.DELETION, DataRequest.Kind.DELETION.label),
            (DataRequest.Kind.CORRECTION, DataRequest.Kind.CORRECTION.label),
        ],  # fmt: skip
    )
    detail = forms.CharField(
        label=_("What to correct, or anything we should know"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("kind") == DataRequest.Kind.DELETION and not data.get("confirm"):
            self.add_error("confirm", _("Tick the box to confirm that you want your data deleted."))
        if data.get("kind") == DataRequest.Kind.CORRECTION and not str(data.get("detail", "")).strip():
            self.add_error("detail", _("Say what should be corrected."))
        return data
