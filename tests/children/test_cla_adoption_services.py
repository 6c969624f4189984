"""The adoption journey, DoLO ends and UASC ends through the services: each stage recorded on
a later visit on the same record, every stage checked again with the whole record (SSDA903
rules and the journey's own order), nothing saved when a check fails, every change audited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kith.audit.models import AuditEvent
from kith.children import services_cla as services
from kith.children.models import AdoptionRecord, DoloOrder, UascStatus
from tests.children.cla_helpers import START, child, start, verified

pytestmark = pytest.mark.django_db

DECISION = START + dt.timedelta(days=10)
ORDER = START + dt.timedelta(days=30)
MATCH = START + dt.timedelta(days=60)
PLACED = START + dt.timedelta(days=90)


def audits(person, action: str, object_type: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            person_id=person.pk, action=action, object_type=object_type
        ).order_by("seq")
    )


def refused(call, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        call(**kwargs)
    return raised.value.message_dict


def adoption_child():
    c = child()
    start(c)
    worker = verified(c.worker)
    record = services.adoption_record(actor=worker, person=c.child, adm_decision_date=DECISION)
    return c, worker, record


def test_an_adoption_is_recorded_stage_by_stage_on_one_record_each_stage_audited():
    c, worker, record = adoption_child()
    assert audits(c.child, "create", "children.adoptionrecord")[0].changed_fields == [
        "adm_decision_date"
    ]
    services.adoption_record(
        actor=worker, person=c.child, record=record, placement_order_date=ORDER
    )
    services.adoption_record(
        actor=worker,
        person=c.child,
        record=record,
        matched_date=MATCH,
        nb_adoptr="2",
        sex_adoptr="mf",
        ls_adoptr="L11",
        foster_care="0",
    )
    services.adoption_record(actor=worker, person=c.child, record=record, placed_date=PLACED)
    row = AdoptionRecord.objects.get()
    assert (row.adm_decision_date, row.placement_order_date, row.matched_date, row.placed_date) == (
        DECISION,
        ORDER,
        MATCH,
        PLACED,
    )
    assert (row.nb_adoptr, row.sex_adoptr, row.ls_adoptr, row.foster_care) == (
        "2",
        "MF",
        "L11",
        "0",
    )
    assert row.created_by == c.worker
    assert row.updated_by == c.worker
    assert [e.changed_fields for e in audits(c.child, "update", "children.adoptionrecord")] == [
        ["placement_order_date"],
        ["foster_care", "ls_adoptr", "matched_date", "nb_adoptr", "sex_adoptr"],
        ["placed_date"],
    ]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        (
            {"placement_order_date": DECISION - dt.timedelta(days=1)},
            "placement_order_date",
            "The date of the placement order cannot be before the decision",
        ),
        (
            {"matched_date": DECISION - dt.timedelta(days=1)},
            "matched_date",
            "SSDA903 rule 333",
        ),
        (
            {"matched_date": MATCH, "placed_date": MATCH - dt.timedelta(days=1)},
            "placed_date",
            "SSDA903 rule 331",
        ),
        (
            {"placed_date": timezone.localdate() + dt.timedelta(days=1)},
            "placed_date",
            "The date the child was placed for adoption must be today or in the past",
        ),
        (
            {"placed_ceased_date": PLACED},
            "placed_ceased_reason",
            "Select the reason the child ceased to be placed for adoption",
        ),
        (
            {"placed_ceased_reason": "RD1"},
            "placed_ceased_date",
            "Enter the date the child ceased to be placed for adoption",
        ),
        (
            {"placed_date": PLACED, "placed_ceased_date": PLACED - dt.timedelta(days=1)},
            "placed_ceased_date",
            "The placement cannot cease before the child was placed",
        ),
        ({"nb_adoptr": "1", "sex_adoptr": "MF"}, "sex_adoptr", "One adopter is M1"),
        ({"nb_adoptr": "2", "sex_adoptr": "M1"}, "sex_adoptr", "SSDA903 rule 511"),
        ({"nb_adoptr": "2", "ls_adoptr": "L0"}, "ls_adoptr", "SSDA903 rule 514"),
        ({"sex_adoptr": "XY"}, "sex_adoptr", "SSDA903 rule 176"),
        (
            {"placed_ceased_date": PLACED, "placed_ceased_reason": "RD9"},
            "placed_ceased_reason",
            "120",
        ),
    ],
)
def test_a_bad_stage_names_its_field_and_nothing_changes(fields, field, words):
    c, worker, record = adoption_child()
    messages = refused(
        services.adoption_record, actor=worker, person=c.child, record=record, **fields
    )
    assert any(words in m for m in messages[field]), messages
    row = AdoptionRecord.objects.get()
    assert row.updated_at == record.updated_at
    assert (row.placement_order_date, row.matched_date, row.placed_date, row.sex_adoptr) == (
        None,
        None,
        None,
        "",
    )
    assert not audits(c.child, "update", "children.adoptionrecord")


def test_a_decision_needs_its_date_and_cannot_be_in_the_future():
    c = child()
    worker = verified(c.worker)
    missing = refused(services.adoption_record, actor=worker, person=c.child)
    assert missing["adm_decision_date"] == [
        "Enter the date of the decision that the child should be placed for adoption"
    ]
    future = refused(
        services.adoption_record,
        actor=worker,
        person=c.child,
        adm_decision_date=timezone.localdate() + dt.timedelta(days=1),
    )
    assert "must be today or in the past" in future["adm_decision_date"][0]
    assert not AdoptionRecord.objects.exists()


def test_a_second_decision_waits_until_the_first_plan_has_ceased():
    c, worker, record = adoption_child()
    later = DECISION + dt.timedelta(days=100)
    messages = refused(
        services.adoption_record, actor=worker, person=c.child, adm_decision_date=later
    )
    assert "already has an adoption plan in progress" in messages["adm_decision_date"][0]
    services.adoption_record(
        actor=worker,
        person=c.child,
        record=record,
        placed_ceased_date=later - dt.timedelta(days=1),
        placed_ceased_reason="RD4",
    )
    services.adoption_record(actor=worker, person=c.child, adm_decision_date=later)
    assert AdoptionRecord.objects.filter(person=c.child).count() == 2


def test_someone_not_working_with_the_child_cannot_record_adoption():
    c, _, record = adoption_child()
    with pytest.raises(PermissionDenied):
        services.adoption_record(
            actor=verified(c.outsider), person=c.child, record=record, placement_order_date=ORDER
        )
    with pytest.raises(PermissionDenied):
        services.adoption_record(
            actor=verified(c.outsider), person=c.child, adm_decision_date=DECISION
        )
    assert AdoptionRecord.objects.get().placement_order_date is None
    assert AdoptionRecord.objects.count() == 1


# --- DoLO and UASC ends ----------------------------------------------------------------------


def test_a_dolo_order_is_ended_on_its_row_and_audited():
    c = child()
    worker = verified(c.worker)
    order = services.dolo_record(actor=worker, person=c.child, start_date=START)
    ended = services.dolo_end(
        actor=worker, person=c.child, order=order, end_date=START + dt.timedelta(days=40)
    )
    assert ended.pk == order.pk
    assert DoloOrder.objects.get().end_date == START + dt.timedelta(days=40)
    [update] = audits(c.child, "update", "children.doloorder")
    assert update.changed_fields == ["end_date"]


@pytest.mark.parametrize(
    ("began", "end", "words"),
    [
        (START, None, "Enter the date the order ended"),
        (START, START - dt.timedelta(days=1), "SSDA903 rule 702"),
        (START, START, "SSDA903 rule 702"),
        # Before 2026/27 no SSDA903 rule applies, but an order still cannot end before it began
        (
            dt.date(2025, 6, 2),
            dt.date(2025, 6, 1),
            "The order cannot end before the day it started",
        ),
        (START, timezone.localdate() + dt.timedelta(days=1), "must be today or in the past"),
    ],
)
def test_a_bad_dolo_end_is_refused_and_nothing_changes(began, end, words):
    c = child()
    worker = verified(c.worker)
    order = services.dolo_record(actor=worker, person=c.child, start_date=began)
    messages = refused(services.dolo_end, actor=worker, person=c.child, order=order, end_date=end)
    assert any(words in m for m in messages["end_date"]), messages
    assert DoloOrder.objects.get().end_date is None
    assert not audits(c.child, "update", "children.doloorder")


def test_uasc_status_ceases_on_its_row_and_is_audited():
    c = child()
    worker = verified(c.worker)
    status = services.uasc_record(actor=worker, person=c.child, start_date=START)
    services.uasc_end(
        actor=worker, person=c.child, status=status, ceased_date=START + dt.timedelta(days=30)
    )
    row = UascStatus.objects.get()
    assert (row.pk, row.ceased_date) == (status.pk, START + dt.timedelta(days=30))
    [update] = audits(c.child, "update", "children.uascstatus")
    assert update.changed_fields == ["ceased_date"]


@pytest.mark.parametrize(
    ("ceased", "words"),
    [
        (None, "Enter the date UASC status ceased"),
        (START - dt.timedelta(days=1), "SSDA903 rule 104"),
        (dt.date(2026, 8, 1), "SSDA903 rule 304"),  # after the 18th birthday (1 July 2026)
        (timezone.localdate() + dt.timedelta(days=1), "must be today or in the past"),
    ],
)
def test_a_bad_uasc_end_is_refused_and_nothing_changes(ceased, words):
    c = child(born=dt.date(2008, 7, 1))
    worker = verified(c.worker)
    status = services.uasc_record(actor=worker, person=c.child, start_date=START)
    messages = refused(
        services.uasc_end, actor=worker, person=c.child, status=status, ceased_date=ceased
    )
    assert any(words in m for m in messages["ceased_date"]), messages
    assert UascStatus.objects.get().ceased_date is None
    assert not audits(c.child, "update", "children.uascstatus")


def test_someone_not_working_with_the_child_cannot_end_a_dolo_or_uasc():
    c = child()
    worker = verified(c.worker)
    order = services.dolo_record(actor=worker, person=c.child, start_date=START)
    status = services.uasc_record(actor=worker, person=c.child, start_date=START)
    outsider = verified(c.outsider)
    with pytest.raises(PermissionDenied):
        services.dolo_end(actor=outsider, person=c.child, order=order, end_date=START)
    with pytest.raises(PermissionDenied):
        services.uasc_end(actor=outsider, person=c.child, status=status, ceased_date=START)
    assert DoloOrder.objects.get().end_date is None
    assert UascStatus.objects.get().ceased_date is None
