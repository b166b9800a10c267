from django import forms
from django.utils.translation import gettext_lazy as _

from pasar.catalog.forms import RupiahField
from pasar.complaints.models import Complaint

NUMERIC = forms.TextInput(attrs={"inputmode": "numeric"})


class ComplaintForm(forms.Form):
    line = forms.TypedChoiceField(label=_("Which item"), coerce=int)
    reason = forms.ChoiceField(label=_("What went wrong"), choices=Complaint.Reason.choices)
    description = forms.CharField(
        label=_("Describe it (optional)"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.FileField(label=_("Photo (optional)"), required=False)
    remedy = forms.ChoiceField(label=_("What you ask for"), choices=Complaint.Remedy.choices)
    amount = RupiahField(label=_("Refund asked (Rp), for part of the line"), required=False, widget=NUMERIC)

    def __init__(self, *args: object, lines: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["line"].choices = lines  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    agree = forms.TypedChoiceField(
        label=_("Your answer"),
        choices=[("1", _("I agree")), ("0", _("I disagree"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note (required to disagree)"), required=False, max_length=500)


class DecideForm(forms.Form):
    amount = RupiahField(label=_("Refund (Rp), 0 to reject"), widget=NUMERIC)
    method = forms.ChoiceField(label=_("Paid as"), choices=Complaint.RefundMethod.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
