import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from kith.audit.models import AuditEvent
from kith.audit.services import audit_record, audit_verify
from kith.core.db.append_only import drop_sql
from tests import factories

pytestmark = pytest.mark.django_db


def write_entries(count: int = 5) -> list[AuditEvent]:
    actor = factories.user()
    person = uuid.uuid4()
    events = []
    with transaction.atomic():
        for n in range(count):
            events.append(
                audit_record(
                    actor=actor,
                    action="view",
                    person_id=person,
                    object_type="people.person",
                    object_id=person,
                    rule="allocated",
                    search_terms=f"term {n}",
                )
            )
    return events


def test_entries_form_a_chain_that_verifies():
    events = write_entries(5)
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[1].prev_hash == events[0].hash
    result = audit_verify()
    assert result.ok
    assert result.checked == 5


def test_entry_outside_a_transaction_is_refused():
    # pytest-django wraps tests in a transaction; leave it to act as a bare caller would
    connection.in_atomic_block = False
    try:
        with pytest.raises(RuntimeError, match="inside the transaction"):
            audit_record(actor=None, action="view")
    finally:
        connection.in_atomic_block = True


def test_update_and_delete_are_refused_by_the_database():
    events = write_entries(2)
    for statement in (
        "UPDATE audit_auditevent SET action = 'create' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [events[0].pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=events[0].pk).update(reason="hidden")


def test_emptying_the_table_is_refused():
    write_entries(1)
    statement = (
        "TRUNCATE audit_auditevent"
        if connection.vendor == "postgresql"
        else "DELETE FROM audit_auditevent"
    )
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)


def tamper(sql: str, params: list[object]) -> None:
    """What someone with database rights could do: drop the triggers, then change a row."""
    with connection.cursor() as cursor:
        for statement in drop_sql(connection.vendor, "audit_auditevent"):
            cursor.execute(statement)
        cursor.execute(sql, params)


def test_a_changed_row_is_found_and_named():
    events = write_entries(5)
    tamper(
        "UPDATE audit_auditevent SET search_terms = 'nothing to see' WHERE id = %s", [events[2].pk]
    )
    result = audit_verify()
    assert not result.ok
    assert result.broken_seq == 3
    assert result.broken_id == events[2].pk
    assert result.checked == 2
    with pytest.raises(CommandError, match=rf"entry #3 \(id {events[2].pk}\) has been changed"):
        call_command("audit", "verify")


def test_a_deleted_row_is_found():
    events = write_entries(5)
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    result = audit_verify()
    assert not result.ok
    assert "entry #2 is missing" in result.problem


def test_a_rewritten_chain_tail_is_found():
    events = write_entries(3)
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    result = audit_verify()
    assert not result.ok
    assert "the log ends at #2 but entries up to #3 were written" in result.problem


def test_verify_command_reports_an_intact_log(capsys):
    write_entries(3)
    call_command("audit", "verify")
    assert "The audit log is intact: 3 entries checked." in capsys.readouterr().out


def test_the_log_holds_ids_not_record_contents():
    event = write_entries(1)[0]
    field_names = {f.name for f in AuditEvent._meta.get_fields()}
    assert not field_names & {"before", "after", "snapshot", "data", "content"}
    assert event.result_ids == []
