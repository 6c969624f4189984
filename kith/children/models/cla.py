"""Children looked after: episodes to leaving care."""

__all__: list[str] = []
