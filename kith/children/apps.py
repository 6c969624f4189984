from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "kith.children"
    label = "children"
    verbose_name = "Children's social care"

    def ready(self) -> None:
        from kith.children import wiring_cin, wiring_cla

        wiring_cin.register()
        wiring_cla.register()
