"""Operator forms for a trader list import."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from pasar.traders.importer import MAX_BYTES


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Trader list (.xlsx or .csv, at most 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_BYTES:  # refused before reading a byte of it
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class ImportConfirmForm(forms.Form):
    consent = forms.BooleanField(
        label=_("The traders in this list agreed to be listed on Pasar Daring"),
        error_messages={"required": _("Confirm that the traders agreed to be listed.")},
    )
