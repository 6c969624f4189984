"""Every route, for every kind of user, against people in every state.

Routes come from the URL resolver: a new route without a decision here fails the test.
The expected results are written out by hand, never computed by the policy under test.
"""

import datetime as dt
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from kith.access import services as access_services
from kith.access.models import BreakGlassGrant, Conflict, PersonRestriction, RestrictionGroup
from kith.accounts.models import Membership
from kith.work.models import TimescaleRule
from tests import factories
from tests.access import world as world_module

pytestmark = pytest.mark.django_db

USERS = [
    "worker",
    "manager",
    "service_manager",
    "outsider",
    "breaker",
    "group_member",
    "conflicted",
    "auditor",
    "admin",
]
PEOPLE = ["own", "team_person", "other", "restricted", "sealed", "unknown"]

# O: may open the record; D: sees that it exists but cannot open it; H: it does not exist.
RECORD_MATRIX = """
                own  team_person  other  restricted  sealed  unknown
worker           O        O         D        H          H       D
manager          O        O         D        H          H       D
service_manager  O        O         O        H          H       D
outsider         D        D         O        H          H       D
breaker          O        D         O        H          H       D
group_member     D        D         O        O          O       D
conflicted       D        O         D        H          H       D
auditor          D        D         D        H          H       D
admin            D        D         D        H          H       D
"""
MANAGERS = {"manager", "service_manager"}
NO_RECORDS_MODULE = {"auditor", "admin"}


def parse_matrix() -> dict[tuple[str, str], str]:
    lines = [line.split() for line in RECORD_MATRIX.strip().splitlines()]
    header = lines[0]
    return {
        (row[0], person): cell
        for row in lines[1:]
        for person, cell in zip(header, row[1:], strict=True)
    }


MATRIX = parse_matrix()


def person_route_status(route: str, user: str, person: str) -> int:
    cell = MATRIX[(user, person)]
    if cell == "H":
        return 404
    if route in {"people:person", "api:person_read"}:
        return 200 if cell == "O" else 403
    if route == "people:access-log":
        return 200 if (cell == "O" and user in MANAGERS) or user == "auditor" else 403
    if route == "people:break-glass":
        refused = user in NO_RECORDS_MODULE or (user == "conflicted" and person == "own")
        return 403 if refused else 200
    if route == "people:conflict-declare":
        return 200
    if route in RECORD_PAGES:
        # Every role in this world that may open a record may also change it.
        return 200 if cell == "O" else 403
    raise AssertionError(f"no rule for {route}")


# Pages about one person (and forms that change their record): open to those who may open it.
RECORD_PAGES = {
    "people:details",
    "people:family",
    "people:chronology",
    "people:chronology-pdf",
    "people:edit",
    "people:identifier-add",
    "people:name-add",
    "people:address-add",
    "people:contact-add",
    "people:alert-add",
    "people:relationship-add",
    "people:household-add",
    "people:professional-add",
    "work:person-work",
    "work:item-add",
    "eforms:person-forms",
    "eforms:start",
    "recording:notes",
    "recording:note-add",
    "recording:notes-pdf",
    "recording:visits",
    "recording:visit-plan",
    "recording:visit-record",
    "children:looked-after",
    "children:cla-start",
    "children:cla-legal-status",
    "children:cla-placement",
    "children:cla-placement-return",
    "children:cla-end",
    "children:cla-review",
    "children:cla-health-check",
    "children:cla-iro-contact",
    "children:cla-sdq",
    "children:cla-missing",
    "children:cla-missing-end",
    "children:cla-care-leaver",
    "children:cla-wellbeing",
    "children:cla-uasc",
    "children:cla-dolo",
    "children:cla-sw-episode",
    "children:cla-previous-permanence",
    "children:cla-adoption",
    "children:cin",
    "children:cin-contact-add",
    "children:cin-referral-add",
}


PERSON_ROUTES = {
    "people:person",
    "api:person_read",
    "people:access-log",
    "people:break-glass",
    "people:conflict-declare",
    *RECORD_PAGES,
}

ALL = set(USERS)
RECORDS = ALL - NO_RECORDS_MODULE
ADMIN = {"admin"}
# May open (and change) `own`: by hand from the matrix's first column.
OPEN_OWN = {"worker", "manager", "service_manager", "breaker"}
# The worker's own draft note on `own`: theirs alone (others who may open `own` find no such
# draft), and 403 for those who may not change `own`.
DRAFT_OWNER = {"worker": 200, **dict.fromkeys(OPEN_OWN - {"worker"}, 404)}
# route -> (method, users who get 200 (others 403), a status for each user who gets neither
# 403 nor what the method gives (others 403), or a fixed status for everyone)
ROUTES: dict[str, tuple[str, set[str] | dict[str, int] | int]] = {
    "home": ("GET", ALL),
    "core:healthz": ("GET", ALL),
    "core:accessibility": ("GET", ALL),
    "core:privacy": ("GET", ALL),
    "accounts:sign-in": ("GET", 302),  # already signed in: sent on
    "accounts:two-factor": ("GET", 302),  # nothing pending: back to sign-in
    "accounts:set-up-two-factor": ("GET", 302),
    "accounts:backup-codes": ("GET", ALL),
    "accounts:change-password": ("GET", ALL),
    "accounts:signed-out": ("GET", ALL),
    "accounts:keep-alive": ("POST", 204),
    "accounts:notifications": ("GET", ALL),
    "accounts:sign-out": ("POST", 302),
    "accounts:admin-users": ("GET", ADMIN),
    "accounts:admin-user-create": ("GET", ADMIN),
    "accounts:admin-user": ("GET", ADMIN),
    "accounts:admin-membership-add": ("GET", ADMIN),
    "accounts:admin-leaver": ("GET", ADMIN),
    "accounts:admin-reset-second-factor": ("POST", ADMIN),
    "accounts:admin-unlock": ("POST", ADMIN),
    "accounts:admin-reset-password": ("POST", 200),  # checked with the state-changing routes
    "accounts:admin-membership-end": ("GET", ADMIN),
    "access:break-glass-queue": ("GET", MANAGERS | {"auditor"}),
    "access:break-glass-review": ("GET", MANAGERS | {"auditor"}),
    "access:conflicts": ("GET", MANAGERS | {"auditor", "admin"}),
    "access:conflict-end": ("POST", ADMIN),
    "access:groups": ("GET", ADMIN),
    "access:group-create": ("GET", ADMIN),
    "access:group-edit": ("GET", ADMIN),
    "access:module-grants": ("GET", ADMIN),
    "audit:search": ("GET", {"auditor"}),
    "people:search": ("GET", RECORDS),
    "people:restrictions": ("GET", ADMIN),
    "people:restriction-end": ("POST", ADMIN),
    "work:person-add": ("GET", RECORDS),
    # Forms about one of `own`'s rows (an alert, a relationship…)
    "people:alert-review": ("GET", OPEN_OWN),
    "people:relationship-end": ("GET", OPEN_OWN),
    "people:household-member-add": ("GET", OPEN_OWN),
    "people:household-member-end": ("GET", OPEN_OWN),
    "people:professional-end": ("GET", OPEN_OWN),
    # Buttons that change a row: POST only (who may press them: tests/people/test_views.py)
    "people:identifier-end": ("GET", 405),
    "people:contact-end": ("GET", 405),
    "people:duplicates": ("GET", ADMIN),
    "people:organisations": ("GET", ADMIN),
    "work:my-work": ("GET", RECORDS),
    "work:authorisations": ("GET", MANAGERS),
    "work:item": ("GET", OPEN_OWN),
    "work:item-action": ("GET", OPEN_OWN),
    "work:person-allocate": ("GET", OPEN_OWN),
    "work:reallocate": ("GET", MANAGERS),
    # the manager's own team; the service manager's teams under their service
    "work:team-dashboard": ("GET", MANAGERS),
    # only for managers of a service or directorate
    "work:service-dashboard": ("GET", {"service_manager"}),
    "work:timescales": ("GET", ADMIN),
    "work:timescale-add": ("GET", ADMIN),
    "work:timescale-end": ("GET", ADMIN),
    "api:my_work_items": ("GET", RECORDS),
    "api:person_work_items": ("GET", OPEN_OWN),
    "api:work_item_create": ("POST", 400),
    "api:work_item_read": ("GET", OPEN_OWN),
    "api:work_item_act": ("POST", 400),
    "api:person_involvements": ("GET", OPEN_OWN),
    "api:person_allocate": ("POST", 400),
    # The duplicate scan: the API's start (202 for data quality staff) before the page's,
    # which leaves a scan running (nothing runs it here), so the API would answer 409 after it
    "api:duplicate_scan_start": ("POST", ADMIN),
    "api:duplicate_scan_read": ("GET", ADMIN),
    "api:duplicate_pairs": ("GET", ADMIN),
    "people:duplicate-scan-start": ("POST", ADMIN),
    "people:duplicate-scan-progress": ("GET", ADMIN),
    "people:duplicate-dismiss": ("POST", ADMIN),
    "people:merge-choose": ("GET", ADMIN),
    "people:merge": ("GET", ADMIN),
    "people:merge-log": ("GET", ADMIN),
    "people:unmerge": ("GET", ADMIN),
    "api:person_update": ("PATCH", 422),  # an empty body is refused before anything else
    "api:person_identifiers": ("GET", OPEN_OWN),
    "api:relationships_list": ("GET", OPEN_OWN),
    "api:relationship_add": ("POST", 400),
    "api:relationship_end": ("POST", 400),
    "api:alerts_list": ("GET", OPEN_OWN),
    "api:alert_add": ("POST", 400),
    "api:alert_review": ("POST", 400),
    "api:people_search": ("GET", RECORDS),
    "api:person_create": ("POST", 400),  # an empty body is refused before anything else
    "recording:note": ("GET", OPEN_OWN),
    "recording:note-pdf": ("GET", OPEN_OWN),
    "recording:note-correct": ("GET", OPEN_OWN),
    "recording:note-delete": ("GET", OPEN_OWN),
    "recording:note-pin": ("GET", 405),  # POST only
    "recording:visit": ("GET", OPEN_OWN),
    "recording:note-autosave": ("GET", 405),  # POST only (who may: tests/recording)
    "recording:note-draft": ("GET", DRAFT_OWNER),
    "recording:note-draft-discard": ("GET", DRAFT_OWNER),
    # `own`'s note was not returned by a manager: sent back to the note
    "recording:note-amend": ("GET", dict.fromkeys(OPEN_OWN, 302)),
    "api:note_read": ("GET", OPEN_OWN),
    "api:note_amend": ("POST", 400),
    "api:note_drafts_list": ("GET", OPEN_OWN),
    "api:note_draft_save": ("PUT", 422),  # ninja: a PUT with no body is unprocessable
    # a draft id never used: none for those who may change `own`
    "api:note_draft_discard": ("DELETE", dict.fromkeys(OPEN_OWN, 404)),
    "api:note_draft_finish": ("POST", dict.fromkeys(OPEN_OWN, 404)),
    "api:notes_list": ("GET", OPEN_OWN),
    "api:note_create": ("POST", 400),
    "api:note_correct": ("POST", 400),
    "api:note_delete": ("POST", 400),
    "api:visits_list": ("GET", OPEN_OWN),
    "api:visit_create": ("POST", 400),
    "api:looked_after_read": ("GET", OPEN_OWN),
    "api:care_start": ("POST", 400),
    "api:legal_status_change": ("POST", 400),
    "api:placement_change": ("POST", 400),
    "api:placement_return": ("POST", 400),
    "api:care_end": ("POST", 400),
    "api:review_create": ("POST", 400),
    "api:iro_contact_create": ("POST", 400),
    "api:health_check_create": ("POST", 400),
    "api:sdq_create": ("POST", 400),
    "api:wellbeing_create": ("POST", 400),
    "api:missing_create": ("POST", 400),
    "api:uasc_create": ("POST", 400),
    "api:dolo_create": ("POST", 400),
    "api:sw_episode_create": ("POST", 400),
    "api:adoption_create": ("POST", 400),
    "api:previous_permanence_create": ("POST", 400),
    "api:care_leaver_contact_create": ("POST", 400),
    "api:missing_update": ("PUT", 422),  # ninja: a PUT with no body is unprocessable
    "api:sw_episodes_derive": ("POST", 400),
    "api:adoption_list": ("GET", OPEN_OWN),
    "api:adoption_update": ("PATCH", 422),  # an empty body is refused before anything else
    "api:uasc_end": ("PATCH", 422),
    "api:dolo_end": ("PATCH", 422),
    # The looked-after journey: rows on `own` from cla_rows
    "children:cla-adoption-stage": ("GET", OPEN_OWN),
    "children:cla-dolo-end": ("GET", OPEN_OWN),
    "children:cla-uasc-end": ("GET", OPEN_OWN),
    "api:openapi-json": ("GET", ALL),
    "api:openapi-view": ("GET", ALL),
    "api:api-root": ("GET", 404),  # ninja lists nothing at the root
    # Forms: one sent for approval on `own` (with a file), and the administrators' builder
    "eforms:unfinished": ("GET", RECORDS),
    "eforms:submission": ("GET", OPEN_OWN),
    "eforms:autosave": ("GET", 405),  # POST only (who may: tests/eforms)
    "eforms:submission-pdf": ("GET", OPEN_OWN),
    "eforms:amend": ("GET", OPEN_OWN),
    "eforms:attachment": ("GET", OPEN_OWN),
    "eforms:definitions": ("GET", ADMIN),
    "eforms:definition-new": ("GET", ADMIN),
    "eforms:definition": ("GET", ADMIN),
    "eforms:version": ("GET", ADMIN),
    "api:form_definitions": ("GET", RECORDS),
    "api:form_definition": ("GET", RECORDS),
    "api:person_forms": ("GET", OPEN_OWN),
    "api:form_start": ("POST", 400),
    "api:form_read": ("GET", OPEN_OWN),
    "api:form_save": ("PATCH", 422),
    "api:form_submit": ("POST", 400),
    # The child in need journey (kith.children, CIN part): rows on `own` from cin_rows
    "children:cin-contact-decide": ("GET", OPEN_OWN),
    "children:cin-episode-close": ("GET", OPEN_OWN),
    "children:cin-assessment-add": ("GET", OPEN_OWN),
    "children:cin-assessment": ("GET", OPEN_OWN),
    "children:cin-strategy-add": ("GET", OPEN_OWN),
    "children:cin-s47-add": ("GET", OPEN_OWN),
    "children:cin-s47-end": ("GET", OPEN_OWN),
    "children:cin-icpc-add": ("GET", OPEN_OWN),
    "children:cin-cp-review-add": ("GET", OPEN_OWN),
    "children:cin-core-group-add": ("GET", OPEN_OWN),
    "children:cin-plan-add": ("GET", OPEN_OWN),
    "children:cin-plan-end": ("GET", OPEN_OWN),
    "children:cin-pre-proceedings-add": ("GET", OPEN_OWN),
    "api:cin_record": ("GET", OPEN_OWN),
    "api:cin_status": ("GET", OPEN_OWN),
    "api:cin_contact_create": ("POST", 400),
    "api:cin_contact_decide": ("POST", 400),
    "api:cin_early_help_end": ("POST", 400),
    "api:cin_referral_create": ("POST", 400),
    "api:cin_episode_close": ("POST", 400),
    "api:cin_assessment_start": ("POST", 400),
    "api:cin_assessment_update": ("PATCH", 422),  # an empty body is refused before anything else
    "api:cin_strategy_discussion_create": ("POST", 400),
    "api:cin_s47_start": ("POST", 400),
    "api:cin_s47_end": ("POST", 400),
    "api:cin_conference_create": ("POST", 400),
    "api:cin_cp_plan_start": ("POST", 400),
    "api:cin_cp_plan_update": ("PATCH", 422),  # an empty body is refused before anything else
    "api:cin_cp_review_create": ("POST", 400),
    "api:cin_core_group_create": ("POST", 400),
    "api:cin_plan_start": ("POST", 400),
    "api:cin_plan_end": ("POST", 400),
    "api:cin_pre_proceedings_create": ("POST", 400),
    "api:cin_pre_proceedings_update": (
        "PATCH",
        422,
    ),  # an empty body is refused before anything else
    # Statutory returns: only for the Returns module (no role in this world has it; the
    # performance officer's pages are tested in tests/returns)
    "returns:index": ("GET", set()),
    "returns:run": ("GET", set()),
    "returns:run-status": ("GET", set()),
    "returns:download": ("GET", set()),
    "api:return_runs_list": ("GET", set()),
    "api:return_run_start": ("POST", 400),  # an empty body is refused before anything else
    "api:return_run_read": ("GET", set()),
    "api:return_run_files": ("GET", set()),
}
# Routes whose allowed users get another success than 200 (POST pages: 302).
SUCCESS = {"api:duplicate_scan_start": 202}
# Redirect status where 302 answers are fine for some users, e.g. decided per user below.
POST_ONLY_404 = {"accounts:admin-reset-second-factor", "accounts:admin-unlock"}


def all_routes() -> dict[str, URLPattern]:
    found: dict[str, URLPattern] = {}

    def walk(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                if pattern.namespace and namespace:
                    ns = f"{namespace}:{pattern.namespace}"
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = pattern

    walk(get_resolver().url_patterns, None)
    return found


def test_every_route_has_a_decision():
    undecided = set(all_routes()) - set(ROUTES) - PERSON_ROUTES
    assert not undecided, f"Routes with no decision in the permission matrix: {sorted(undecided)}"


@pytest.fixture
def world():
    built = world_module.build()
    breaker = factories.user("social_worker", in_team=built.south)
    access_services.break_glass_start(
        actor=verified(breaker),
        person_id=built.own.pk,
        reason="Police at the door out of hours asking about the child",
    )
    built.breaker = breaker  # type: ignore[attr-defined]
    return built


def verified(user):
    user.is_verified = lambda: True
    return user


def route_url(name: str, world) -> str:
    from django.urls import reverse

    lazy_args = {
        "accounts:admin-user": lambda: [world.worker.pk],
        "accounts:admin-membership-add": lambda: [world.worker.pk],
        "accounts:admin-leaver": lambda: [world.worker.pk],
        "accounts:admin-reset-second-factor": lambda: [world.colleague.pk],
        "accounts:admin-unlock": lambda: [world.colleague.pk],
        "accounts:admin-reset-password": lambda: [world.colleague.pk],
        "accounts:admin-membership-end": lambda: [
            Membership.objects.filter(user=world.colleague).first().pk
        ],
        "access:break-glass-review": lambda: [BreakGlassGrant.objects.get().pk],
        "access:conflict-end": lambda: [Conflict.objects.filter(ended_at__isnull=True).first().pk],
        "access:group-edit": lambda: [RestrictionGroup.objects.get().pk],
        "people:restriction-end": lambda: [
            PersonRestriction.objects.filter(ended_at__isnull=True).first().pk
        ],
        "people:alert-review": lambda: [world.own.pk, own_rows(world).alert.pk],
        "people:relationship-end": lambda: [world.own.pk, own_rows(world).relationship.pk],
        "people:household-member-add": lambda: [world.own.pk, own_rows(world).household.pk],
        "people:household-member-end": lambda: [world.own.pk, own_rows(world).member.pk],
        "people:professional-end": lambda: [world.own.pk, own_rows(world).professional.pk],
        "people:identifier-end": lambda: [world.own.pk, own_rows(world).identifier.pk],
        "people:contact-end": lambda: [world.own.pk, own_rows(world).contact.pk],
        "people:merge": lambda: [world.own.la_number, world.team_person.la_number],
        "people:unmerge": lambda: [own_rows(world).merge.pk],
        "api:duplicate_scan_read": lambda: [duplicate_scan().pk],
        "api:person_update": lambda: [world.own.pk],
        "api:person_identifiers": lambda: [world.own.pk],
        "work:item": lambda: [own_rows(world).work_item.pk],
        "work:item-action": lambda: [own_rows(world).work_item.pk, "allocate"],
        "work:person-allocate": lambda: [world.own.pk, own_rows(world).involvement.pk],
        "work:reallocate": lambda: [world.north.pk, world.worker.pk],
        "work:timescale-end": lambda: [
            TimescaleRule.objects.filter(code="cf-assessment", effective_to__isnull=True).get().pk
        ],
        "api:person_work_items": lambda: [world.own.pk],
        "api:work_item_create": lambda: [world.own.pk],
        "api:work_item_read": lambda: [own_rows(world).work_item.pk],
        "api:work_item_act": lambda: [own_rows(world).work_item.pk, "start"],
        "api:person_involvements": lambda: [world.own.pk],
        "api:person_allocate": lambda: [world.own.pk, own_rows(world).involvement.pk],
        "api:relationships_list": lambda: [world.own.pk],
        "api:relationship_add": lambda: [world.own.pk],
        "api:relationship_end": lambda: [world.own.pk, own_rows(world).relationship.pk],
        "api:alerts_list": lambda: [world.own.pk],
        "api:alert_add": lambda: [world.own.pk],
        "api:alert_review": lambda: [world.own.pk, own_rows(world).alert.pk],
        "eforms:submission": lambda: [own_rows(world).form.pk],
        "eforms:autosave": lambda: [own_rows(world).form.pk],
        "eforms:submission-pdf": lambda: [own_rows(world).form.pk],
        "eforms:amend": lambda: [own_rows(world).form.pk],
        "eforms:attachment": lambda: [own_rows(world).form.pk, own_rows(world).form_file.pk],
        "eforms:definition": lambda: [own_rows(world).form.version.definition_id],
        "eforms:version": lambda: [own_rows(world).form.version_id],
        "api:form_definition": lambda: ["child-and-family-assessment"],
        "api:person_forms": lambda: [world.own.pk],
        "api:form_start": lambda: [world.own.pk],
        "api:form_read": lambda: [own_rows(world).form.pk],
        "api:form_save": lambda: [own_rows(world).form.pk],
        "api:form_submit": lambda: [own_rows(world).form.pk],
        "recording:note": lambda: [world.own.pk, own_rows(world).note.thread_id],
        "recording:note-pdf": lambda: [world.own.pk, own_rows(world).note.thread_id],
        "recording:note-correct": lambda: [world.own.pk, own_rows(world).note.thread_id],
        "recording:note-delete": lambda: [world.own.pk, own_rows(world).note.thread_id],
        "recording:note-pin": lambda: [world.own.pk, own_rows(world).note.thread_id],
        "recording:visit": lambda: [world.own.pk, own_rows(world).visit.pk],
        "recording:note-autosave": lambda: [world.own.pk],
        "recording:note-draft": lambda: [world.own.pk, own_rows(world).draft.pk],
        "recording:note-draft-discard": lambda: [world.own.pk, own_rows(world).draft.pk],
        "recording:note-amend": lambda: [world.own.pk, own_rows(world).note.thread_id],
        "api:note_read": lambda: [world.own.pk, own_rows(world).note.thread_id],
        "api:note_amend": lambda: [world.own.pk, own_rows(world).note.thread_id],
        "api:note_drafts_list": lambda: [world.own.pk],
        "api:note_draft_save": lambda: [world.own.pk, uuid.uuid4()],
        "api:note_draft_discard": lambda: [world.own.pk, uuid.uuid4()],
        "api:note_draft_finish": lambda: [world.own.pk, uuid.uuid4()],
        "api:notes_list": lambda: [world.own.pk],
        "api:note_create": lambda: [world.own.pk],
        "api:note_correct": lambda: [world.own.pk, own_rows(world).note.thread_id],
        "api:note_delete": lambda: [world.own.pk, own_rows(world).note.thread_id],
        "api:visits_list": lambda: [world.own.pk],
        "api:visit_create": lambda: [world.own.pk],
        "api:looked_after_read": lambda: [world.own.pk],
        "api:care_start": lambda: [world.own.pk],
        "api:legal_status_change": lambda: [world.own.pk],
        "api:placement_change": lambda: [world.own.pk],
        "api:placement_return": lambda: [world.own.pk],
        "api:care_end": lambda: [world.own.pk],
        "api:review_create": lambda: [world.own.pk],
        "api:iro_contact_create": lambda: [world.own.pk],
        "api:health_check_create": lambda: [world.own.pk],
        "api:sdq_create": lambda: [world.own.pk],
        "api:wellbeing_create": lambda: [world.own.pk],
        "api:missing_create": lambda: [world.own.pk],
        "api:uasc_create": lambda: [world.own.pk],
        "api:dolo_create": lambda: [world.own.pk],
        "api:sw_episode_create": lambda: [world.own.pk],
        "api:adoption_create": lambda: [world.own.pk],
        "api:previous_permanence_create": lambda: [world.own.pk],
        "api:care_leaver_contact_create": lambda: [world.own.pk],
        "api:missing_update": lambda: [world.own.pk, uuid.uuid4()],
        "api:sw_episodes_derive": lambda: [world.own.pk],
        "api:adoption_list": lambda: [world.own.pk],
        "api:adoption_update": lambda: [world.own.pk, cla_rows(world).adoption.pk],
        "api:uasc_end": lambda: [world.own.pk, cla_rows(world).uasc.pk],
        "api:dolo_end": lambda: [world.own.pk, cla_rows(world).dolo.pk],
        "children:cla-adoption-stage": lambda: [
            world.own.pk,
            cla_rows(world).adoption.pk,
            "placement-order",
        ],
        "children:cla-dolo-end": lambda: [world.own.pk, cla_rows(world).dolo.pk],
        "children:cla-uasc-end": lambda: [world.own.pk, cla_rows(world).uasc.pk],
        "returns:run": lambda: [uuid.uuid4()],
        "returns:run-status": lambda: [uuid.uuid4()],
        "returns:download": lambda: [uuid.uuid4(), "annex-a.xlsx"],
        "api:return_run_read": lambda: [uuid.uuid4()],
        "api:return_run_files": lambda: [uuid.uuid4()],
    }
    if name.startswith(("children:cin-", "api:cin_")) and name not in lazy_args:
        return reverse(name, args=cin_route_args(name, world))
    args = lazy_args[name]() if name in lazy_args else []
    return reverse(name, args=args)


def duplicate_scan():
    """The first duplicate scan asked for; if none, one run to the end here."""
    from kith.people import services_duplicates
    from kith.people.models import DuplicateScan

    scan = DuplicateScan.objects.order_by("created_at").first()
    if scan is None:
        scan = services_duplicates.duplicate_scan_start(actor=None, run_in_background=False)
        services_duplicates.duplicate_scan_run(scan_id=scan.pk)
    return scan


def cin_route_args(name: str, world) -> list:
    """Arguments of the child in need journey's routes about one row on `own`."""
    rows = cin_rows(world)
    own = world.own.pk
    row_for = {
        "contact-decide": rows.contact,
        "contact_decide": rows.contact,
        "episode-close": rows.episode,
        "assessment-add": rows.episode,
        "strategy-add": rows.episode,
        "s47-add": rows.episode,
        "icpc-add": rows.episode,
        "plan-add": rows.episode,
        "pre-proceedings-add": rows.episode,
        "episode_close": rows.episode,
        "assessment_start": rows.episode,
        "strategy_discussion_create": rows.episode,
        "s47_start": rows.episode,
        "conference_create": rows.episode,
        "cp_plan_start": rows.episode,
        "plan_start": rows.episode,
        "pre_proceedings_create": rows.episode,
        "assessment": rows.assessment,
        "assessment_update": rows.assessment,
        "s47-end": rows.s47,
        "s47_end": rows.s47,
        "cp-review-add": rows.cp_plan,
        "core-group-add": rows.cp_plan,
        "cp_plan_update": rows.cp_plan,
        "cp_review_create": rows.cp_plan,
        "core_group_create": rows.cp_plan,
        "plan-end": rows.cin_plan,
        "plan_end": rows.cin_plan,
        "early_help_end": rows.early_help,
        "pre_proceedings_update": rows.pre_proceedings,
    }
    key = name.split(":", 1)[1].removeprefix("cin-").removeprefix("cin_")
    return [own, row_for[key].pk] if key in row_for else [own]


def cin_rows(world):
    """A contact, early help and a CIN episode with every record on `own`; made once."""
    if not hasattr(world, "cin_rows"):
        from types import SimpleNamespace

        from kith.children import services_cin as cin
        from kith.core import calendar

        def ago(n: int):
            day = timezone.localdate()
            while n > 0 or not calendar.is_working_day(day):
                day -= dt.timedelta(days=1)
                n -= calendar.is_working_day(day)
            return day

        contact = cin.contact_record(
            actor=None,
            person=world.own,
            team=world.north,
            received_at=timezone.now(),
            source="1A",
            referrer="Matrix",
            summary="Matrix contact",
        )
        episode = cin.referral_record(
            actor=None,
            person=world.own,
            team=world.north,
            referral_date=ago(60),
            referral_source="1A",
            primary_need="N1",
        )
        cin_plan = cin.cin_plan_start(actor=None, episode=episode, start_date=ago(50))
        cin.cin_plan_end(actor=None, plan=cin_plan, end_date=ago(40))
        world.cin_rows = SimpleNamespace(
            contact=contact,
            early_help=cin.early_help_start(
                actor=None,
                person=world.own,
                start_date=ago(70),
                reason="Matrix",
                organisation="Hub",
            ),
            episode=episode,
            assessment=cin.assessment_start(actor=None, episode=episode, start_date=ago(59)),
            s47=cin.s47_start(actor=None, episode=episode, start_date=ago(30)),
            cp_plan=cin.cp_plan_start(
                actor=None, episode=episode, start_date=ago(20), initial_category="NEG"
            ),
            cin_plan=cin_plan,
            pre_proceedings=cin.pre_proceedings_save(
                actor=None, episode=episode, start_date=ago(10)
            ),
        )
    return world.cin_rows


def cla_rows(world):
    """An adoption decision, a DoLO order and UASC status on `own`; made once."""
    if not hasattr(world, "cla_rows"):
        from types import SimpleNamespace

        from kith.children import services_cla as cla

        month_ago = timezone.localdate() - dt.timedelta(days=30)
        world.cla_rows = SimpleNamespace(
            adoption=cla.adoption_record(actor=None, person=world.own, adm_decision_date=month_ago),
            dolo=cla.dolo_record(actor=None, person=world.own, start_date=month_ago),
            uasc=cla.uasc_record(actor=None, person=world.own, start_date=month_ago),
        )
    return world.cla_rows


def own_rows(world):
    """Rows on `own`'s record for the routes about one row; made once per world."""
    if not hasattr(world, "rows"):
        from types import SimpleNamespace

        from kith.people import services as people
        from kith.recording import services as recording
        from kith.recording.models import NoteType, VisitType
        from kith.work import services as work
        from kith.work.models import Involvement, WorkItemType

        sibling = factories.person("Sib", "Ling")
        factories.involve(sibling, world.north)
        household = people.household_create(actor=None, name="Own's household", members=[world.own])
        twin_a = factories.person("Twin", "Alpha")
        twin_b = factories.person("Twin", "Beta")
        admin = world.admin
        admin.is_verified = lambda: True
        world.rows = SimpleNamespace(
            alert=people.alert_add(
                actor=None,
                person=world.own,
                kind="other",
                text="Alert",
                review_date=timezone.localdate() + dt.timedelta(days=30),
            ),
            relationship=people.relationship_add(
                actor=None, person=world.own, other=sibling, kind="sibling"
            ),
            household=household,
            member=household.members.get(),
            professional=people.professional_add(
                actor=None, person=world.own, role="gp", contact_name="Dr Example"
            ),
            identifier=people.identifier_add(
                actor=None, person=world.own, kind="legacy", value="L1", system="CareFirst"
            ),
            contact=people.contact_add(
                actor=None, person=world.own, kind="mobile", value="07700 900001"
            ),
            merge=people.person_merge(actor=admin, survivor=twin_a, merged=twin_b, reason="Test"),
            work_item=work.work_item_create(
                actor=None,
                person=world.own,
                item_type=WorkItemType.objects.get(code="cin-visit"),
                team=world.north,
            ),
            involvement=Involvement.objects.get(person=world.own, team=world.north),
            note=recording.note_add(
                actor=None,
                person=world.own,
                note_type=NoteType.objects.get(code="case-note"),
                event_date=timezone.localdate(),
                narrative="A note for the matrix",
            )[0],
            visit=recording.visit_plan(
                actor=None,
                person=world.own,
                visit_type=VisitType.objects.get(code="cin-visit"),
                planned_date=timezone.localdate(),
            ),
        )
        world.rows.form, world.rows.form_file = _own_form(world)
        from kith.recording import services_drafts

        world.rows.draft = services_drafts.note_draft_save(
            actor=verified(world.worker),
            person=world.own,
            draft_id=uuid.uuid4(),
            values=services_drafts.DraftValues(narrative="A draft for the matrix"),
        )
    return world.rows


def _own_form(world):
    """A form on `own`, with a file, sent for the manager's approval."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kith.eforms import services as eforms

    version = eforms.definition_load(
        actor=None,
        data={
            "code": "matrix-form",
            "title": "Matrix form",
            "needs_approval": True,
            "sections": [
                {
                    "key": "only",
                    "title": "Only",
                    "questions": [
                        {"key": "note", "label": "Note", "type": "text", "required": True},
                        {"key": "file", "label": "File", "type": "file", "accept": ["txt"]},
                    ],
                }
            ],
        },
    )
    worker = verified(world.worker)
    form = eforms.submission_start(actor=worker, person=world.own, version=version)
    form = eforms.submission_save(actor=worker, submission=form, answers={"note": "Seen"})
    file = eforms.attachment_add(
        actor=worker,
        submission=form,
        question_key="file",
        upload=SimpleUploadedFile("note.txt", b"note", content_type="text/plain"),
    )
    return eforms.submission_submit(actor=worker, submission=form), file


def test_routes_for_every_user(world, signed_in_client):
    clients = {name: signed_in_client(user=getattr(world, name)) for name in USERS}
    for route, (method, allowed) in ROUTES.items():
        if route in {
            "accounts:admin-reset-password",
            "accounts:sign-out",
            "access:conflict-end",
            "people:restriction-end",
            "accounts:admin-reset-second-factor",
        }:
            continue  # these change state: checked last, below
        url = route_url(route, world)
        for user in USERS:
            response = getattr(clients[user], method.lower())(url)
            if isinstance(allowed, int):
                expected = allowed
            elif isinstance(allowed, dict):
                expected = allowed.get(user, 403)
            else:
                expected = 200 if user in allowed else 403
            if expected == 200 and route in SUCCESS:
                expected = SUCCESS[route]
            elif expected == 200 and method == "POST":
                expected = 302
            assert response.status_code == expected, (
                f"{user} {method} {route}: {response.status_code}"
            )


def test_state_changing_routes_refuse_everyone_but_administrators(world, signed_in_client):
    clients = {name: signed_in_client(user=getattr(world, name)) for name in USERS}
    for route in (
        "access:conflict-end",
        "people:restriction-end",
        "accounts:admin-reset-second-factor",
        "accounts:admin-reset-password",
    ):
        url = route_url(route, world)
        for user in USERS:
            if user == "admin":
                continue
            response = clients[user].post(url)
            assert response.status_code == 403, f"{user} POST {route}"
        admin = clients["admin"]
        assert admin.get(url).status_code == 405
        response = admin.post(url)
        expected = 200 if route == "accounts:admin-reset-password" else 302
        assert response.status_code == expected, f"admin POST {route}: {response.status_code}"


def test_person_routes_for_every_user_and_every_state(world, signed_in_client):
    from django.urls import reverse

    clients = {name: signed_in_client(user=getattr(world, name)) for name in USERS}
    for route in sorted(PERSON_ROUTES):
        for user in USERS:
            for person in PEOPLE:
                url = (
                    reverse(route, args=[getattr(world, person).pk])
                    if route != "api:person_read"
                    else f"/api/v1/people/{getattr(world, person).pk}"
                )
                status = clients[user].get(url).status_code
                expected = person_route_status(route, user, person)
                assert status == expected, (
                    f"{user} → {route} for {person}: {status}, expected {expected}"
                )


def test_an_id_that_was_never_issued_looks_like_a_hidden_one(world, signed_in_client):
    client = signed_in_client(user=world.worker)
    assert client.get(f"/people/{uuid.uuid4()}").status_code == 404
    assert client.get(f"/api/v1/people/{uuid.uuid4()}").status_code == 404


def test_allocation_and_its_end_grant_and_revoke_access(world, signed_in_client):
    from kith.work.services import allocation_end, allocation_start

    client = signed_in_client(user=world.outsider)
    south_person = world.other
    north_person = world.team_person
    assert client.get(f"/people/{north_person.pk}").status_code == 403
    # the outsider joins North too and is allocated: access follows the allocation
    Membership.objects.create(
        user=world.outsider,
        team=world.north,
        role_id="social_worker",
        start_date=dt.date(2024, 1, 1),
    )
    allocation = allocation_start(
        actor=None,
        person=north_person,
        team=world.north,
        worker=world.outsider,
        start_date=dt.date(2024, 1, 1),
    )
    assert client.get(f"/people/{north_person.pk}").status_code == 200
    # when the allocation and the membership end, so does the access
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    allocation_end(actor=None, allocation=allocation, end_date=yesterday, reason="Case closed")
    Membership.objects.filter(user=world.outsider, team=world.north).update(end_date=yesterday)
    assert client.get(f"/people/{north_person.pk}").status_code == 403
    assert client.get(f"/people/{south_person.pk}").status_code == 200
