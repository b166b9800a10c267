from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "pasar.demo"
    label = "demo"
    verbose_name = "Demo"
