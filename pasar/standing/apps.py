from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandingConfig(AppConfig):
    name = "pasar.standing"
    label = "standing"
    verbose_name = _("Standing orders")
