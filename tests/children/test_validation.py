"""The entry-validation framework: rules registered by code, checked before anything is saved."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kith.children import validation
from kith.children.validation import CIN, Entry


@pytest.fixture
def kind() -> str:
    return "test_kind_for_framework"


def test_broken_rules_become_messages_on_their_fields_naming_the_rule(kind: str) -> None:
    @validation.rule(
        kind, "9001", source=CIN, fields=("end", "start"), message="End is before start"
    )
    def _end_before_start(entry: Entry) -> bool:
        return entry.end is not None and entry.end < entry.start

    @validation.rule(
        kind,
        "9002",
        source=CIN,
        fields="start",
        message="Start is a weekend",
        effective_from=dt.date(2025, 4, 1),
    )
    def _weekend(entry: Entry) -> bool:
        return entry.start.weekday() >= 5

    fine = Entry({"start": dt.date(2025, 6, 2), "end": None}, on=dt.date(2025, 6, 2))
    validation.enforce(kind, fine)

    saturday = dt.date(2025, 6, 7)
    broken = Entry({"start": saturday, "end": dt.date(2025, 6, 1)}, on=saturday)
    with pytest.raises(ValidationError) as raised:
        validation.enforce(kind, broken)
    assert raised.value.message_dict == {
        "end": ["End is before start (CIN census rule 9001)"],
        "start": ["Start is a weekend (CIN census rule 9002)"],
    }

    # Before its collection year a rule does not apply.
    earlier = Entry({"start": dt.date(2024, 6, 1), "end": None}, on=dt.date(2024, 6, 1))
    assert [p.rule.code for p in validation.problems(kind, earlier)] == []
    assert {r.code for r in validation.catalogue() if r.kind == kind} == {"9001", "9002"}

    with pytest.raises(ValueError, match="already registered"):
        validation.rule(kind, "9001", source=CIN, fields="start", message="again")(
            lambda entry: False
        )
    validation._rules.pop(kind)


def test_entry_reads_values_then_context() -> None:
    entry = Entry({"a": 1}, context={"b": 2})
    assert (entry.a, entry.b, entry.get("c", 3)) == (1, 2, 3)
    with pytest.raises(AttributeError):
        _ = entry.c
