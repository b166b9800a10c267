from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "pasar.regions"
    label = "regions"
    verbose_name = "Wilayah"
