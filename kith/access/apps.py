from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "kith.access"
    label = "access"
    verbose_name = "Access"
