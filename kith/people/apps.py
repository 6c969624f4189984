from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "kith.people"
    label = "people"
    verbose_name = "People"
