"""Collection years, named as the DfE tools name them: by the year in which they end.
``2026`` is 1 April 2025 – 31 March 2026."""

import datetime as dt


def collection_year(on: dt.date) -> int:
    """The collection year a day falls in."""
    return on.year + 1 if on.month >= 4 else on.year


def period(year: int) -> tuple[dt.date, dt.date]:
    """First and last day of the collection year ``year``."""
    return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)
