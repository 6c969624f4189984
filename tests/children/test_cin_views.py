"""The Children's tab and the journey's forms, with GOV.UK error summaries naming the rule."""

import datetime as dt

import pytest
from django.utils import timezone

from kith.children import services_cin as cin
from kith.children.models import CINEpisode, Contact
from tests.children.cin_helpers import case, referral, working_days_ago

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def date_parts(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def test_the_tab_shows_the_journey_and_the_summary_its_status(signed_in_client):
    c = case()
    episode = referral(c)
    plan = cin.cp_plan_start(
        actor=c.worker, episode=episode, start_date=working_days_ago(20), initial_category="EMO"
    )
    client = signed_in_client(user=c.worker)
    page = client.get(f"/people/{c.child.pk}/children")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Child protection plan (EMO)" in html
    assert f"/people/{c.child.pk}/children/cp-plans/{plan.pk}/reviews/add" in html
    summary = client.get(f"/people/{c.child.pk}").content.decode()
    assert 'data-testid="summary-cin-status"' in summary
    assert "Child protection plan (EMO)" in summary
    assert "Children&#39;s" in summary or "Children's" in summary


def test_a_contact_is_recorded_and_decided_through_the_forms(signed_in_client):
    c = case()
    client = signed_in_client(user=c.worker)
    url = f"/people/{c.child.pk}/children/contacts/add"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "team": str(c.team.pk),
            **date_parts("received_date", working_days_ago(1)),
            "received_time": "09:15",
            "source": "3A",
            "referrer": "School nurse",
            "summary": "Disclosure at school",
            "priority": "amber",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    contact = Contact.objects.get(person=c.child)
    response = client.post(
        f"/people/{c.child.pk}/children/contacts/{contact.pk}/decision",
        {"decision": "referral", **date_parts("decided_on", TODAY), "primary_need": "N1"},
    )
    assert response.status_code == 302
    assert CINEpisode.objects.filter(person=c.child, contact=contact).exists()


def test_a_broken_rule_is_shown_on_its_field_and_in_the_error_summary(signed_in_client):
    c = case()
    episode = referral(c)
    client = signed_in_client(user=c.worker)
    response = client.post(
        f"/people/{c.child.pk}/children/episodes/{episode.pk}/close",
        {**date_parts("closure_date", TODAY), "closure_reason": "RC8"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "(CIN census rule 8825Q)" in html
    episode.refresh_from_db()
    assert episode.closure_date is None


def test_every_form_opens_for_the_childs_worker_and_not_for_others(signed_in_client):
    c = case()
    episode = referral(c)
    a = cin.assessment_start(actor=c.worker, episode=episode, start_date=working_days_ago(50))
    s47 = cin.s47_start(actor=c.worker, episode=episode, start_date=working_days_ago(40))
    plan = cin.cin_plan_start(actor=c.worker, episode=episode, start_date=working_days_ago(30))
    base = f"/people/{c.child.pk}/children"
    urls = [
        f"{base}/referrals/add",
        f"{base}/episodes/{episode.pk}/close",
        f"{base}/episodes/{episode.pk}/assessments/add",
        f"{base}/assessments/{a.pk}",
        f"{base}/episodes/{episode.pk}/strategy-discussions/add",
        f"{base}/episodes/{episode.pk}/section47s/add",
        f"{base}/section47s/{s47.pk}/end",
        f"{base}/episodes/{episode.pk}/conferences/add",
        f"{base}/episodes/{episode.pk}/cin-plans/add",
        f"{base}/cin-plans/{plan.pk}/end",
        f"{base}/episodes/{episode.pk}/pre-proceedings/add",
    ]
    worker = signed_in_client(user=c.worker)
    outsider = signed_in_client(user=c.outsider)
    for url in urls:
        assert worker.get(url).status_code == 200, url
        assert outsider.get(url).status_code == 403, url
