"""Signals other apps listen to without core importing them."""

from django.dispatch import Signal

# Sent after bank holidays were added or removed (kwargs: actor). Due dates may move.
bank_holidays_changed = Signal()
