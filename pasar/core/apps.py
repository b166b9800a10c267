from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pasar.core"
    label = "core"
