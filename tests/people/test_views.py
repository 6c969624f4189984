"""The person's pages and forms, through the real views, policy and audit log."""

import datetime as dt

import pytest
from django.utils import timezone

from kith.audit.models import Action, AuditEvent
from kith.people import services
from kith.people.models import Alert, ContactDetail, Person, PersonIdentifier, Relationship
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    team = factories.team("Assessment North")
    worker = factories.user("social_worker", in_team=team)
    child = factories.person("Amira", "Haddad", sex="F", date_of_birth=dt.date(2017, 5, 4))
    mother = factories.person("Leila", "Haddad", sex="F", date_of_birth=dt.date(1990, 2, 1))
    for p in (child, mother):
        factories.involve(p, team)
    return team, worker, child, mother


def date_parts(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def test_an_alert_shows_at_the_top_of_every_page_about_the_person(setting, signed_in_client):
    _, worker, child, _ = setting
    client = signed_in_client(user=worker)
    response = client.post(
        f"/people/{child.pk}/alerts/add",
        {"kind": "risk_to_staff", "text": "Father known to be violent to professionals"}
        | date_parts("review_date", timezone.localdate() + dt.timedelta(days=60)),
    )
    assert response.status_code == 302
    for page in ("", "/details", "/family", "/chronology"):
        html = client.get(f"/people/{child.pk}{page}").content.decode()
        assert "Father known to be violent to professionals" in html, page
        assert html.index("Father known to be violent") < html.index("<h1"), page


def test_a_form_error_names_the_field_and_saves_nothing(setting, signed_in_client):
    _, worker, child, _ = setting
    client = signed_in_client(user=worker)
    response = client.post(
        f"/people/{child.pk}/identifiers/add", {"kind": "nhs_number", "value": "943 476 5918"}
    )
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not PersonIdentifier.objects.filter(person=child).exists()
    response = client.post(
        f"/people/{child.pk}/identifiers/add", {"kind": "nhs_number", "value": "943 476 5919"}
    )
    assert response.status_code == 302
    assert "943 476 5919" in client.get(f"/people/{child.pk}/details").content.decode()


def test_relationship_from_the_form_shows_on_both_records(setting, signed_in_client):
    _, worker, child, mother = setting
    client = signed_in_client(user=worker)
    response = client.post(
        f"/people/{child.pk}/relationships/add",
        {
            "other_la_number": mother.la_number,
            "kind": "parent",
            "parental_responsibility": "on",
            "main_carer": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = Relationship.objects.get(person=mother, other=child)
    assert row.kind == "parent"
    assert row.parental_responsibility
    assert row.main_carer
    child_page = client.get(f"/people/{child.pk}/family").content.decode()
    assert "Mother" in child_page
    assert "Parental responsibility" in child_page
    assert "Daughter" in client.get(f"/people/{mother.pk}/family").content.decode()


def test_edit_buttons_refuse_a_worker_without_a_relationship(setting, signed_in_client):
    _, _, child, _ = setting
    identifier = services.identifier_add(
        actor=None, person=child, kind="legacy", value="CF9", system="CareFirst"
    )
    detail = services.contact_add(actor=None, person=child, kind="mobile", value="07700 900123")
    outsider = signed_in_client("social_worker")
    assert outsider.post(f"/people/{child.pk}/identifiers/{identifier.pk}/end").status_code == 403
    assert outsider.post(f"/people/{child.pk}/contact-details/{detail.pk}/end").status_code == 403
    identifier.refresh_from_db()
    assert identifier.ended_at is None
    assert ContactDetail.objects.get(pk=detail.pk).ended_at is None
    denied = AuditEvent.objects.filter(action=Action.ACCESS_DENIED, person_id=child.pk)
    assert denied.count() == 2


def test_search_before_create_shows_likely_matches_first(setting, signed_in_client):
    team, worker, child, _ = setting
    client = signed_in_client(user=worker)
    form = {
        "given_name": "Amirah",
        "family_name": "Hadad",
        "sex": "F",
        "postcode": "",
        "team": str(team.pk),
    } | date_parts("date_of_birth", child.date_of_birth)
    response = client.post("/people/new", form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Check they are not already recorded" in html
    assert str(child.la_number) in html
    assert Person.objects.filter(family_name="Hadad").count() == 0
    response = client.post("/people/new", form | {"confirmed_new": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(family_name="Hadad").count() == 1


def test_a_merged_record_sends_you_to_the_one_that_stayed(setting, signed_in_client):
    _, worker, child, _ = setting
    duplicate = factories.person("Amira", "Hadad", sex="F", date_of_birth=dt.date(2017, 5, 4))
    admin = factories.user("system_administrator")
    admin.is_verified = lambda: True
    services.person_merge(actor=admin, survivor=child, merged=duplicate, reason="Same child")
    client = signed_in_client(user=worker)
    response = client.get(f"/people/{duplicate.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"/people/{child.pk}"
    api = client.get(f"/api/v1/people/{duplicate.pk}")
    assert api.status_code == 410
    assert api.json()["merged_into"] == str(child.pk)


def test_duplicate_report_merge_and_unmerge_pages(
    setting, signed_in_client, django_capture_on_commit_callbacks
):
    _, _, child, _ = setting
    duplicate = factories.person("Amira", "Hadad", sex="F", date_of_birth=dt.date(2017, 5, 4))
    admin = signed_in_client("system_administrator")
    assert "No duplicate scan has finished yet" in admin.get("/data-quality/duplicates").text
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post("/data-quality/duplicates/scans").status_code == 302
    report = admin.get("/data-quality/duplicates").content.decode()
    assert f"LA {child.la_number}" in report
    assert f"LA {duplicate.la_number}" in report
    compare = admin.get(f"/data-quality/merge/{child.la_number}/{duplicate.la_number}")
    assert compare.status_code == 200
    merged = admin.post(
        f"/data-quality/merge/{child.la_number}/{duplicate.la_number}",
        {"survivor": "first", "reason": "Same child, name misspelt by the duty team"},
    )
    assert merged.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == child.pk
    log = admin.get("/data-quality/merges").content.decode()
    assert "Same child, name misspelt" in log
    from kith.people.models import MergeRecord

    record = MergeRecord.objects.get()
    assert (
        admin.post(f"/data-quality/merges/{record.pk}/unmerge", {"reason": ""}).status_code == 200
    )
    undone = admin.post(f"/data-quality/merges/{record.pk}/unmerge", {"reason": "Twins"})
    assert undone.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None
    assert f"LA {duplicate.la_number}" in admin.get("/data-quality/duplicates").content.decode()
    dismissed = admin.post(
        "/data-quality/duplicates/dismiss",
        {"first": str(child.pk), "second": str(duplicate.pk), "note": "Twins"},
    )
    assert dismissed.status_code == 302
    assert f"LA {duplicate.la_number}" not in admin.get("/data-quality/duplicates").content.decode()


def test_alert_review_page_records_history(setting, signed_in_client):
    _, worker, child, _ = setting
    alert = services.alert_add(
        actor=None,
        person=child,
        kind="communication",
        text="Uses Makaton",
        review_date=timezone.localdate() + dt.timedelta(days=10),
    )
    client = signed_in_client(user=worker)
    response = client.post(
        f"/people/{child.pk}/alerts/{alert.pk}/review",
        {"outcome": "kept", "note": "Still needed"}
        | date_parts("next_review_date", timezone.localdate() + dt.timedelta(days=180)),
    )
    assert response.status_code == 302
    alert = Alert.objects.get(pk=alert.pk)
    assert alert.review_date == timezone.localdate() + dt.timedelta(days=180)
    assert "Still needed" in client.get(f"/people/{child.pk}/details").content.decode()


def test_the_summary_shows_key_dates_and_recent_events(setting, signed_in_client):
    _, worker, child, mother = setting
    services.relationship_add(
        actor=None, person=mother, other=child, kind="parent", start_date=dt.date(2017, 5, 4)
    )
    services.alert_add(
        actor=None,
        person=child,
        kind="risk_to_others",
        text="Sets fires",
        review_date=timezone.localdate() + dt.timedelta(days=20),
    )
    client = signed_in_client(user=worker)
    html = client.get(f"/people/{child.pk}").content.decode()
    key_dates = html[html.index('data-testid="key-dates"') :]
    assert "Review the alert: Risk to others" in key_dates[: key_dates.index("</ul>")]
    recent = html[html.index('data-testid="recent-events"') :]
    assert "Leila Haddad" in recent[: recent.index("</ul>")]


def test_changing_personal_details_from_the_form(setting, signed_in_client):
    _, worker, child, _ = setting
    client = signed_in_client(user=worker)
    page = client.get(f"/people/{child.pk}/details/change").content.decode()
    assert 'value="Amira"' in page
    form = {
        "given_name": "Amira",
        "middle_names": "Noor",
        "family_name": "Haddad",
        "known_as": "",
        "sex": "F",
        "gender_identity": "",
        "ethnicity": "WBRI",
        "first_language": "Arabic",
        "interpreter_required": "on",
        "religion": "",
        "disabilities": ["HAND", "HEAR"],
        "communication_needs": "Prefers short sentences",
        "immigration_status": "",
    } | date_parts("date_of_birth", child.date_of_birth)
    response = client.post(f"/people/{child.pk}/details/change", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    child.refresh_from_db()
    assert child.middle_names == "Noor"
    assert child.interpreter_required
    assert child.disabilities == ["HAND", "HEAR"]
    details = client.get(f"/people/{child.pk}/details").content.decode()
    assert "Prefers short sentences" in details
    bad = client.post(
        f"/people/{child.pk}/details/change",
        form | date_parts("date_of_death", dt.date(2010, 1, 1)),
    )
    assert bad.status_code == 400
    assert "Date of death must be on or after the date of birth" in bad.content.decode()


def test_an_organisation_added_by_an_administrator_is_offered_for_professionals(
    setting, signed_in_client
):
    _, worker, child, _ = setting
    admin = signed_in_client("system_administrator")
    added = admin.post(
        "/administration/organisations",
        {"kind": "gp_practice", "name": "Riverside Surgery", "code": "y01234"},
    )
    assert added.status_code == 302
    assert "Riverside Surgery" in admin.get("/administration/organisations").content.decode()
    client = signed_in_client(user=worker)
    form_page = client.get(f"/people/{child.pk}/professionals/add").content.decode()
    assert "Riverside Surgery (GP practice)" in form_page
    from kith.people.models import Organisation

    surgery = Organisation.objects.get(code="Y01234")
    response = client.post(
        f"/people/{child.pk}/professionals/add",
        {"role": "gp", "organisation": str(surgery.pk), "contact_name": "Dr Okafor"},
    )
    assert response.status_code == 302
    family = client.get(f"/people/{child.pk}/family").content.decode()
    assert "Dr Okafor, Riverside Surgery (Y01234)" in family
