from django import forms
from django.utils.translation import gettext_lazy as _

from pasar.training.models import TrainingEvent
from pasar.training.services import EventInput


class EventForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=150)
    topic = forms.CharField(label=_("Topic"), max_length=150)
    organiser_kind = forms.ChoiceField(label=_("Organiser type"), choices=TrainingEvent.Organiser.choices)
    organiser_name = forms.CharField(label=_("Organiser"), max_length=150, required=False)

    def event_input(self) -> EventInput:
        data = self.cleaned_data
        return EventInput(
            date=data["date"],
            place=data["place"],
            topic=data["topic"],
            organiser_kind=data["organiser_kind"],
            organiser_name=data["organiser_name"],
        )


class OfficerEventForm(EventForm):
    """An officer's event: for a whole region they read, or one market inside it."""

    scope = forms.ChoiceField(label=_("For"))

    def __init__(self, *args: object, scopes: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["scope"].choices = scopes  # type: ignore[attr-defined]
