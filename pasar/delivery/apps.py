from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "pasar.delivery"
    label = "delivery"
    verbose_name = _("Courier queue")

    def ready(self) -> None:
        from pasar.delivery import chat
        from pasar.notifications import inbound

        inbound.register(chat.handle_accept, priority=50)  # before orders' chat: a tap is not a list
