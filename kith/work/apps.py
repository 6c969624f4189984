from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "kith.work"
    label = "work"
    verbose_name = "Work"

    def ready(self) -> None:
        from kith.access.relationships import register
        from kith.people import chronology, pages, summary
        from kith.work import services, timescales
        from kith.work.chronology import work_source
        from kith.work.panels import who_is_working
        from kith.work.relationships import work_relationships

        register(work_relationships)
        summary.register(who_is_working)
        chronology.register(work_source)
        pages.register_tab("work", "Work", "work:person-work", 30)
        timescales.on_rules_changed_register(services.on_rules_changed)
