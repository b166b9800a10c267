from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from pasar.pricing.importer import MAX_BYTES
from pasar.pricing.models import ReferencePrice


class ReferenceUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of price"), choices=ReferencePrice.Kind.choices)
    file = forms.FileField(
        label=_("Price file (.csv, at most 5 MB)"), widget=forms.ClearableFileInput(attrs={"accept": ".csv"})
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class DayForm(forms.Form):
    """``?tanggal=2025-11-16`` on a board; anything else is ignored (the latest day is shown)."""

    tanggal = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
