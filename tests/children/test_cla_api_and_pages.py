"""The looked-after journey through the API and the pages: one request per user action, the
derived episodes back, broken SSDA903 rules named on the field; outsiders refused."""

import datetime as dt

import pytest

from kith.children.models import CareEpisode, MissingEpisode
from kith.people import chronology
from tests.children.cla_helpers import START, child, foster, start, verified

pytestmark = pytest.mark.django_db

PLACEMENT = {
    "place": "U4",
    "place_provider": "PR1",
    "urn": "SC123456",
    "carer": "Mr and Mrs Lee",
    "pl_post": "AB1 2CD",
}


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_the_journey_through_the_api(signed_in_client):
    c = child()
    client = signed_in_client(user=c.worker)
    base = f"/api/v1/people/{c.child.pk}/looked-after"
    started = post(
        client,
        f"{base}/start",
        {"start_date": str(START), "ls": "C1", "cin": "N1", "placement": PLACEMENT},
    )
    assert started.status_code == 201, started.content
    assert [e["rne"] for e in started.json()] == ["S"]
    moved = post(
        client,
        f"{base}/placement",
        {
            "on": str(START + dt.timedelta(days=10)),
            "placement": {**PLACEMENT, "place": "K2", "urn": "SC654321"},
            "same_carer": False,
            "reason_place_change": "CHILD",
            "ls": "C2",
        },
    )
    assert moved.status_code == 201, moved.content
    assert [(e["rne"], e["rec"]) for e in moved.json()] == [("S", "X1"), ("B", "")]
    status = client.get(base).json()["status"]
    assert status["looked_after"]
    assert status["legal_status"] == "C2"
    assert status["placement_type"] == "K2"
    assert status["next_visit_due"]
    refused = post(
        client,
        f"{base}/reviews",
        {"review_date": str(START + dt.timedelta(days=15)), "participation": "PN0"},
    )
    assert refused.status_code == 422
    assert "SSDA903 rule 440" in refused.json()["detail"]
    ok = post(
        client,
        f"{base}/reviews",
        {"review_date": str(START + dt.timedelta(days=15)), "participation": "PN1"},
    )
    assert ok.status_code == 201
    assert ok.json()["due_date"]
    gone = post(
        client, f"{base}/missing", {"kind": "M", "start_date": str(START + dt.timedelta(days=16))}
    )
    assert gone.status_code == 201
    back = client.put(
        f"{base}/missing/{gone.json()['id']}",
        {
            "kind": "M",
            "start_date": str(START + dt.timedelta(days=16)),
            "end_date": str(START + dt.timedelta(days=17)),
            "rhi_offered": True,
            "rhi_accepted": False,
        },
        content_type="application/json",
    )
    assert back.status_code == 200
    assert MissingEpisode.objects.get().end_date == START + dt.timedelta(days=17)
    for path, body in [
        ("iro-contacts", {"contact_date": str(START + dt.timedelta(days=18)), "iro_name": "Pat"}),
        (
            "health-checks",
            {"kind": "health_assessment", "check_date": str(START + dt.timedelta(days=18))},
        ),
        ("sdq-scores", {"sdq_date": str(START + dt.timedelta(days=18)), "score": 14}),
        (
            "wellbeing",
            {"recorded_on": str(START + dt.timedelta(days=18)), "substance_misuse": False},
        ),
        ("uasc", {"start_date": str(START)}),
        ("dolo", {"start_date": str(START + dt.timedelta(days=20))}),
        ("sw-episodes", {"sw_id": "SW998877", "start_date": str(START)}),
        (
            "adoption",
            {
                "adm_decision_date": str(START + dt.timedelta(days=19)),
                "nb_adoptr": "2",
                "sex_adoptr": "MF",
                "ls_adoptr": "L11",
            },
        ),
        ("previous-permanence", {"prev_perm": "Z1"}),
    ]:
        response = post(client, f"{base}/{path}", body)
        assert response.status_code == 201, (path, response.content)
    bad_sdq = post(client, f"{base}/sdq-scores", {"sdq_date": str(START), "score": 41})
    assert bad_sdq.status_code == 422
    assert "SSDA903 rule 180" in bad_sdq.json()["detail"]
    ended = post(client, f"{base}/end", {"on": str(START + dt.timedelta(days=30)), "rec": "E41"})
    assert ended.status_code == 201
    assert ended.json()[-1]["rec"] == "E41"
    leaver = post(
        client,
        f"{base}/care-leaver-contacts",
        {
            "eligibility": "relevant",
            "contact_date": str(START + dt.timedelta(days=31)),
            "in_touch": "YES",
            "activity": "F1",
            "accommodation": "B1",
        },
    )
    assert leaver.status_code == 201


def test_the_api_refuses_someone_not_working_with_the_child(signed_in_client):
    c = child()
    client = signed_in_client(user=c.outsider)
    response = post(
        client,
        f"/api/v1/people/{c.child.pk}/looked-after/start",
        {"start_date": str(START), "ls": "C1", "cin": "N1", "placement": PLACEMENT},
    )
    assert response.status_code == 403
    assert not CareEpisode.objects.exists()


def test_the_pages_start_care_show_the_rule_broken_and_the_tab_and_summary(signed_in_client):
    c = child()
    client = signed_in_client(user=c.worker)
    url = f"/people/{c.child.pk}/looked-after/start"
    assert client.get(url).status_code == 200
    form = {
        "decom-day": "1",
        "decom-month": "6",
        "decom-year": "2026",
        "ls": "C2",
        "cin": "N1",
        "place": "U4",
        "place_provider": "PR1",
        "urn": "",
        "carer": "Mr and Mrs Lee",
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "SSDA903 rule 218" in refused.content.decode()
    assert not CareEpisode.objects.exists()
    done = client.post(url, {**form, "urn": "SC123456"})
    assert done.status_code == 302
    tab = client.get(f"/people/{c.child.pk}/looked-after").content.decode()
    assert 'data-testid="cla-episodes"' in tab
    assert "U4" in tab
    summary = client.get(f"/people/{c.child.pk}").content.decode()
    assert 'data-testid="summary-looked-after"' in summary
    move = client.post(
        f"/people/{c.child.pk}/looked-after/placement",
        {
            "decom-day": "5",
            "decom-month": "6",
            "decom-year": "2026",
            "same_carer": "yes",
            "place": "U4",
            "place_provider": "PR1",
            "urn": "SC123456",
            "reason_place_change": "CARPL",
        },
    )
    assert move.status_code == 302
    assert [e.rne for e in CareEpisode.objects.order_by("decom")] == ["S", "T"]
    for page in ("legal-status", "end", "review"):
        assert client.get(f"/people/{c.child.pk}/looked-after/{page}").status_code == 200


def test_the_chronology_shows_the_care_events():
    c = child()
    start(c)
    found = chronology.gather(person_id=c.child.pk, types={"children.cla_started"})
    assert [(e.date, e.title) for e in found] == [(START, "Started to be looked after")]


def test_back_to_the_usual_placement_from_the_page_and_the_api(signed_in_client):
    c = child()
    start(c)
    client = signed_in_client(user=c.worker)
    base = f"/people/{c.child.pk}/looked-after"
    away = START + dt.timedelta(days=20)
    respite = {**PLACEMENT, "place": "T1", "place_provider": "", "urn": "", "pl_post": "CT2 7AB"}
    moved = post(
        client,
        f"/api/v1{base}/placement",
        {"on": str(away), "placement": respite, "same_carer": False, "reason_place_change": ""},
    )
    assert moved.status_code == 201, moved.content
    tab = client.get(base).content.decode()
    assert "Back to the usual placement" in tab
    # the page: a date before the move is refused by a rule, named on the page; nothing saved
    back = START + dt.timedelta(days=27)
    refused = client.post(
        f"{base}/placement/return",
        {"decom-day": "1", "decom-month": "1", "decom-year": "2020"},
    )
    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()
    assert CareEpisode.objects.filter(person=c.child).count() == 2
    done = client.post(
        f"{base}/placement/return",
        {"decom-day": str(back.day), "decom-month": str(back.month), "decom-year": str(back.year)},
    )
    assert done.status_code == 302
    rows = list(CareEpisode.objects.filter(person=c.child).order_by("decom", "created_at"))
    assert [(e.rne, e.place, e.pl_post) for e in rows] == [
        ("S", "U4", "AB1 2CD"),
        ("P", "T1", "CT2 7AB"),
        ("P", "U4", "AB1 2CD"),
    ]
    assert "Back to the usual placement" not in client.get(base).content.decode()
    # the API refuses when there is no temporary placement to come back from
    again = post(client, f"/api/v1{base}/placement/return", {"on": str(back)})
    assert again.status_code == 422
    assert "not in a temporary placement" in again.content.decode()


def test_a_dolo_and_uasc_status_are_ended_through_the_api(signed_in_client):
    from kith.children import services_cla as services
    from kith.children.models import DoloOrder, UascStatus

    c = child()
    start(c, placement=foster(place="K2", place_provider="PR4", carer=""))
    client = signed_in_client(user=c.worker)
    order = services.dolo_record(actor=verified(c.worker), person=c.child, start_date=START)
    status = services.uasc_record(actor=verified(c.worker), person=c.child, start_date=START)
    base = f"/api/v1/people/{c.child.pk}/looked-after"

    def patch(url, body):
        return client.patch(url, body, content_type="application/json")

    before = patch(f"{base}/dolo/{order.pk}", {"end_date": str(START - dt.timedelta(days=2))})
    assert before.status_code == 422
    assert "702" in before.content.decode()
    assert DoloOrder.objects.get().end_date is None
    ended = patch(f"{base}/dolo/{order.pk}", {"end_date": str(START + dt.timedelta(days=30))})
    assert ended.status_code == 200, ended.content
    assert DoloOrder.objects.get().end_date == START + dt.timedelta(days=30)
    ceased = patch(f"{base}/uasc/{status.pk}", {"ceased_date": str(START + dt.timedelta(days=60))})
    assert ceased.status_code == 200, ceased.content
    assert UascStatus.objects.get().ceased_date == START + dt.timedelta(days=60)
    assert patch(f"{base}/dolo/{status.pk}", {"end_date": str(START)}).status_code == 404
