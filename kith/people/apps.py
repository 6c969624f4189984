from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "kith.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from kith.people import chronology

        chronology.register(chronology.people_source)
