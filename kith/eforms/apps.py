from django.apps import AppConfig


class EformsConfig(AppConfig):
    name = "kith.eforms"
    label = "eforms"
    verbose_name = "Forms"

    def ready(self) -> None:
        from kith.eforms import panels, services
        from kith.eforms.chronology import forms_source
        from kith.people import chronology, pages
        from kith.work import hooks

        pages.register_tab("forms", "Forms", "eforms:person-forms", 40)
        hooks.register_decision_listener(services.on_work_decision)
        hooks.register_item_links(panels.work_item_links)
        hooks.register_my_work_panel(panels.unfinished_panel)
        chronology.register(forms_source)
