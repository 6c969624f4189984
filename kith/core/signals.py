"""Signals that let core announce changes to apps it must not import.

``kith.core`` imports no domain app (an import-linter contract), so where core data that domain
apps compute from changes, core sends a signal and the app connects to it (with ``connect`` in
its own module; Kith otherwise calls services explicitly rather than using signals).
"""

from django.dispatch import Signal

# Sent by ``kith.core.calendar.bank_holidays_load`` inside its transaction, after it added or
# removed bank holidays (never when it only renamed them, nor from a data migration), with
# ``actor`` (the user, or None), ``added`` and ``removed`` (lists of dates). Working-day due
# dates may move. A receiver that raises rolls the load back.
bank_holidays_changed = Signal()
