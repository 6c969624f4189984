"""Registers the cla part's chronology sources, summary panels, tabs and work hooks."""


def register() -> None:
    pass
