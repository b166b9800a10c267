from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketsConfig(AppConfig):
    name = "pasar.markets"
    label = "markets"
    verbose_name = _("Markets")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from pasar.markets.sessions import shorten_staff_session

        user_logged_in.connect(shorten_staff_session, dispatch_uid="markets.shorten_staff_session")
