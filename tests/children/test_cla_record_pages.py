"""The pages for the other looked-after records (health check, IRO contact, SDQ score, missing
period and its end, care leaver contact): they open for the child's worker, are refused to an
outsider, record the row through the service and show a broken rule on its field."""

import datetime as dt

import pytest

from kith.audit.models import AuditEvent
from kith.children.models import (
    CareLeaverContact,
    DoloOrder,
    HealthCheck,
    IroContact,
    MissingEpisode,
    PreviousPermanence,
    SdqScore,
    SocialWorkerEpisode,
    UascStatus,
    WellbeingRecord,
)
from kith.work.models import WorkItem
from tests.children.cla_helpers import START, child, foster, start

pytestmark = pytest.mark.django_db


def day(name: str, on: dt.date) -> dict[str, str]:
    return {
        f"{name}-day": str(on.day),
        f"{name}-month": str(on.month),
        f"{name}-year": str(on.year),
    }


def looked_after_child(signed_in_client):
    # in a children's home: a deprivation of liberty order may be recorded (rules 709, 710)
    c = child()
    start(c, placement=foster(place="K2", place_provider="PR4", carer=""))
    return c, signed_in_client(user=c.worker)


def url(c, page: str) -> str:
    return f"/people/{c.child.pk}/looked-after/{page}"


def errors_on(response, field: str) -> str:
    """The error message shown against one field (GOV.UK: an id '<field>-error')."""
    body = response.content.decode()
    assert f'id="id_{field}-error"' in body or f'id="{field}-error"' in body
    return body


@pytest.mark.parametrize(
    "page",
    [
        "health-check",
        "iro-contact",
        "sdq",
        "missing",
        "missing/end",
        "care-leaver",
        "wellbeing",
        "uasc",
        "dolo",
        "sw-episode",
        "previous-permanence",
    ],
)
def test_the_pages_open_for_the_worker_and_not_for_an_outsider(signed_in_client, page):
    c, client = looked_after_child(signed_in_client)
    assert client.get(url(c, page)).status_code == 200
    outsider = signed_in_client(user=c.outsider)
    assert outsider.get(url(c, page)).status_code == 403
    assert outsider.post(url(c, page), {}).status_code == 403
    tab = client.get(f"/people/{c.child.pk}/looked-after").content.decode()
    assert 'data-testid="cla-record-links"' in tab


def test_a_health_assessment_is_recorded_and_completes_the_work_item(signed_in_client):
    c, client = looked_after_child(signed_in_client)
    refused = client.post(
        url(c, "health-check"), {"kind": "immunisations", **day("check_date", START)}
    )
    assert refused.status_code == 200
    assert "Say whether immunisations are up to date" in refused.content.decode()
    assert not HealthCheck.objects.exists()
    done = client.post(
        url(c, "health-check"),
        {"kind": "health_assessment", **day("check_date", START + dt.timedelta(days=10))},
    )
    assert done.status_code == 302
    check = HealthCheck.objects.get()
    assert (check.kind, check.check_date) == ("health_assessment", START + dt.timedelta(days=10))
    assert not WorkItem.objects.filter(
        person=c.child, item_type__code="cla-health-assessment", status__in=WorkItem.OPEN
    ).exists()
    assert AuditEvent.objects.filter(
        person_id=c.child.pk, action="create", object_type="children.healthcheck"
    ).exists()
    immunisations = client.post(
        url(c, "health-check"),
        {"kind": "immunisations", "up_to_date": "no", **day("check_date", START)},
    )
    assert immunisations.status_code == 302
    assert HealthCheck.objects.get(kind="immunisations").up_to_date is False


def test_an_iro_contact_is_recorded(signed_in_client):
    c, client = looked_after_child(signed_in_client)
    refused = client.post(url(c, "iro-contact"), {"iro_name": "Pat Reid"})
    assert "Enter the date of the contact" in refused.content.decode()
    assert not IroContact.objects.exists()
    done = client.post(
        url(c, "iro-contact"), {"iro_name": "Pat Reid", **day("contact_date", START)}
    )
    assert done.status_code == 302
    assert IroContact.objects.get().iro_name == "Pat Reid"
    tab = client.get(f"/people/{c.child.pk}/looked-after").content.decode()
    assert "Pat Reid" in tab


def test_an_sdq_score_is_recorded_and_a_score_over_40_breaks_rule_180(signed_in_client):
    c, client = looked_after_child(signed_in_client)
    refused = client.post(url(c, "sdq"), {"score": "41", **day("sdq_date", START)})
    assert refused.status_code == 200
    body = errors_on(refused, "score")
    assert "SSDA903 rule 180" in body
    assert not SdqScore.objects.exists()
    done = client.post(url(c, "sdq"), {"score": "14", **day("sdq_date", START)})
    assert done.status_code == 302
    assert SdqScore.objects.get().score == 14


def test_a_missing_period_is_recorded_then_ended_with_the_return_interview(signed_in_client):
    c, client = looked_after_child(signed_in_client)
    went = START + dt.timedelta(days=3)
    refused = client.post(
        url(c, "missing"),
        {
            "kind": "M",
            **day("start_date", went),
            **day("end_date", went - dt.timedelta(days=1)),
        },
    )
    assert refused.status_code == 200
    assert "The date the child came back cannot be before" in refused.content.decode()
    assert not MissingEpisode.objects.exists()
    done = client.post(url(c, "missing"), {"kind": "M", **day("start_date", went)})
    assert done.status_code == 302
    episode = MissingEpisode.objects.get()
    assert episode.end_date is None
    page = client.get(url(c, "missing/end")).content.decode()
    assert str(episode.pk) in page
    bad_end = client.post(
        url(c, "missing/end"),
        {"episode": str(episode.pk), **day("end_date", went - dt.timedelta(days=2))},
    )
    assert bad_end.status_code == 200
    assert "The date the child came back cannot be before" in bad_end.content.decode()
    back = client.post(
        url(c, "missing/end"),
        {
            "episode": str(episode.pk),
            "rhi_offered": "yes",
            "rhi_accepted": "no",
            **day("end_date", went + dt.timedelta(days=1)),
        },
    )
    assert back.status_code == 302
    episode.refresh_from_db()
    assert (episode.end_date, episode.rhi_offered, episode.rhi_accepted) == (
        went + dt.timedelta(days=1),
        True,
        False,
    )
    assert MissingEpisode.objects.count() == 1


def test_a_care_leaver_contact_is_recorded_and_a_bad_code_is_named(signed_in_client):
    c, client = looked_after_child(signed_in_client)
    form = {
        "eligibility": "relevant",
        "in_touch": "YES",
        "activity": "F1",
        "accommodation": "B1",
        **day("contact_date", START + dt.timedelta(days=31)),
    }
    refused = client.post(url(c, "care-leaver"), {**form, "activity": ""})
    assert refused.status_code == 200
    assert "SSDA903 rule 345" in errors_on(refused, "activity")
    assert not CareLeaverContact.objects.exists()
    done = client.post(url(c, "care-leaver"), form)
    assert done.status_code == 302, done.content.decode()
    contact = CareLeaverContact.objects.get()
    assert (contact.in_touch, contact.activity, contact.accommodation) == ("YES", "F1", "B1")


# The rest: (page, a form that breaks a rule, the field it is shown on, words of its message,
# the change that makes it right, the model that gets the row).
OTHERS = [
    (
        "wellbeing",
        {"substance_misuse": "yes", **day("recorded_on", START)},
        "intervention_received",
        "Say whether the child received an intervention",
        {"intervention_received": "yes", "convicted": "no"},
        WellbeingRecord,
    ),
    (
        "uasc",
        {**day("start_date", START), **day("ceased_date", START - dt.timedelta(days=5))},
        "ceased_date",
        "The date UASC status ceased must be after",
        {"ceased_date-day": "", "ceased_date-month": "", "ceased_date-year": ""},
        UascStatus,
    ),
    (
        "dolo",
        {**day("start_date", START), **day("end_date", START - dt.timedelta(days=1))},
        "end_date",
        "The order must end after the day it started",
        day("end_date", START + dt.timedelta(days=40)),
        DoloOrder,
    ),
    (
        "sw-episode",
        {"sw_id": "NOTANID", **day("start_date", START)},
        "sw_id",
        "The social worker ID is their SWE registration number",
        {"sw_id": "SW998877"},
        SocialWorkerEpisode,
    ),
    (
        "previous-permanence",
        {"prev_perm": "Z1", "la_perm": "Kent"},
        "la_perm",
        "No LA or date for Z1",
        {"la_perm": ""},
        PreviousPermanence,
    ),
]


@pytest.mark.parametrize(("page", "bad", "field", "message", "fix", "model"), OTHERS)
def test_the_other_records_name_the_rule_broken_then_save(
    signed_in_client, page, bad, field, message, fix, model
):
    c, client = looked_after_child(signed_in_client)
    refused = client.post(url(c, page), bad)
    assert refused.status_code == 200
    assert message in errors_on(refused, field)
    assert not model.objects.exists()
    done = client.post(url(c, page), {**bad, **fix})
    assert done.status_code == 302, done.content.decode()
    assert model.objects.filter(person=c.child).count() == 1
