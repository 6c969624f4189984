from django.apps import AppConfig


class RecordingConfig(AppConfig):
    name = "kith.recording"
    label = "recording"
    verbose_name = "Recording"

    def ready(self) -> None:
        from kith.people import chronology, pages, summary
        from kith.recording.chronology import recording_source
        from kith.recording.panels import pinned_notes

        chronology.register(recording_source)
        summary.register(pinned_notes)
        pages.register_tab("notes", "Notes", "recording:notes", 40)
        pages.register_tab("visits", "Visits", "recording:visits", 45)
