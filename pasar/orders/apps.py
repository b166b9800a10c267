from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "pasar.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from pasar.notifications import inbound
        from pasar.orders.services import chat

        inbound.register(chat.handle)
