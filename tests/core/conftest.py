import pytest

from kith.core.calendar import clear_holiday_cache


@pytest.fixture(autouse=True)
def fresh_holiday_cache():
    """Each test reads holidays from its own database state, not one a rolled-back test left."""
    clear_holiday_cache()
    yield
    clear_holiday_cache()
