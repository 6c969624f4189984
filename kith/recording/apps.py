from django.apps import AppConfig


class RecordingConfig(AppConfig):
    name = "kith.recording"
    label = "recording"
    verbose_name = "Recording"

    def ready(self) -> None:
        from kith.people import chronology, pages, summary
        from kith.recording import panels, services
        from kith.recording.chronology import recording_source
        from kith.recording.panels import pinned_notes
        from kith.work import hooks

        chronology.register(recording_source)
        summary.register(pinned_notes)
        pages.register_tab("notes", "Notes", "recording:notes", 40)
        pages.register_tab("visits", "Visits", "recording:visits", 45)
        hooks.register_decision_listener(services.on_work_decision)
        hooks.register_item_links(panels.work_item_links)
        hooks.register_unfinished(panels.unfinished_notes)
