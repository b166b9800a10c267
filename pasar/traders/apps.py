from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradersConfig(AppConfig):
    name = "pasar.traders"
    label = "traders"
    verbose_name = _("Traders")
