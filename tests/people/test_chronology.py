"""The person's chronology: every module's events, filtered, audited, and as a PDF."""

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kith.audit.models import Action, AuditEvent
from kith.people import chronology, selectors, services
from kith.work import services as work_services
from tests import factories
from tests.access import world as world_module

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def verified(user):
    user.is_verified = lambda: True
    return user


@pytest.fixture
def world():
    """The access tests' council, with a life's worth of events on `own`'s record."""
    built = world_module.build()
    own = built.own  # born 1 June 2015; North involved and `worker` allocated from 1 Jan 2024
    services.address_add(
        actor=None,
        person=own,
        line_1="1 Elm Road",
        town="Kithton",
        postcode="KT1 1AA",
        start_date=dt.date(2016, 3, 1),
    )
    services.address_add(
        actor=None,
        person=own,
        line_1="22 Oak Street",
        town="Kithton",
        start_date=dt.date(2021, 9, 15),
    )
    alert = services.alert_add(
        actor=None,
        person=own,
        kind="risk_to_staff",
        text="Dog at the property",
        review_date=TODAY + dt.timedelta(days=60),
    )
    services.alert_review(actor=None, alert=alert, outcome="ended", note="The dog has been rehomed")
    mother = factories.person("Mary", "Owncase", sex="F", date_of_birth=dt.date(1990, 2, 2))
    factories.involve(mother, built.north)
    relationship = services.relationship_add(
        actor=None, person=own, other=mother, kind="child", start_date=dt.date(2015, 6, 1)
    )
    services.relationship_end(actor=None, relationship=relationship, end_date=dt.date(2023, 5, 5))
    # A relative whose record is sealed: hidden from the worker, so never named to them.
    services.relationship_add(
        actor=None, person=own, other=built.sealed, kind="sibling", start_date=dt.date(2018, 1, 1)
    )
    household = services.household_create(
        actor=None, name="Owncase household", members=[own], start_date=dt.date(2016, 3, 1)
    )
    services.household_member_end(
        actor=None, member=household.members.get(), end_date=dt.date(2021, 9, 14)
    )
    allocation = own_allocation(built)
    work_services.allocation_end(
        actor=None, allocation=allocation, end_date=dt.date(2024, 6, 30), reason="Worker moved team"
    )
    built.mother = mother  # type: ignore[attr-defined]
    return built


def own_allocation(world):
    from kith.work.models import Allocation

    return Allocation.objects.get(person=world.own)


def titles(events):
    return [e.title for e in events]


def test_every_module_registers_its_event_types():
    types = chronology.event_types()
    codes = [t.code for t in types]
    assert {
        "people.birth",
        "people.alert",
        "people.relationship",
        "work.involvement",
        "work.allocation",
    } <= set(codes)
    assert len(codes) == len(set(codes))
    assert types == sorted(types, key=lambda t: (t.module, t.label, t.code))
    modules = [module for module, _ in chronology.event_types_by_module()]
    assert {"People", "Recording", "Work"} <= set(modules)
    assert modules == sorted(modules)


def test_the_chronology_gathers_every_module_newest_first(world):
    person, decision, events = selectors.person_chronology(
        user=verified(world.worker), person_id=world.own.pk
    )
    assert person == world.own
    assert decision.allowed
    dates = [e.date for e in events]
    assert dates == sorted(dates, reverse=True)
    found = {(e.date, e.title) for e in events}
    worker_name = world.worker.display_name
    assert {
        (dt.date(2015, 6, 1), "Born"),
        (dt.date(2016, 3, 1), "Address recorded"),
        (dt.date(2021, 9, 15), "Moved address"),
        (dt.date(2016, 3, 1), "Joined a household"),
        (dt.date(2021, 9, 14), "Left a household"),
        (dt.date(2015, 6, 1), "Relationship started"),
        (dt.date(2023, 5, 5), "Relationship ended"),
        (dt.date(2024, 1, 1), "Safeguarding North started working with them"),
        (dt.date(2024, 1, 1), f"{worker_name} allocated"),
        (dt.date(2024, 6, 30), f"Allocation of {worker_name} ended"),
        (TODAY, "First recorded in Kith"),
        (TODAY, "Alert added: Risk to staff"),
        (TODAY, "Alert ended: Risk to staff"),
    } <= found
    by_title = {e.title: e for e in events}
    assert by_title["Moved address"].detail == "22 Oak Street, Kithton"
    assert by_title["Relationship started"].detail == (
        f"Mother: Mary Owncase (LA number {world.mother.la_number})"
    )
    assert by_title["Alert ended: Risk to staff"].detail == "The dog has been rehomed"
    assert "Worker moved team" in by_title[f"Allocation of {worker_name} ended"].detail
    assert by_title["Born"].module == "People"
    assert by_title[f"{worker_name} allocated"].module == "Work"
    # the sibling's record is sealed: the worker is not told the relationship exists
    assert not any("Sealed" in e.detail for e in events)
    assert [e.date for e in events if e.title == "Relationship started"] == [dt.date(2015, 6, 1)]


def test_someone_who_may_see_the_relative_sees_the_relationship(world):
    from kith.accounts.models import Membership
    from kith.work.services import allocation_start

    # group_member may see the sealed record; allocate them to `own` so they may open it too
    Membership.objects.create(
        user=world.group_member,
        team=world.north,
        role_id="social_worker",
        start_date=dt.date(2024, 1, 1),
    )
    allocation_start(
        actor=None,
        person=world.own,
        team=world.north,
        worker=world.group_member,
        start_date=dt.date(2024, 2, 1),
    )
    _, _, events = selectors.person_chronology(
        user=verified(world.group_member),
        person_id=world.own.pk,
        types={"people.relationship"},
    )
    assert any("Sol Sealed" in e.detail for e in events)


def test_filtering_by_type(world):
    _, _, events = selectors.person_chronology(
        user=verified(world.worker), person_id=world.own.pk, types={"work.allocation"}
    )
    worker_name = world.worker.display_name
    assert titles(events) == [f"Allocation of {worker_name} ended", f"{worker_name} allocated"]
    _, _, events = selectors.person_chronology(
        user=verified(world.worker),
        person_id=world.own.pk,
        types={"people.birth", "people.household"},
    )
    assert titles(events) == ["Left a household", "Joined a household", "Born"]


def test_filtering_by_dates_includes_both_ends(world):
    _, _, events = selectors.person_chronology(
        user=verified(world.worker),
        person_id=world.own.pk,
        date_from=dt.date(2016, 3, 1),
        date_to=dt.date(2021, 9, 15),
    )
    assert [(e.date, e.title) for e in events] == [
        (dt.date(2021, 9, 15), "Moved address"),
        (dt.date(2021, 9, 14), "Left a household"),
        (dt.date(2016, 3, 1), "Address recorded"),
        (dt.date(2016, 3, 1), "Joined a household"),
    ]
    _, _, events = selectors.person_chronology(
        user=verified(world.worker), person_id=world.own.pk, date_from=dt.date(2030, 1, 1)
    )
    assert events == []


def test_an_unborn_child_and_a_death():
    unborn = services.person_create(
        actor=None,
        given_name="Baby",
        family_name="Tobe",
        expected_date_of_birth=TODAY + dt.timedelta(days=40),
    )
    events = selectors.person_own_events(person_id=unborn.pk)
    assert (TODAY + dt.timedelta(days=40), "Expected to be born") in {
        (e.date, e.title) for e in events
    }
    died = factories.person(
        "Old", "Timer", date_of_birth=dt.date(1930, 1, 1), date_of_death=dt.date(2020, 2, 2)
    )
    events = selectors.person_own_events(person_id=died.pk)
    assert (dt.date(2020, 2, 2), "Died") in {(e.date, e.title) for e in events}


def test_a_merge_appears_on_the_surviving_record(world):
    twin = factories.person("Olivia", "Owncase")
    admin = verified(world.admin)
    services.person_merge(actor=admin, survivor=world.own, merged=twin, reason="Same child")
    events = selectors.person_own_events(person_id=world.own.pk)
    [merge] = [e for e in events if e.type_code == "people.merge"]
    assert merge.title == "Duplicate record merged into this one"
    assert f"LA number {twin.la_number}" in merge.detail
    assert "Same child" in merge.detail
    assert merge.recorded_by == admin.display_name


def test_without_a_relationship_access_is_refused_and_audited(world):
    outsider = verified(world.outsider)
    with pytest.raises(selectors.RecordAccessDenied):
        selectors.person_chronology(user=outsider, person_id=world.own.pk)
    entry = AuditEvent.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.action == Action.ACCESS_DENIED
    assert entry.actor_id == outsider.pk
    assert entry.person_id == world.own.pk


def test_a_hidden_record_does_not_exist(world):
    with pytest.raises(selectors.PersonNotFound):
        selectors.person_chronology(user=verified(world.worker), person_id=world.sealed.pk)


def test_the_page_shows_the_filtered_timeline(world, signed_in_client):
    client = signed_in_client(user=world.worker)
    url = reverse("people:chronology", args=[world.own.pk])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="moj-timeline"' in page
    assert "Safeguarding North started working with them" in page
    assert "Dog at the property" in page
    assert AuditEvent.objects.filter(
        action=Action.VIEW, person_id=world.own.pk, actor_id=world.worker.pk
    ).exists()

    response = client.get(
        url,
        {
            "type": "people.alert",
            "date_from-day": "1",
            "date_from-month": "1",
            "date_from-year": "2020",
        },
    )
    page = response.content.decode()
    assert "Alert added: Risk to staff" in page
    assert "Safeguarding North started working with them" not in page
    assert "2 events" in page
    pdf_link = reverse("people:chronology-pdf", args=[world.own.pk])
    assert f"{pdf_link}?type=people.alert&amp;date_from-day=1" in page


def test_the_page_explains_dates_that_are_not_real(world, signed_in_client):
    client = signed_in_client(user=world.worker)
    response = client.get(
        reverse("people:chronology", args=[world.own.pk]),
        {
            "date_from-day": "31",
            "date_from-month": "2",
            "date_from-year": "2020",
            "date_to-day": "1",
            "date_to-month": "1",
            "date_to-year": "2019",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "From date must be a real date" in page
    assert "Born" in page  # the filters that are not valid are not applied


def test_the_page_refuses_without_a_relationship_and_audits_it(world, signed_in_client):
    client = signed_in_client(user=world.outsider)
    for route in ("people:chronology", "people:chronology-pdf"):
        response = client.get(reverse(route, args=[world.own.pk]))
        assert response.status_code == 403
        assert "You cannot open this record" in response.content.decode()
    assert (
        AuditEvent.objects.filter(
            action=Action.ACCESS_DENIED, person_id=world.own.pk, actor_id=world.outsider.pk
        ).count()
        == 2
    )
    assert not AuditEvent.objects.filter(action=Action.DOWNLOAD, person_id=world.own.pk).exists()
    hidden = signed_in_client(user=world.worker).get(
        reverse("people:chronology-pdf", args=[world.sealed.pk])
    )
    assert hidden.status_code == 404


def test_the_pdf_is_a_tagged_document_with_the_events_and_is_audited(world, signed_in_client):
    client = signed_in_client(user=world.worker)
    response = client.get(
        reverse("people:chronology-pdf", args=[world.own.pk]),
        {"type": ["work.allocation", "people.alert"]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="chronology-{world.own.la_number}.pdf"'
    assert "Owncase" not in disposition
    assert response.content.startswith(b"%PDF")

    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    text = " ".join(text.split())
    assert "Olivia Owncase" in text
    assert "Dog at the property" in text
    assert f"Allocation of {world.worker.display_name} ended" in text
    assert "Safeguarding North started working with them" not in text  # filtered out
    assert "OFFICIAL-SENSITIVE" in text
    assert f"Printed by {world.worker.display_name}" in text
    assert "Page 1 of" in text
    assert "Kith demonstration council" in text or "council" in text.lower()
    # tagged, with a language and a title that readers show (PDF/UA)
    root: Any = reader.root_object
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).lower() == "en-gb"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata is not None
    assert reader.metadata.title == "Chronology: Olivia Owncase"

    download = AuditEvent.objects.get(action=Action.DOWNLOAD, person_id=world.own.pk)
    assert download.object_type == "people.chronology"
    assert download.actor_id == world.worker.pk
    assert "work.allocation" in download.search_terms
    # the read itself is on the record too, just before the download
    view = AuditEvent.objects.get(seq=download.seq - 1)
    assert (view.action, view.person_id) == (Action.VIEW, world.own.pk)


def test_a_registered_source_is_gathered_and_filtered(world):
    """Any module can add events: its source is asked only when its types are wanted."""

    class Visits:
        event_types: tuple[chronology.EventType, ...] = (
            chronology.EventType("test.visit", "Visits", "Testing"),
        )
        asked = 0

        def events(self, *, person_id):
            Visits.asked += 1
            return [chronology.ChronologyEvent(dt.date(2025, 1, 2), "test.visit", "Home visit")]

    source = Visits()
    chronology.register(source)
    try:
        events = chronology.gather(person_id=world.own.pk)
        [visit] = [e for e in events if e.type_code == "test.visit"]
        assert visit.module == "Testing"  # filled from its type
        chronology.gather(person_id=world.own.pk, types={"people.birth"})
        assert Visits.asked == 1
    finally:
        chronology._sources.remove(source)
