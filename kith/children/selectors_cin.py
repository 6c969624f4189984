"""Reads of the child in need journey. Every function taking ``person`` expects one from
``people.selectors.person_get`` (which applied the access policy and audited opening the
record); these add the audit entry of what was read. ``person_cin_events`` (for the
chronology) applies no policy: it is called only through ``people.selectors.person_chronology``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.utils import timezone

from kith.access.policy import Decision
from kith.accounts.models import User
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.children import codes_cin
from kith.children.models import (
    Assessment,
    CINEpisode,
    CINPlan,
    Contact,
    CoreGroup,
    CPPlan,
    CPReview,
    EarlyHelpEpisode,
    InitialConference,
    PreProceedings,
    Section47,
    StrategyDiscussion,
)
from kith.core import codelists
from kith.people.chronology import ChronologyEvent, EventType
from kith.people.models import Person
from kith.work import selectors as work_selectors

AnyUser = User | AnonymousUser
M = TypeVar("M", bound=Model)


@dataclass
class EpisodeView:
    episode: CINEpisode
    assessments: list[Assessment] = field(default_factory=list)
    discussions: list[StrategyDiscussion] = field(default_factory=list)
    enquiries: list[Section47] = field(default_factory=list)
    conferences: list[InitialConference] = field(default_factory=list)
    cp_plans: list[CPPlan] = field(default_factory=list)
    reviews: list[CPReview] = field(default_factory=list)
    core_groups: list[CoreGroup] = field(default_factory=list)
    cin_plans: list[CINPlan] = field(default_factory=list)
    pre_proceedings: list[PreProceedings] = field(default_factory=list)


@dataclass
class CaseStatus:
    """The child's status in the journey, as Annex A list 6 and the summary use it."""

    code: str  # "cp", "cin-plan", "open-assessment", "open-episode", "closed", "none"
    label: str
    since: dt.date | None = None
    category: str = ""  # a CP plan's latest category of abuse
    episode: CINEpisode | None = None
    cp_plan: CPPlan | None = None
    cin_plan: CINPlan | None = None
    worker: str = ""
    team: str = ""
    next_review: dt.date | None = None
    next_visit: dt.date | None = None
    next_core_group: dt.date | None = None


@dataclass
class CinRecord:
    status: CaseStatus
    contacts: list[Contact]
    early_help: list[EarlyHelpEpisode]
    episodes: list[EpisodeView]


def _audit(
    user: AnyUser, person: Person, action: Action, what: str, ids: list[Any], rule: str = ""
) -> None:
    audit_record(
        actor=user,
        action=action,
        person_id=person.pk,
        object_type=f"children.{what}",
        object_id=person.pk,
        rule=rule,
        result_ids=sorted(str(i) for i in ids),
    )


def _status(person: Person) -> CaseStatus:
    episodes = list(CINEpisode.objects.filter(person=person).select_related("team"))
    open_episode = next(
        (
            e
            for e in sorted(episodes, key=lambda e: e.referral_date, reverse=True)
            if e.closure_date is None and not e.referral_nfa
        ),
        None,
    )
    cp_plan = CPPlan.objects.filter(person=person, end_date__isnull=True).first()
    cin_plan = CINPlan.objects.filter(person=person, end_date__isnull=True).first()
    if cp_plan is not None:
        status = CaseStatus(
            "cp",
            f"Child protection plan ({cp_plan.latest_category})",
            cp_plan.start_date,
            cp_plan.latest_category,
        )
    elif cin_plan is not None:
        status = CaseStatus("cin-plan", "Child in need plan", cin_plan.start_date)
    elif (
        open_episode is not None
        and Assessment.objects.filter(
            episode=open_episode, authorisation_date__isnull=True
        ).exists()
    ):
        status = CaseStatus("open-assessment", "Open assessment", open_episode.referral_date)
    elif open_episode is not None:
        status = CaseStatus("open-episode", "Child in need", open_episode.referral_date)
    elif episodes:
        last = max(episodes, key=lambda e: e.referral_date)
        status = CaseStatus("closed", "Closed episode", last.closure_date or last.referral_date)
    else:
        status = CaseStatus("none", "No child in need episode")
    status.episode, status.cp_plan, status.cin_plan = open_episode, cp_plan, cin_plan
    if open_episode is not None:
        status.team = open_episode.team.name
        for involvement in work_selectors.person_involvements(person=person):
            allocation = getattr(involvement, "current_allocation", None)
            if involvement.team_id == open_episode.team_id and allocation is not None:
                status.worker = allocation.worker.display_name
    due: dict[str, dt.date] = {}
    for item in work_selectors.person_work_items(person=person, include_closed=False):
        if item.due_date and (
            item.item_type.code not in due or item.due_date < due[item.item_type.code]
        ):
            due[item.item_type.code] = item.due_date
    status.next_review = due.get("cp-review")
    status.next_core_group = due.get("core-group")
    status.next_visit = due.get("cp-visit") if cp_plan else due.get("cin-visit")
    return status


def case_status(*, user: AnyUser, person: Person) -> CaseStatus:
    """The child's current status (CP + category / CIN plan / open assessment / open episode /
    closed), worker and the next dates due: for the summary panel and the returns."""
    status = _status(person)
    if status.code != "none":  # nothing read, nothing to record (the summary is audited)
        ids = [r.pk for r in (status.episode, status.cp_plan, status.cin_plan) if r is not None]
        _audit(user, person, Action.VIEW, "casestatus", ids)
    return status


def person_cin_record(
    *, user: AnyUser, person: Person, decision: Decision | None = None
) -> CinRecord:
    """Everything on the child's journey, newest first, for the Children's tab and the API."""
    contacts = list(Contact.objects.filter(person=person).order_by("-received_at"))
    early_help = list(EarlyHelpEpisode.objects.filter(person=person).order_by("-start_date"))
    episodes = [
        EpisodeView(e)
        for e in CINEpisode.objects.filter(person=person)
        .select_related("team")
        .order_by("-referral_date", "-created_at")
    ]
    by_id = {v.episode.pk: v for v in episodes}
    ids: list[Any] = [c.pk for c in contacts] + [e.pk for e in early_help] + list(by_id)
    for model, name, order in (
        (Assessment, "assessments", "start_date"),
        (StrategyDiscussion, "discussions", "discussion_date"),
        (Section47, "enquiries", "start_date"),
        (InitialConference, "conferences", "conference_date"),
        (CPPlan, "cp_plans", "start_date"),
        (CINPlan, "cin_plans", "start_date"),
        (PreProceedings, "pre_proceedings", "start_date"),
    ):
        for row in model.objects.filter(person=person).order_by(f"-{order}"):
            getattr(by_id[row.episode_id], name).append(row)
            ids.append(row.pk)
    plans = {p.pk: v for v in episodes for p in v.cp_plans}
    for review in CPReview.objects.filter(person=person).order_by("-review_date"):
        plans[review.plan_id].reviews.append(review)
        ids.append(review.pk)
    for meeting in CoreGroup.objects.filter(person=person).order_by("-meeting_date"):
        plans[meeting.plan_id].core_groups.append(meeting)
        ids.append(meeting.pk)
    status = _status(person)
    _audit(user, person, Action.LIST, "cinrecord", ids, decision.rule if decision else "")
    return CinRecord(status, contacts, early_help, episodes)


def _get(user: AnyUser, person: Person, model: type[M], pk: object) -> M | None:
    try:
        key = uuid.UUID(str(pk))
    except ValueError:
        return None
    row = model._default_manager.filter(pk=key, person=person).first()
    if row is not None:
        audit_record(
            actor=user,
            action=Action.VIEW,
            person_id=person.pk,
            object_type=f"children.{model.__name__.lower()}",
            object_id=row.pk,
        )
    return row


def contact_get(*, user: AnyUser, person: Person, contact_id: object) -> Contact | None:
    return _get(user, person, Contact, contact_id)


def early_help_get(
    *, user: AnyUser, person: Person, early_help_id: object
) -> EarlyHelpEpisode | None:
    return _get(user, person, EarlyHelpEpisode, early_help_id)


def episode_get(*, user: AnyUser, person: Person, episode_id: object) -> CINEpisode | None:
    return _get(user, person, CINEpisode, episode_id)


def assessment_get(*, user: AnyUser, person: Person, assessment_id: object) -> Assessment | None:
    return _get(user, person, Assessment, assessment_id)


def discussion_get(
    *, user: AnyUser, person: Person, discussion_id: object
) -> StrategyDiscussion | None:
    return _get(user, person, StrategyDiscussion, discussion_id)


def s47_get(*, user: AnyUser, person: Person, s47_id: object) -> Section47 | None:
    return _get(user, person, Section47, s47_id)


def cp_plan_get(*, user: AnyUser, person: Person, plan_id: object) -> CPPlan | None:
    return _get(user, person, CPPlan, plan_id)


def cin_plan_get(*, user: AnyUser, person: Person, plan_id: object) -> CINPlan | None:
    return _get(user, person, CINPlan, plan_id)


def pre_proceedings_get(
    *, user: AnyUser, person: Person, pre_proceedings_id: object
) -> PreProceedings | None:
    return _get(user, person, PreProceedings, pre_proceedings_id)


# --- Code lists for the forms ---


def code_choices(list_name: str, on: dt.date | None = None) -> list[tuple[str, str]]:
    """A DfE list (kith.core.codelists) or one of the part's local lists."""
    if list_name.startswith("cin_"):
        return codelists.choices(list_name, on)
    return codes_cin.choices(list_name, on)


# --- Chronology ---

MODULE = "Children's social care"
CONTACT = EventType("children.cin_contact", "Contacts", MODULE)
REFERRAL = EventType("children.cin_referral", "Referrals and closures", MODULE)
ASSESSMENT = EventType("children.cin_assessment", "Assessments", MODULE)
STRATEGY = EventType("children.cin_strategy", "Strategy discussions and S47 enquiries", MODULE)
CONFERENCE = EventType("children.cin_conference", "Child protection conferences", MODULE)
CP_PLAN = EventType("children.cin_cp_plan", "Child protection plans", MODULE)
CORE_GROUP = EventType("children.cin_core_group", "Core groups", MODULE)
CIN_PLAN = EventType("children.cin_plan", "CIN plans", MODULE)
PRE_PROCEEDINGS = EventType("children.cin_pre_proceedings", "Pre-proceedings", MODULE)
EVENT_TYPES = (
    CONTACT,
    REFERRAL,
    ASSESSMENT,
    STRATEGY,
    CONFERENCE,
    CP_PLAN,
    CORE_GROUP,
    CIN_PLAN,
    PRE_PROCEEDINGS,
)


def _by(row: Any) -> str:
    return row.created_by.display_name if row.created_by else ""


def person_cin_events(*, person_id: uuid.UUID) -> list[ChronologyEvent]:
    """Every statutory event of the journey. No policy here (see the module's docstring)."""
    events: list[ChronologyEvent] = []

    def add(day: dt.date | None, kind: EventType, title: str, row: Any, detail: str = "") -> None:
        if day is not None:
            events.append(ChronologyEvent(day, kind.code, title, detail, _by(row), MODULE))

    for c in Contact.objects.filter(person_id=person_id).select_related("created_by"):
        add(
            timezone.localtime(c.received_at).date(),
            CONTACT,
            f"Contact from {c.referrer}",
            c,
            c.summary[:200],
        )
        if c.decision:
            add(
                c.decided_on,
                CONTACT,
                f"Contact decision: {codes_cin.label('contact_outcome', c.decision)}",
                c,
            )
    for h in EarlyHelpEpisode.objects.filter(person_id=person_id).select_related("created_by"):
        add(h.start_date, CONTACT, f"Early help started ({h.organisation})", h)
        add(h.end_date, CONTACT, "Early help ended", h, h.end_reason)
    for e in CINEpisode.objects.filter(person_id=person_id).select_related("created_by"):
        nfa = ", no further action" if e.referral_nfa else ""
        add(
            e.referral_date, REFERRAL, f"Referral (need {e.primary_need or 'not recorded'}{nfa})", e
        )
        add(e.closure_date, REFERRAL, f"Child in need episode closed ({e.closure_reason})", e)
    for a in Assessment.objects.filter(person_id=person_id).select_related("created_by"):
        add(a.start_date, ASSESSMENT, "Child and family assessment started", a)
        add(
            a.authorisation_date,
            ASSESSMENT,
            "Child and family assessment authorised",
            a,
            ", ".join(a.factors),
        )
    for d in StrategyDiscussion.objects.filter(person_id=person_id).select_related("created_by"):
        decided = "section 47 enquiry" if d.start_s47 else "no section 47 enquiry"
        add(d.discussion_date, STRATEGY, f"Strategy discussion: {decided}", d)
    for s in Section47.objects.filter(person_id=person_id).select_related("created_by"):
        add(s.start_date, STRATEGY, "Section 47 enquiry started", s)
        if s.end_date:
            add(
                s.end_date,
                STRATEGY,
                f"Section 47 enquiry ended: {codes_cin.label('s47_outcome', s.outcome)}",
                s,
            )
    for i in InitialConference.objects.filter(person_id=person_id).select_related("created_by"):
        outcome = "child protection plan" if i.cp_plan else "no plan"
        add(i.conference_date, CONFERENCE, f"Initial child protection conference: {outcome}", i)
    for p in CPPlan.objects.filter(person_id=person_id).select_related("created_by"):
        add(p.start_date, CP_PLAN, f"Child protection plan started ({p.initial_category})", p)
        add(p.end_date, CP_PLAN, "Child protection plan ended", p)
    for r in CPReview.objects.filter(person_id=person_id).select_related("created_by"):
        outcome = "plan continues" if r.continue_plan else "plan ends"
        add(r.review_date, CONFERENCE, f"Child protection review: {outcome}", r)
    for g in CoreGroup.objects.filter(person_id=person_id).select_related("created_by"):
        add(g.meeting_date, CORE_GROUP, "Core group meeting", g)
    for n in CINPlan.objects.filter(person_id=person_id).select_related("created_by"):
        add(n.start_date, CIN_PLAN, "Child in need plan started", n)
        add(n.end_date, CIN_PLAN, "Child in need plan ended", n)
    for pp in PreProceedings.objects.filter(person_id=person_id).select_related("created_by"):
        add(pp.start_date, PRE_PROCEEDINGS, "Pre-proceedings started", pp)
        add(pp.court_application_date, PRE_PROCEEDINGS, "Application to court", pp)
    return events
