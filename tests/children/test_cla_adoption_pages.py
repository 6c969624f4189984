"""The adoption pages on the Looked after tab (a decision, then each later stage on its own
visit), the "Record" link beside the health assessment due, the ends of DoLO orders and UASC
status, and the adoption API's read and change: refused to an outsider, a broken check named on
its field in a GOV.UK error summary with nothing saved, and every read and write audited."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from kith.audit.models import AuditEvent
from kith.children import services_cla as services
from kith.children.models import AdoptionRecord, DoloOrder, UascStatus
from tests.children.cla_helpers import START, child, start, verified
from tests.children.test_cla_record_pages import day, errors_on, looked_after_child, url

pytestmark = pytest.mark.django_db

DECISION = START + dt.timedelta(days=10)
STAGES = ["decision", "placement-order", "match", "placement", "ceased"]


def tab(client, c) -> str:
    return client.get(f"/people/{c.child.pk}/looked-after").content.decode()


def summary_names(response, field: str) -> str:
    """The GOV.UK error summary lists the problem and links to the field."""
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "There is a problem" in body
    assert f'href="#id_{field}' in body
    return body


def with_decision(signed_in_client):
    c, client = looked_after_child(signed_in_client)
    record = services.adoption_record(
        actor=verified(c.worker), person=c.child, adm_decision_date=DECISION
    )
    return c, client, record


def stage_url(c, record, stage: str) -> str:
    return url(c, f"adoption/{record.pk}/{stage}")


def test_the_adoption_pages_open_for_the_worker_and_are_forbidden_to_an_outsider(
    signed_in_client,
):
    c, client, record = with_decision(signed_in_client)
    order = services.dolo_record(actor=verified(c.worker), person=c.child, start_date=START)
    status = services.uasc_record(actor=verified(c.worker), person=c.child, start_date=START)
    pages = [
        url(c, "adoption"),
        *(stage_url(c, record, s) for s in STAGES),
        url(c, f"dolo/{order.pk}/end"),
        url(c, f"uasc/{status.pk}/end"),
    ]
    outsider = signed_in_client(user=c.outsider)
    for page in pages:
        assert client.get(page).status_code == 200, page
        refused = outsider.get(page)
        assert refused.status_code == 403, page
        assert "You cannot see this page" in refused.content.decode()
        assert outsider.post(page, day("adm_decision_date", DECISION)).status_code == 403
    assert AdoptionRecord.objects.count() == 1
    assert outsider.get(f"/people/{c.child.pk}/looked-after").status_code == 403


def test_an_unknown_stage_or_another_childs_record_is_not_found(signed_in_client):
    c, client, record = with_decision(signed_in_client)
    assert client.get(stage_url(c, record, "adopted")).status_code == 404
    assert client.get(url(c, f"adoption/{uuid.uuid4()}/match")).status_code == 404
    other = child()
    start(other)
    theirs = services.adoption_record(
        actor=verified(other.worker), person=other.child, adm_decision_date=DECISION
    )
    assert client.get(stage_url(c, theirs, "match")).status_code == 404
    assert client.get(url(c, f"dolo/{uuid.uuid4()}/end")).status_code == 404
    assert client.get(url(c, f"uasc/{uuid.uuid4()}/end")).status_code == 404


def test_an_adoption_decision_then_each_stage_on_a_later_visit(signed_in_client):
    c, client = looked_after_child(signed_in_client)
    assert "Record an adoption decision" in tab(client, c)
    assert "No adoption decision recorded." in tab(client, c)
    future = timezone.localdate() + dt.timedelta(days=2)
    bad = client.post(url(c, "adoption"), day("adm_decision_date", future))
    assert bad.status_code == 200
    body = summary_names(bad, "adm_decision_date")
    assert "must be today or in the past" in errors_on(bad, "adm_decision_date")
    assert body.count("must be today or in the past") >= 2  # summary and field
    assert not AdoptionRecord.objects.exists()

    done = client.post(url(c, "adoption"), day("adm_decision_date", DECISION))
    assert done.status_code == 302
    record = AdoptionRecord.objects.get()
    assert record.adm_decision_date == DECISION
    page = tab(client, c)
    assert 'data-testid="cla-adoption-record"' in page
    assert "in progress" in page
    assert f'href="/people/{c.child.pk}/looked-after/adoption/{record.pk}/placement-order"' in page
    assert 'Record<span class="govuk-visually-hidden"> the placement order</span>' in page

    # the placement order, on a later visit: before the decision it is refused
    early = client.post(
        stage_url(c, record, "placement-order"),
        day("placement_order_date", DECISION - dt.timedelta(days=1)),
    )
    assert early.status_code == 200
    summary_names(early, "placement_order_date")
    assert "cannot be before the decision" in errors_on(early, "placement_order_date")
    record.refresh_from_db()
    assert record.placement_order_date is None
    order_day = DECISION + dt.timedelta(days=20)
    assert (
        client.post(
            stage_url(c, record, "placement-order"), day("placement_order_date", order_day)
        ).status_code
        == 302
    )

    # the match with adopters: two adopters cannot be M1 (SSDA903 rule 511)
    match = {
        **day("matched_date", DECISION + dt.timedelta(days=40)),
        "nb_adoptr": "2",
        "sex_adoptr": "M1",
        "ls_adoptr": "L11",
        "foster_care": "1",
    }
    wrong = client.post(stage_url(c, record, "match"), match)
    assert wrong.status_code == 200
    summary_names(wrong, "sex_adoptr")
    assert "SSDA903 rule 511" in errors_on(wrong, "sex_adoptr")
    record.refresh_from_db()
    assert record.matched_date is None
    assert (
        client.post(
            stage_url(c, record, "match"), {**match, "sex_adoptr": "FF", "ls_adoptr": "L12"}
        ).status_code
        == 302
    )
    # the form for a stage shows what is recorded
    again = client.get(stage_url(c, record, "match")).content.decode()
    assert 'value="FF" selected' in again

    placed = DECISION + dt.timedelta(days=50)
    assert (
        client.post(stage_url(c, record, "placement"), day("placed_date", placed)).status_code
        == 302
    )
    record.refresh_from_db()
    assert (record.placement_order_date, record.matched_date, record.placed_date) == (
        order_day,
        DECISION + dt.timedelta(days=40),
        placed,
    )
    assert (record.nb_adoptr, record.sex_adoptr, record.ls_adoptr, record.foster_care) == (
        "2",
        "FF",
        "L12",
        "1",
    )
    page = tab(client, c)
    assert "A couple; FF (two women); Legal status L12; The child&#39;s foster carers" in page
    updates = AuditEvent.objects.filter(
        person_id=c.child.pk, action="update", object_type="children.adoptionrecord"
    )
    assert updates.count() == 3
    assert AuditEvent.objects.filter(
        person_id=c.child.pk,
        action="view",
        object_type="children.adoptionrecord",
        object_id=str(record.pk),
    ).exists()


def test_the_adoption_plan_ceases_with_its_reason(signed_in_client):
    c, client, record = with_decision(signed_in_client)
    ceased = DECISION + dt.timedelta(days=5)
    no_reason = client.post(stage_url(c, record, "ceased"), day("placed_ceased_date", ceased))
    assert no_reason.status_code == 200
    summary_names(no_reason, "placed_ceased_reason")
    assert "Select the reason the child ceased to be placed for adoption" in errors_on(
        no_reason, "placed_ceased_reason"
    )
    done = client.post(
        stage_url(c, record, "ceased"),
        {
            **day("placed_ceased_date", ceased),
            "placed_ceased_reason": "RD4",
            **day("decision_reversed_date", ceased),
        },
    )
    assert done.status_code == 302
    record.refresh_from_db()
    assert (
        record.placed_ceased_date,
        record.placed_ceased_reason,
        record.decision_reversed_date,
    ) == (
        ceased,
        "RD4",
        ceased,
    )
    page = tab(client, c)
    assert "ended" in page
    assert "(reason RD4); decision reversed" in page


def test_the_health_assessment_due_links_to_recording_one(signed_in_client):
    c, client = looked_after_child(signed_in_client)
    page = tab(client, c)
    link = f'href="/people/{c.child.pk}/looked-after/health-check?kind=health_assessment"'
    assert link in page
    assert 'Record<span class="govuk-visually-hidden"> a health assessment</span>' in page
    form = client.get(url(c, "health-check") + "?kind=health_assessment").content.decode()
    assert 'value="health_assessment" selected' in form


def test_a_dolo_order_is_ended_on_the_page(signed_in_client):
    c, client = looked_after_child(signed_in_client)
    order = services.dolo_record(actor=verified(c.worker), person=c.child, start_date=START)
    page = tab(client, c)
    assert f'href="/people/{c.child.pk}/looked-after/dolo/{order.pk}/end"' in page
    bad = client.post(url(c, f"dolo/{order.pk}/end"), day("end_date", START - dt.timedelta(days=3)))
    assert bad.status_code == 200
    summary_names(bad, "end_date")
    assert "SSDA903 rule 702" in errors_on(bad, "end_date")
    assert DoloOrder.objects.get().end_date is None
    done = client.post(
        url(c, f"dolo/{order.pk}/end"), day("end_date", START + dt.timedelta(days=9))
    )
    assert done.status_code == 302
    assert DoloOrder.objects.get().end_date == START + dt.timedelta(days=9)
    assert DoloOrder.objects.count() == 1
    assert AuditEvent.objects.filter(
        person_id=c.child.pk, action="update", object_type="children.doloorder"
    ).exists()
    assert "Change the end" in tab(client, c)


def test_uasc_status_is_ended_on_the_page(signed_in_client):
    c, client = looked_after_child(signed_in_client)
    status = services.uasc_record(actor=verified(c.worker), person=c.child, start_date=START)
    page = tab(client, c)
    assert f'href="/people/{c.child.pk}/looked-after/uasc/{status.pk}/end"' in page
    empty = client.post(
        url(c, f"uasc/{status.pk}/end"),
        {"ceased_date-day": "", "ceased_date-month": "", "ceased_date-year": ""},
    )
    assert empty.status_code == 200
    summary_names(empty, "ceased_date")
    assert "Enter the date UASC status ceased" in errors_on(empty, "ceased_date")
    bad = client.post(
        url(c, f"uasc/{status.pk}/end"), day("ceased_date", START - dt.timedelta(days=1))
    )
    assert "SSDA903 rule 104" in errors_on(bad, "ceased_date")
    assert UascStatus.objects.get().ceased_date is None
    done = client.post(
        url(c, f"uasc/{status.pk}/end"), day("ceased_date", START + dt.timedelta(days=12))
    )
    assert done.status_code == 302
    assert UascStatus.objects.get().ceased_date == START + dt.timedelta(days=12)
    assert UascStatus.objects.count() == 1
    assert AuditEvent.objects.filter(
        person_id=c.child.pk, action="update", object_type="children.uascstatus"
    ).exists()


# --- The API ---------------------------------------------------------------------------------


def test_the_api_reads_the_adoption_journey_and_records_a_later_stage(signed_in_client):
    c, client, record = with_decision(signed_in_client)
    base = f"/api/v1/people/{c.child.pk}/looked-after/adoption"
    listed = client.get(base)
    assert listed.status_code == 200
    [journey] = listed.json()
    assert (journey["id"], journey["adm_decision_date"], journey["placement_order_date"]) == (
        str(record.pk),
        str(DECISION),
        None,
    )
    assert AuditEvent.objects.filter(
        person_id=c.child.pk, action="list", object_type="children.adoptionrecord"
    ).exists()
    bad = client.patch(
        f"{base}/{record.pk}",
        {"matched_date": str(DECISION - dt.timedelta(days=1))},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert "SSDA903 rule 333" in bad.json()["detail"]
    ok = client.patch(
        f"{base}/{record.pk}",
        {"placement_order_date": str(DECISION + dt.timedelta(days=3))},
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["placement_order_date"] == str(DECISION + dt.timedelta(days=3))
    assert ok.json()["adm_decision_date"] == str(DECISION)
    assert (
        client.patch(
            f"{base}/{uuid.uuid4()}",
            {"placed_date": str(DECISION)},
            content_type="application/json",
        ).status_code
        == 404
    )
    outsider = signed_in_client(user=c.outsider)
    assert outsider.get(base).status_code == 403
    refused = outsider.patch(
        f"{base}/{record.pk}",
        {"placed_date": str(DECISION)},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert AdoptionRecord.objects.get().placed_date is None
