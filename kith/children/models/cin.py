"""Child in need journey: front door to CP and CIN plans."""

__all__: list[str] = []
