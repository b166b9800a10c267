from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    name = "pasar.runtime"
    label = "runtime"
    verbose_name = "Runtime"
