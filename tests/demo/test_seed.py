"""`kith seed`: the small synthetic council, loaded once for this module (in a transaction
rolled back at the end) and checked from every side."""

import datetime as dt
import io
import itertools
import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Q
from django.test import Client

from kith.accounts.models import Membership, Team, User
from kith.audit.models import AuditEvent
from kith.audit.services import audit_verify
from kith.children import rules_cla
from kith.children.models import (
    AdoptionRecord,
    Assessment,
    CareEpisode,
    CareLeaverContact,
    CarePeriod,
    CINEpisode,
    CINPlan,
    ClaReview,
    Contact,
    CoreGroup,
    CPPlan,
    CPReview,
    HealthCheck,
    InitialConference,
    IroContact,
    LegalStatus,
    PreviousPermanence,
    SdqScore,
    Section47,
    SocialWorkerEpisode,
    StrategyDiscussion,
    UascStatus,
    WellbeingRecord,
)
from kith.core import calendar, codelists
from kith.demo.logins import DEMO_LOGINS, current_code, demo_password
from kith.demo.models import SeedRun
from kith.demo.synthetic import is_valid_postcode_format
from kith.people import identifiers
from kith.people.matching import DUPLICATE_MIN_SCORE
from kith.people.models import (
    Address,
    Alert,
    ContactDetail,
    Household,
    HouseholdMember,
    Organisation,
    Person,
    PersonIdentifier,
    PersonSearchKey,
    ProfessionalInvolvement,
    Relationship,
)
from kith.people.selectors_duplicates import duplicate_report
from kith.people.services import INVERSE, search_keys_rebuild
from kith.recording.models import Visit
from kith.work.models import Allocation, Involvement, WorkItem
from tests import factories

TODAY = dt.date(2026, 11, 2)
SEED = 7


@pytest.fixture(scope="module")
def council(django_db_setup, django_db_blocker) -> Iterator[tuple[dict, str]]:
    """The small council (seed 7), made once; every test runs in a savepoint inside it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = io.StringIO()
            call_command(
                "seed", "--size", "small", "--seed", str(SEED), "--today", TODAY.isoformat(),
                stdout=out,
            )  # fmt: skip
            yield SeedRun.objects.get().summary, out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def summary(council, db) -> dict:
    return council[0]


def test_small_council_through_the_services(summary):
    assert Team.objects.filter(kind="directorate").exists()
    assert Team.objects.filter(kind="team").count() >= 8
    assert User.objects.count() >= 50
    # every team has exactly one team manager, demo.manager included
    for team in Team.objects.filter(kind="team"):
        managers = Membership.objects.filter(team=team, role_id="team_manager").count()
        assert managers >= 1, team.name
    assert Person.objects.count() >= 150
    worker = User.objects.get(username="demo.worker")
    assert Allocation.objects.filter(worker=worker).count() >= 8
    # the staff made for the demo cannot sign in; the demo logins can
    assert (
        not User.objects.exclude(username__startswith="demo.")
        .filter(password__startswith="md5")
        .exists()
    )
    assert audit_verify().ok


def test_the_summary_counts_what_was_made(council, summary):
    assert summary["teams"] == Team.objects.filter(kind="team").count()
    assert summary["people"] == Person.objects.count()
    # (the children's phase adds ended involvements and allocations for closed histories)
    assert summary["open_cases"] == Involvement.objects.filter(end_date__isnull=True).count()
    assert summary["closed_cases"] == (
        Involvement.objects.filter(end_date__isnull=False, team__service_area="adults").count()
    )
    assert summary["allocated"] == Allocation.objects.filter(end_date__isnull=True).count()
    assert summary["households"] == Household.objects.count()
    assert summary["relationships"] == Relationship.objects.count()
    assert summary["bulk_people"] == 0  # small: every write through the services
    # The council's work items as the seed ends: the work phase's on the open cases the
    # children's phase did not cover, the children's services' own, and what the recording
    # phase's visits and approvals started (it recounts them all)
    items = WorkItem.objects.all()
    open_items = items.filter(status__in=WorkItem.OPEN)
    assert summary["work_items"] == items.count() > summary["open_cases"]
    assert summary["work_open"] == open_items.count()
    assert summary["work_overdue"] == open_items.filter(due_date__lt=TODAY).count() > 0
    assert summary["work_unallocated"] == open_items.filter(worker__isnull=True).count() > 0
    assert summary["work_awaiting_authorisation"] == (
        items.filter(status="awaiting_authorisation").count()
    )
    assert summary["work_completed"] == items.filter(status="completed").count()
    # People known but on no open caseload: relatives, closed cases, near-duplicates
    open_cases = Person.objects.filter(
        pk__in=Involvement.objects.filter(end_date__isnull=True).values("person")
    )
    assert summary["not_open"] == Person.objects.exclude(pk__in=open_cases).count()
    assert summary["not_open"] > summary["open_cases"]
    # The command says what it made, and showed its progress
    out = council[1]
    assert f"{summary['people']:,} people" in out
    assert f"{len(summary['near_duplicates'])} deliberate near-duplicates" in out
    assert "Caseloads: " in out
    assert "Known people: " in out
    assert f"Work: {summary['work_items']:,} work items" in out
    assert f"Children's social care: {summary['children']['children']:,} children" in out
    assert "(100%)" in out


def test_people_known_before_have_the_closed_case_of_a_team_of_their_kind(summary):
    closed = list(
        Involvement.objects.filter(
            end_date__isnull=False, team__service_area="adults"
        ).select_related("team")
    )
    assert len(closed) == summary["closed_cases"] > 0
    open_people = set(
        Involvement.objects.filter(end_date__isnull=True).values_list("person_id", flat=True)
    )
    for involvement in closed:
        assert involvement.person_id not in open_people
        assert involvement.start_date <= involvement.end_date < TODAY
        assert involvement.end_reason
        assert involvement.team.kind == "team"
        # written through the services: started and ended, each audited
        logged = AuditEvent.objects.filter(
            person_id=involvement.person_id, object_type="work.involvement"
        )
        assert sorted(logged.values_list("action", flat=True)) == ["create", "update"]
    # and current allocations never start before the team started working with the person
    for allocation in Allocation.objects.filter(end_date__isnull=True):
        involvement = Involvement.objects.get(
            person_id=allocation.person_id, team_id=allocation.team_id, end_date__isnull=True
        )
        assert allocation.start_date >= involvement.start_date


def test_every_write_of_a_person_is_audited(summary):
    person = Person.objects.order_by("la_number")[0]
    logged = set(
        AuditEvent.objects.filter(person_id=person.pk).values_list("object_type", flat=True)
    )
    assert {"people.person", "people.address", "people.relationship"} <= logged
    assert not AuditEvent.objects.filter(reason="synthetic council load").exists()


# --- Families -------------------------------------------------------------------------------


def test_every_relationship_has_its_inverse(summary):
    rows = list(Relationship.objects.select_related("inverse"))
    assert rows
    for row in rows:
        back = row.inverse
        assert back is not None, row
        assert back.inverse_id == row.pk
        assert (back.person_id, back.other_id) == (row.other_id, row.person_id)
        assert back.kind == INVERSE[row.kind]
        assert (back.start_date, back.end_date) == (row.start_date, row.end_date)


def test_families_have_the_usual_relationships(summary):
    kinds = Counter(Relationship.objects.values_list("kind", flat=True))
    for kind in ("parent", "child", "sibling", "half_sibling", "step_parent", "step_child",
                 "grandparent", "grandchild", "partner", "carer", "cared_for"):  # fmt: skip
        assert kinds[kind], kind
    # Mothers always hold parental responsibility for their born children, most fathers do
    parents = Relationship.objects.filter(kind="parent", other__date_of_birth__isnull=False)
    parents = parents.filter(other__date_of_birth__gte=dt.date(2009, 1, 1))  # children now
    mothers = parents.filter(person__sex="F")
    fathers = parents.filter(person__sex="M")
    assert mothers.exists()
    assert fathers.exists()
    assert not mothers.filter(parental_responsibility=False).exists()
    assert fathers.filter(parental_responsibility=True).count() > fathers.count() / 2
    # Each child has at most one main carer, and children living with a parent have one
    carers = Counter(
        Relationship.objects.filter(
            main_carer=True, kind__in=["parent", "grandparent"]
        ).values_list("other", flat=True)
    )
    assert carers
    assert max(carers.values()) == 1
    # Unborn children are on the record with their expected date of birth
    unborn = Person.objects.filter(date_of_birth__isnull=True)
    assert unborn.exists()
    assert not unborn.filter(expected_date_of_birth__isnull=True).exists()


def test_households_have_members_with_dates(summary):
    assert Household.objects.count() >= 10
    for household in Household.objects.all():
        members = list(HouseholdMember.objects.filter(household=household))
        assert len(members) >= 2, household.name
        assert all(m.start_date <= TODAY for m in members)
        assert all(m.end_date is None or m.end_date > m.start_date for m in members)
    # Children live with the family; some grandparents live elsewhere (not members)
    grandparents = Relationship.objects.filter(kind="grandparent").values("person")
    living_in = HouseholdMember.objects.filter(person__in=grandparents).values("person")
    assert Person.objects.filter(pk__in=grandparents).exclude(pk__in=living_in).exists()


def test_twins_share_a_birthday_and_parents(summary):
    assert len(summary["twins"]) >= 2
    for first, second in summary["twins"]:
        a, b = Person.objects.get(la_number=first), Person.objects.get(la_number=second)
        assert a.date_of_birth == b.date_of_birth
        assert a.given_name != b.given_name
        assert Relationship.objects.filter(person=a, other=b, kind="sibling").exists()


# --- Each person's record -------------------------------------------------------------------


def test_people_have_full_demographics(summary):
    people = Person.objects.all()
    assert people.exclude(middle_names="").exists()
    assert people.exclude(known_as="").exists()
    seconds = [second for _, second, _ in summary["near_duplicates"]]  # sparse records
    recorded = people.exclude(la_number__in=seconds).filter(date_of_birth__isnull=False)
    assert not recorded.filter(gender_identity="").exists()
    assert people.filter(interpreter_required=True).exists()
    assert people.exclude(religion="").exists()
    assert people.exclude(communication_needs="").exists()
    assert len(set(people.values_list("first_language", flat=True))) >= 3
    for person in people:
        if person.ethnicity:
            assert codelists.is_valid("ssda903_ethnic", person.ethnicity), person.ethnicity
        assert all(codelists.is_valid("cin_disability", code) for code in person.disabilities)
    assert people.exclude(disabilities=[]).exists()


def test_nhs_numbers_and_upns_are_valid_and_fictional(summary):
    nhs = list(PersonIdentifier.objects.filter(kind="nhs_number").values_list("value", flat=True))
    assert len(nhs) > Person.objects.count() / 2
    assert len(set(nhs)) == len(nhs)
    for number in nhs:
        assert identifiers.nhs_number_valid(number), number
        assert number.startswith("999"), number  # the range kept for test data
    upns = PersonIdentifier.objects.filter(kind="upn").select_related("person")
    assert upns.exists()
    assert len({u.value for u in upns}) == upns.count()
    for upn in upns:
        assert identifiers.upn_valid(upn.value), upn.value
        born = upn.person.date_of_birth
        assert born is not None
        # school age, or a care leaver who keeps the UPN they had in care
        assert 4 <= (TODAY - born).days // 365 < 22
    legacy = PersonIdentifier.objects.filter(kind="legacy", system="CareFirst")
    assert 0 < legacy.count() < Person.objects.count()


def test_addresses_have_history_and_valid_postcodes(summary):
    for person in Person.objects.prefetch_related("addresses"):
        addresses = sorted(person.addresses.all(), key=lambda a: a.start_date)
        assert addresses, person
        assert [a for a in addresses if a.end_date is None] == [addresses[-1]]
        assert person.postcode == addresses[-1].postcode
        for earlier, later in itertools.pairwise(addresses):
            assert earlier.end_date == later.start_date - dt.timedelta(days=1)
        assert all(is_valid_postcode_format(a.postcode) for a in addresses)
    moved = Address.objects.filter(end_date__isnull=False).values("person").distinct().count()
    assert moved >= 10


def test_contact_details_alerts_and_professionals(summary):
    assert ContactDetail.objects.filter(kind="mobile", value__startswith="07700 900").exists()
    emails = ContactDetail.objects.filter(kind="email").values_list("value", flat=True)
    assert emails
    assert all(e.split("@")[1].endswith((".com", ".net", ".org", "example")) for e in emails)
    alerts = Alert.objects.count()
    assert 0 < alerts < Person.objects.count() / 10
    # A GP practice for each postcode district, schools with URNs, health visitors for babies
    practices = Organisation.objects.filter(kind="gp_practice")
    assert practices.count() >= 10
    assert all(len(p.code) == 6 and p.code[1:].isdigit() for p in practices)
    schools = Organisation.objects.filter(kind="school")
    assert schools.exists()
    assert all(len(s.code) == 6 and s.code.isdigit() for s in schools)
    visited = ProfessionalInvolvement.objects.filter(role="health_visitor")
    assert visited.exists()
    assert not visited.filter(person__date_of_birth__lt=TODAY - dt.timedelta(days=6 * 365)).exists()
    assert ProfessionalInvolvement.objects.filter(role="gp").count() > Person.objects.count() / 2


def test_search_keys_are_those_the_services_compute(summary):
    for person in Person.objects.order_by("la_number")[:40]:
        before = set(PersonSearchKey.objects.filter(person=person).values_list("key", flat=True))
        search_keys_rebuild(person)
        after = set(PersonSearchKey.objects.filter(person=person).values_list("key", flat=True))
        assert before == after, person


# --- Duplicates -----------------------------------------------------------------------------


def _report_pairs() -> dict[frozenset[int], float]:
    """The nightly scan (`kith duplicate_scan`), then every page of the report."""
    out = io.StringIO()
    call_command("duplicate_scan", stdout=out)
    assert "possible duplicates found" in out.getvalue()
    administrator = factories.user(role="system_administrator")
    found: dict[frozenset[int], float] = {}
    page, pages = 1, 1
    while page <= pages:
        report = duplicate_report(user=administrator, page=page)
        found |= {
            frozenset((pair.first.la_number, pair.second.la_number)): pair.match.score
            for pair in report.pairs
        }
        page, pages = page + 1, report.pages
    return found


def test_the_duplicate_report_finds_the_deliberate_near_duplicates(summary):
    deliberate = summary["near_duplicates"]
    assert len(deliberate) >= 5
    assert {kind for _, _, kind in deliberate} == {
        "family_name_typo", "nickname", "names_swapped", "day_month_swapped", "old_address",
    }  # fmt: skip
    found = _report_pairs()
    for first, second, kind in deliberate:
        assert frozenset((first, second)) in found, kind
        # the second record has no NHS number
        assert not PersonIdentifier.objects.filter(
            person__la_number=second, kind="nhs_number"
        ).exists()


def test_twins_and_siblings_are_not_reported_as_duplicates(summary):
    found = {pair for pair, score in _report_pairs().items() if score >= DUPLICATE_MIN_SCORE}
    for first, second in summary["twins"]:
        assert frozenset((first, second)) not in found
    siblings = Relationship.objects.filter(kind="sibling").values_list(
        "person__la_number", "other__la_number"
    )
    assert siblings
    assert not {frozenset(pair) for pair in siblings} & found
    # Everything the report finds is a deliberate near-duplicate
    assert found <= {frozenset((a, b)) for a, b, _ in summary["near_duplicates"]}


# --- Demo logins ----------------------------------------------------------------------------


def test_if_empty_does_nothing_the_second_time(summary):
    out = io.StringIO()
    call_command("seed", "--size", "small", "--seed", str(SEED), "--if-empty", stdout=out)
    assert "already loaded" in out.getvalue()


def test_demo_logins_sign_in_with_their_code(summary):
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert demo_password(SEED) in out.getvalue()
    for login in DEMO_LOGINS:
        assert login.username in out.getvalue()
    client = Client()
    response = client.post("/sign-in", {"username": "demo.worker", "password": demo_password(SEED)})
    assert response.headers["Location"] == "/sign-in/security-code"
    code = io.StringIO()
    call_command("totp", "demo.worker", stdout=code)
    response = client.post("/sign-in/security-code", {"code": code.getvalue().strip()})
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert callable(current_code)  # the helper the demo logins use


def test_totp_command_only_for_demo_logins(summary):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a demo login"):
        call_command("totp", User.objects.exclude(username__startswith="demo.")[0].username)


# --- Children's social care (kith.demo.children_seed) -----------------------------------------


def _with_childrens_history() -> set:
    return {
        *Contact.objects.values_list("person_id", flat=True),
        *CINEpisode.objects.values_list("person_id", flat=True),
        *CarePeriod.objects.values_list("person_id", flat=True),
    }


def _children_on_caseloads() -> set:
    return set(
        Involvement.objects.filter(
            end_date__isnull=True, team__service_area="children"
        ).values_list("person_id", flat=True)
    )


def test_the_childrens_phase_makes_every_kind_of_record(summary):
    children = summary["children"]
    assert children["refused"] == 0, children["refusals"]
    assert children["open_journeys"] > 20
    assert children["closed_histories"] > 0
    for model in (Contact, CINEpisode, Assessment, StrategyDiscussion, Section47,
                  InitialConference, CPPlan, CPReview, CoreGroup, CINPlan, CarePeriod,
                  LegalStatus, ClaReview, IroContact, SdqScore, WellbeingRecord, UascStatus,
                  SocialWorkerEpisode, AdoptionRecord, PreviousPermanence,
                  CareLeaverContact):  # fmt: skip
        assert model.objects.exists(), model.__name__
    # Periods of care open and ended; episodes started, changed the same day (X1) for a legal
    # status change (L) and placement moves (P or T) with their reasons
    assert CarePeriod.objects.filter(end_date__isnull=True).exists()
    assert CarePeriod.objects.filter(end_date__isnull=False).exists()
    rnes = set(CareEpisode.objects.values_list("rne", flat=True))
    assert {"S", "L", "P"} <= rnes, rnes
    moves = CareEpisode.objects.filter(rec="X1").exclude(reason_place_change="")
    assert moves.exists()
    assert set(HealthCheck.objects.values_list("kind", flat=True)) >= {
        "health_assessment", "dental_check", "immunisations",
    }  # fmt: skip
    assert AdoptionRecord.objects.filter(placed_date__isnull=False).exists()
    # Visits by the statutory series, and five years of history
    for code in ("cin-visit", "cp-visit", "cla-visit"):
        assert Visit.objects.filter(visit_type__code=code).exists(), code
    first = CINEpisode.objects.order_by("referral_date").first()
    assert first is not None
    assert first.referral_date < TODAY - dt.timedelta(days=3 * 365)
    assert CINEpisode.objects.filter(closure_date__isnull=False).exists()
    # Every child on a children's team's caseload has a journey
    covered = {
        *CINEpisode.objects.values_list("person_id", flat=True),
        *Contact.objects.values_list("person_id", flat=True),
    }
    assert _children_on_caseloads() <= covered


def test_the_case_mix_today(summary):
    counts = summary["children"]["counts"]
    open_on = Q(end_date__isnull=True) | Q(end_date__gt=TODAY)
    cla = CarePeriod.objects.filter(open_on).values("person").distinct().count()
    cp = CPPlan.objects.filter(open_on).values("person").distinct().count()
    cin = (
        CINEpisode.objects.filter(Q(closure_date__isnull=True) | Q(closure_date__gt=TODAY))
        .values("person")
        .distinct()
        .count()
    )
    assert (counts["cla_now"], counts["cp_now"], counts["cin_now"]) == (cla, cp, cin)
    # An English county's mix: children in need (CP and looked after included) outnumber
    # the looked-after children, who outnumber those on CP plans
    assert cin >= cla + cp
    assert cla >= cp > 0


def test_the_childrens_records_keep_the_dfe_rules(summary):
    # One open episode and one open CP plan at a time (CIN 8815, 8935)
    for model, field in ((CINEpisode, "closure_date"), (CPPlan, "end_date")):
        opened = Counter(
            model.objects.filter(**{f"{field}__isnull": True}).values_list("person", flat=True)
        )
        assert not opened or max(opened.values()) == 1, model.__name__
    # RC8/RC9 only after an assessment, with no plans or enquiries (2990, 8825Q)
    for episode in CINEpisode.objects.filter(closure_reason__in=["RC8", "RC9"]):
        assert episode.assessments.exists()
        assert not episode.cp_plans.exists()
        assert not episode.cin_plans.exists()
        assert not episode.enquiries.exists()
    # No conference on a weekend; a CP plan starts on its conference's day (2885)
    for conference in InitialConference.objects.all():
        assert conference.conference_date.weekday() < 5
    for plan in CPPlan.objects.exclude(conference=None).select_related("conference"):
        assert plan.start_date == plan.conference.conference_date
    # Most assessments are authorised within 45 working days of the referral
    done = Assessment.objects.exclude(authorisation_date=None).select_related("episode")
    assert done.exists()
    in_time = [
        a.authorisation_date <= calendar.add_working_days(a.episode.referral_date, 45) for a in done
    ]
    assert sum(in_time) >= 0.6 * len(in_time)
    # Placements: a URN where Ofsted registers the type, none for temporary ones (218, 213)
    for episode in CareEpisode.objects.all():
        kind = rules_cla.placement_type(episode.place)
        assert kind is not None, episode.place
        assert bool(episode.urn) == kind.urn_required, episode.place
        assert bool(episode.place_provider) == kind.provider_required, episode.place
    # Reviews: PN0 exactly for the under-4s (440, 441)
    for review in ClaReview.objects.select_related("person"):
        born = review.person.date_of_birth
        under_4 = review.review_date < rules_cla.add_years(born, 4)
        assert (review.participation == "PN0") == under_4
    # A social worker for each child looked after now (SW17): their SWE registration number,
    # or XX and their id for an unregistered one such as a personal adviser (SW02)
    sw_ids = SocialWorkerEpisode.objects.values_list("sw_id", flat=True)
    assert all(sw_id.startswith(("SW", "XX")) for sw_id in sw_ids)
    assert any(sw_id.startswith("SW") for sw_id in sw_ids)
    for period in CarePeriod.objects.filter(end_date__isnull=True):
        assert SocialWorkerEpisode.objects.filter(
            person_id=period.person_id, end_date__isnull=True
        ).exists(), period.person_id
    # Care leavers in touch: activity and accommodation (345); contacts from 17
    for contact in CareLeaverContact.objects.select_related("person"):
        if contact.in_touch == "YES":
            assert contact.activity
            assert contact.accommodation
        assert contact.contact_date >= rules_cla.add_years(contact.person.date_of_birth, 16)


def test_the_childrens_work_comes_from_the_childrens_services(summary):
    # The children's services started the statutory work for the children with histories;
    # the work phase planned none for them (no referral decision, its generic first step)
    with_history = set(CINEpisode.objects.values_list("person_id", flat=True))
    assert WorkItem.objects.filter(
        person_id__in=with_history, item_type__code="cf-assessment"
    ).exists()
    assert not WorkItem.objects.filter(
        person_id__in=with_history, item_type__code="referral-decision"
    ).exists()
    # and at most one open item of each kind each
    open_items = Counter(
        WorkItem.objects.filter(person_id__in=with_history, status__in=WorkItem.OPEN).values_list(
            "person_id", "item_type__code"
        )
    )
    assert max(open_items.values()) == 1
    # written as the workers and managers, audited
    written = AuditEvent.objects.filter(object_type__startswith="children.")
    assert written.exists()
    assert not written.filter(actor__isnull=True).exists()


# --- The same seed, the same council --------------------------------------------------------

_PEOPLE = (
    "SELECT la_number, given_name, middle_names, family_name, known_as, date_of_birth,"
    " expected_date_of_birth, sex, ethnicity, first_language, religion, disabilities, postcode"
    " FROM people_person ORDER BY la_number"
)
_IDENTIFIERS = (
    "SELECT p.la_number, i.kind, i.value, i.system FROM people_personidentifier i"
    " JOIN people_person p ON p.id = i.person_id ORDER BY p.la_number, i.kind, i.value"
)
_RELATIONSHIPS = (
    "SELECT a.la_number, b.la_number, r.kind, r.parental_responsibility, r.main_carer,"
    " r.start_date FROM people_relationship r JOIN people_person a ON a.id = r.person_id"
    " JOIN people_person b ON b.id = r.other_id ORDER BY a.la_number, b.la_number, r.kind"
)
_USERS = "SELECT username, first_name, last_name FROM accounts_user ORDER BY username"
_NOTES = (
    "SELECT p.la_number, t.code, n.kind, n.event_date, n.narrative, n.significant, n.reason,"
    " u.username FROM recording_casenote n JOIN people_person p ON p.id = n.person_id"
    " JOIN recording_notetype t ON t.id = n.note_type_id"
    " LEFT JOIN accounts_user u ON u.id = n.created_by_id"
)
_VISITS = (
    "SELECT p.la_number, t.code, v.actual_date, v.seen, v.seen_alone, v.bedroom_seen, v.notes"
    " FROM recording_visit v JOIN people_person p ON p.id = v.person_id"
    " JOIN recording_visittype t ON t.id = v.visit_type_id"
)
_FORMS = (
    "SELECT p.la_number, d.code, s.status, s.revision FROM eforms_formsubmission s"
    " JOIN people_person p ON p.id = s.person_id"
    " JOIN eforms_formversion v ON v.id = s.version_id"
    " JOIN eforms_formdefinition d ON d.id = v.definition_id"
)
_CHILDREN = (
    "SELECT p.la_number, 'episode', e.referral_date, e.referral_source, e.primary_need,"
    " e.closure_date, e.closure_reason FROM children_cinepisode e"
    " JOIN people_person p ON p.id = e.person_id"
    " UNION ALL SELECT p.la_number, 'cp', c.start_date, c.initial_category, c.latest_category,"
    " c.end_date, CAST(c.previous_plans AS TEXT) FROM children_cpplan c"
    " JOIN people_person p ON p.id = c.person_id"
    " UNION ALL SELECT p.la_number, 'care', e.decom, e.rne, e.ls || e.place || e.place_provider,"
    " e.dec, e.rec || e.reason_place_change FROM children_careepisode e"
    " JOIN people_person p ON p.id = e.person_id"
    " UNION ALL SELECT p.la_number, 'review', r.review_date, r.participation, '', r.due_date, ''"
    " FROM children_clareview r JOIN people_person p ON p.id = r.person_id"
    # (an unregistered worker's SW_ID is XX and their id, which differs between databases)
    " UNION ALL SELECT p.la_number, 'sw', s.start_date, u.username, substr(s.sw_id, 1, 2),"
    " s.end_date, s.reason FROM children_socialworkerepisode s"
    " JOIN people_person p ON p.id = s.person_id LEFT JOIN accounts_user u ON u.id = s.worker_id"
    " UNION ALL SELECT p.la_number, 'leaver', l.contact_date, l.in_touch, l.activity,"
    " l.pathway_plan_review_date, l.accommodation FROM children_careleavercontact l"
    " JOIN people_person p ON p.id = l.person_id"
)
_WORK = (
    "SELECT p.la_number, t.code, w.status, w.clock_start, w.due_date, w.completed_on,"
    " w.allocated_on, u.username, tm.name, prev.clock_start FROM work_workitem w"
    " JOIN people_person p ON p.id = w.person_id"
    " JOIN work_workitemtype t ON t.id = w.item_type_id"
    " JOIN accounts_team tm ON tm.id = w.team_id"
    " LEFT JOIN accounts_user u ON u.id = w.worker_id"
    " LEFT JOIN work_workitem prev ON prev.id = w.previous_id"
)


def _as_text(value: object) -> str:
    """A value as SQLite stores it: booleans as 1/0, JSON as its text."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)


def _normalised(rows: list) -> list[tuple]:
    """As text, sorted in Python (the databases' collations differ)."""
    return sorted(tuple(_as_text(v) for v in row) for row in rows)


def _contents(execute) -> dict[str, list[tuple]]:
    return {
        name: _normalised(execute(sql))
        for name, sql in (
            ("users", _USERS),
            ("people", _PEOPLE),
            ("identifiers", _IDENTIFIERS),
            ("relationships", _RELATIONSHIPS),
            ("work", _WORK),
            ("notes", _NOTES),
            ("visits", _VISITS),
            ("forms", _FORMS),
            ("children", _CHILDREN),
        )
    }


def test_the_same_seed_makes_the_same_council_in_a_fresh_database(summary, tmp_path: Path):
    # Given the council made here, and the same seed run as a person would, in another
    # process (another hash seed) with its own SQLite file
    path = tmp_path / "again.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{path}",
        "DJANGO_SETTINGS_MODULE": "kith.config.settings.dev",
    }
    for args in (
        ["migrate", "-v0"],
        ["seed", "--size", "small", "--seed", str(SEED), "--today", TODAY.isoformat()],
    ):
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "kith.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=1800,  # the children's phase: minutes on a busy machine
        )
        assert result.returncode == 0, result.stderr
    with sqlite3.connect(path) as db:
        again = _contents(lambda sql: db.execute(sql).fetchall())

    def here(sql: str) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    # Then everything about the people, their work and their children's histories is the same
    first = _contents(here)
    assert first == again
    assert len(first["people"]) >= 150
    assert len(first["work"]) >= 300
    assert len(first["children"]) >= 150
    assert len(first["notes"]) >= 50
    assert len(first["visits"]) >= 5
    assert len(first["forms"]) >= 5


def test_the_recording_phase_makes_notes_visits_and_forms_through_the_services(council, summary):
    from kith.eforms.models import FormSubmission
    from kith.recording.models import CaseNote, NoteApproval, NoteDraft, NotePin, Visit

    made = summary["recording"]
    notes = CaseNote.objects.all()
    assert made["notes"] + made["corrections"] == notes.count()
    # varied types, some significant, some pinned, one corrected on each team's first case
    assert notes.values("note_type").distinct().count() >= 6
    assert made["significant"] > 0
    assert notes.filter(significant=True).count() >= made["significant"]
    assert NotePin.objects.filter(ended_at__isnull=True).count() == made["pinned"] > 0
    assert notes.filter(kind="correction").count() == made["corrections"] > 0
    assert notes.filter(note_type__code="management-oversight").count() > 0
    assert made["group_notes"] > 0
    # every note written by a worker, never "Kith", and audited
    assert not notes.filter(created_by__isnull=True).exists()
    assert AuditEvent.objects.filter(object_type="recording.casenote", action="create").count() == (
        notes.filter(kind="original").count()
    )
    # case summaries authorised, awaiting and returned, through the work items
    statuses = Counter(NoteApproval.objects.values_list("status", flat=True))
    assert statuses == {
        "authorised": made["notes_authorised"],
        "awaiting": made["notes_awaiting_authorisation"],
        "returned": made["notes_returned"],
    }
    assert min(statuses.values()) > 0
    for approval in NoteApproval.objects.select_related("work_item"):
        expected = {"authorised": "completed", "awaiting": "awaiting_authorisation"}
        assert approval.work_item.status == expected.get(approval.status, "in_progress")
    # visits completed the visit due, and the next is due
    # (the recording phase runs last: its visits are the newest; the children's phase made more)
    recorded = Visit.objects.filter(actual_date__isnull=False)
    assert recorded.count() > made["visits"] > 0
    visits = recorded.select_related("work_item").order_by("-created_at")[: made["visits"]]
    for visit in visits:
        assert visit.work_item.status == "completed"
        assert visit.work_item.completed_on == visit.actual_date
        assert WorkItem.objects.filter(previous=visit.work_item).exists()
    # forms: approved, awaiting approval and in draft
    forms = Counter(FormSubmission.objects.values_list("status", flat=True))
    assert forms == {
        "approved": made["forms_approved"],
        "awaiting_approval": made["forms_awaiting_approval"],
        "draft": made["forms_draft"],
    }
    assert min(forms.values()) > 0
    # the demo workers have a draft note in My unfinished work
    drafts = NoteDraft.objects.select_related("owner")
    assert {d.owner.username for d in drafts} == {"demo.worker", "demo.adults"}
    # the summary's work counts include what the visits and approvals did
    assert summary["work_items"] == WorkItem.objects.count()
    out = council[1]
    assert f"Recording: {made['notes']:,} case notes" in out


def test_the_demo_password_is_one_the_password_rules_allow_for_every_login_and_seed():
    """Seed 15 once drew a password too like a demo login's email, and the seed failed."""
    from django.contrib.auth.password_validation import validate_password

    from kith.accounts.models import User
    from kith.demo.synthetic.workers import EMAIL_DOMAIN

    users = [
        User(
            username=login.username,
            first_name=login.first_name,
            last_name=login.last_name,
            email=f"{login.username}@{EMAIL_DOMAIN}",
        )
        for login in DEMO_LOGINS
    ]
    for seed in range(1, 301):
        password = demo_password(seed)
        for user in users:
            validate_password(password, user)
    assert demo_password(15) != demo_password(16)


# CIN census queries a seeded council gives, each genuine (a query asks for a reason, it is
# not an error): the census is built as at 31 March while the year is still running.
GENUINE_CIN_QUERIES = {
    "8670Q": "an assessment started this autumn is still in progress (no end date yet)",
    "8675Q": "a section 47 enquiry still in progress has no initial conference yet",
    "2888Q": "most children in need with a disability have one disability recorded",
    "8770Q": "a child in need of school age whose UPN the council does not know",
    "8530Q": "an unborn child is expected after the census date",
    "2991Q": "a section 47 enquiry begun straight from the referral, before an assessment",
    # closed after an assessment (RC8/RC9) early in the year; the assessment was authorised
    # days before the year began, so this year's census does not include it
    "8825Q": "an assessment completed just before the year began, the case closed after it",
}


def test_the_returns_built_from_the_seed_pass_the_dfe_validators(council, db, tmp_path):
    """Issue 8: the SSDA903 for the current collection year (with last year's beside it, for
    the rules comparing the two) and last year's on its own, and the CIN census, give no
    error from the DfE's own validators; the census's queries are all genuine."""
    from django.conf import settings

    from kith.returns import validators
    from kith.returns.cin_census import cin_census_build
    from kith.returns.periods import collection_year
    from kith.returns.ssda903 import ssda903_build

    year = collection_year(TODAY)
    officer = User.objects.get(username="demo.performance")
    officer.is_verified = lambda: True  # type: ignore[method-assign]
    this_year = ssda903_build(actor=officer, year=year, out_dir=tmp_path / "903")
    last_year = ssda903_build(actor=officer, year=year - 1, out_dir=tmp_path / "903-last")
    assert this_year.children >= 8
    assert this_year.counts["Episodes"] >= this_year.children
    assert this_year.problems == []
    la = settings.KITH_COUNCIL_ONS_CODE
    checked = validators.validate_ssda903(
        tmp_path / "903", year=year, local_authority=la, previous=tmp_path / "903-last"
    )
    assert [(i.rule, i.child, i.message) for i in checked.errors] == []
    assert len(checked.rules_run) > 300  # the rules comparing the two years ran too
    alone = validators.validate_ssda903(tmp_path / "903-last", year=year - 1, local_authority=la)
    assert [(i.rule, i.child, i.message) for i in alone.errors] == []
    assert last_year.children >= 5

    census = cin_census_build(actor=officer, year=year, out=tmp_path / "cin.xml")
    assert census.children >= 20
    assert census.problems == []
    checked = validators.validate_cin(tmp_path / "cin.xml", year=year)
    assert [(i.rule, i.child, i.message) for i in checked.errors] == []
    assert {i.rule for i in checked.queries} <= set(GENUINE_CIN_QUERIES)


def test_the_county_front_door_in_bulk_writes_closed_histories_the_validators_accept(
    council, db, tmp_path
):
    """Issue 7: at county size the referrals are topped up to the county's demand in bulk;
    here on the small council at 15 a month. Each history is a contact, referral, authorised
    assessment and closure (or a contact ending at the front door), checked by the entry rules
    first, with the team's ended involvement and allocation, the completed work items and an
    audit entry; the CIN census built with them passes the DfE validator."""
    from kith.demo.front_door_bulk import REASON, front_door_seed
    from kith.returns import validators
    from kith.returns.cin_census import cin_census_build
    from kith.returns.periods import collection_year

    before = set(CINEpisode.objects.values_list("pk", flat=True))
    contacts_before = set(Contact.objects.values_list("pk", flat=True))
    made = front_door_seed(size="small", seed=SEED, today=TODAY, referrals_a_month=15)
    assert made.refused == 0, made.refusals
    # every referral wanted is made, or left to the open caseloads (the last days), or short
    # (the small council has few children the front door has not seen)
    assert made.referrals + made.recent + made.short == made.wanted > 15 * 50
    assert made.recent > 0
    episodes = list(
        CINEpisode.objects.exclude(pk__in=before).select_related("contact").order_by("pk")
    )
    assert made.referrals == len(episodes) > 20
    assert made.re_referrals > 0  # some children came back after an earlier episode closed
    contacts = Contact.objects.exclude(pk__in=contacts_before)
    assert made.contacts == contacts.count() > made.referrals
    assert {c.decision for c in contacts} == {"referral", "advice", "nfa"}
    for episode in episodes:
        assert episode.closure_date is not None
        assert episode.referral_date <= episode.closure_date < TODAY
        assert episode.closure_reason in {"RC8", "RC9"}
        assert episode.contact.decision == "referral"
        assert episode.contact.decided_on == episode.referral_date
        (assessment,) = episode.assessments.all()
        assert assessment.outcome_nfa
        assert assessment.outcome == ("early-help" if episode.closure_reason == "RC9" else "nfa")
        assert episode.referral_date <= assessment.start_date <= assessment.authorisation_date
        assert assessment.authorisation_date <= episode.closure_date
        item = assessment.work_item
        assert item.status == WorkItem.Status.COMPLETED
        assert item.clock_start == episode.referral_date
        assert item.due_date == calendar.add_working_days(episode.referral_date, 45)
        assert item.completed_on == assessment.authorisation_date
        involvement = Involvement.objects.get(
            person_id=episode.person_id, team_id=episode.team_id, start_date=episode.referral_date
        )
        assert involvement.end_date == episode.closure_date
        allocation = Allocation.objects.get(
            person_id=episode.person_id, team_id=episode.team_id, start_date=episode.referral_date
        )
        assert allocation.end_date == episode.closure_date
    # one child's episodes never overlap
    by_child: dict = {}
    for episode in episodes:
        by_child.setdefault(episode.person_id, []).append(episode)
    for rows in by_child.values():
        rows.sort(key=lambda e: e.referral_date)
        for earlier, later in itertools.pairwise(rows):
            assert earlier.closure_date < later.referral_date
    audited = AuditEvent.objects.filter(reason=REASON, object_type="children.frontdoor")
    named = {person_id for event in audited for person_id in event.result_ids}
    assert {str(e.person_id) for e in episodes} <= named

    year = collection_year(TODAY)
    officer = User.objects.get(username="demo.performance")
    officer.is_verified = lambda: True  # type: ignore[method-assign]
    census = cin_census_build(actor=officer, year=year, out=tmp_path / "cin.xml")
    assert census.problems == []
    checked = validators.validate_cin(tmp_path / "cin.xml", year=year)
    assert [(i.rule, i.child, i.message) for i in checked.errors] == []
    assert {i.rule for i in checked.queries} <= set(GENUINE_CIN_QUERIES)


def test_the_front_door_in_bulk_is_refused_where_the_services_write_it(council, db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="written through the services"):
        call_command("seed", "--front-door-only", stdout=io.StringIO())
