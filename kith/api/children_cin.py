"""The child in need journey in the JSON API (a router added to ``kith.api.v1.api``).
Endpoints open the child through ``people.selectors.person_get`` and call the CIN part's
selectors and services only; the exception handlers of ``v1`` turn refusals into
403/404/410/422 (a broken CIN census rule is a 422 naming the rule)."""

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema, Status

from kith.access.policy import Do
from kith.accounts.models import Team
from kith.accounts.selectors import user_current_memberships
from kith.api.schemas import ErrorOut
from kith.children import selectors_cin as selectors
from kith.children import services_cin as services
from kith.people import selectors as people
from kith.work import selectors as work_selectors

router = Router(tags=["children: child in need"])

BASE = "/people/{person_id}/children/cin"


# --- Schemas ---


class StatusOut(Schema):
    code: str
    label: str
    since: dt.date | None
    category: str
    episode_id: uuid.UUID | None
    cp_plan_id: uuid.UUID | None
    cin_plan_id: uuid.UUID | None
    team: str
    worker: str
    next_review: dt.date | None
    next_core_group: dt.date | None
    next_visit: dt.date | None


class ContactOut(Schema):
    id: uuid.UUID
    team_id: uuid.UUID
    received_at: dt.datetime
    source: str
    referrer: str
    summary: str
    priority: str
    screening: str
    decision: str
    decided_on: dt.date | None
    decision_reason: str


class EarlyHelpOut(Schema):
    id: uuid.UUID
    contact_id: uuid.UUID | None
    start_date: dt.date
    end_date: dt.date | None
    reason: str
    end_reason: str
    organisation: str


class AssessmentOut(Schema):
    id: uuid.UUID
    start_date: dt.date
    child_seen_date: dt.date | None
    internal_review_date: dt.date | None
    authorisation_date: dt.date | None
    factors: list[str]
    outcome: str
    outcome_nfa: bool


class StrategyDiscussionOut(Schema):
    id: uuid.UUID
    discussion_date: dt.date
    attendees: str
    start_s47: bool
    notes: str


class Section47Out(Schema):
    id: uuid.UUID
    strategy_discussion_id: uuid.UUID | None
    start_date: dt.date
    end_date: dt.date | None
    outcome: str
    icpc_target_date: dt.date | None
    icpc_not_required: bool


class ConferenceOut(Schema):
    id: uuid.UUID
    section47_id: uuid.UUID | None
    target_date: dt.date | None
    conference_date: dt.date
    transfer_in: bool
    cp_plan: bool


class CPReviewOut(Schema):
    id: uuid.UUID
    due_date: dt.date | None
    review_date: dt.date
    continue_plan: bool
    quorate: bool
    participation: str


class CoreGroupOut(Schema):
    id: uuid.UUID
    meeting_date: dt.date
    attendees: str


class CPPlanOut(Schema):
    id: uuid.UUID
    conference_id: uuid.UUID | None
    start_date: dt.date
    end_date: dt.date | None
    initial_category: str
    latest_category: str
    previous_plans: int
    reviews: list[CPReviewOut] = []
    core_groups: list[CoreGroupOut] = []


class CINPlanOut(Schema):
    id: uuid.UUID
    start_date: dt.date
    end_date: dt.date | None


class PreProceedingsOut(Schema):
    id: uuid.UUID
    start_date: dt.date
    letter_before_proceedings_sent: dt.date | None
    fgdm_offered: bool | None
    fgdm_facilitated: bool | None
    initial_meeting_date: dt.date | None
    review_meetings: int
    step_decision_date: dt.date | None
    outcome: str
    court_application_date: dt.date | None
    letter_initial_cp_date: dt.date | None


class EpisodeOut(Schema):
    id: uuid.UUID
    team_id: uuid.UUID
    contact_id: uuid.UUID | None
    referral_date: dt.date
    referral_source: str
    primary_need: str
    referral_nfa: bool
    closure_date: dt.date | None
    closure_reason: str
    assessments: list[AssessmentOut] = []
    strategy_discussions: list[StrategyDiscussionOut] = []
    section47s: list[Section47Out] = []
    conferences: list[ConferenceOut] = []
    cp_plans: list[CPPlanOut] = []
    cin_plans: list[CINPlanOut] = []
    pre_proceedings: list[PreProceedingsOut] = []


class RecordOut(Schema):
    status: StatusOut
    contacts: list[ContactOut]
    early_help: list[EarlyHelpOut]
    episodes: list[EpisodeOut]


class ContactIn(Schema):
    team_id: uuid.UUID
    received_at: dt.datetime
    source: str
    referrer: str
    summary: str
    priority: str = "green"
    screening: str = ""


class ContactDecisionIn(Schema):
    decision: str  # local list contact_outcome: referral, early-help, advice, nfa
    decided_on: dt.date
    reason: str = ""
    screening: str | None = None
    primary_need: str = ""  # for a referral
    early_help_organisation: str = ""  # for early help


class EarlyHelpEndIn(Schema):
    end_date: dt.date
    end_reason: str


class ReferralIn(Schema):
    team_id: uuid.UUID
    referral_date: dt.date
    referral_source: str
    primary_need: str = ""
    referral_nfa: bool = False
    worker_id: uuid.UUID | None = None


class ClosureIn(Schema):
    closure_date: dt.date
    closure_reason: str


class AssessmentIn(Schema):
    start_date: dt.date
    child_seen_date: dt.date | None = None


class AssessmentUpdateIn(Schema):
    child_seen_date: dt.date | None = None
    internal_review_date: dt.date | None = None
    authorisation_date: dt.date | None = None
    factors: list[str] | None = None
    outcome: str | None = None
    outcome_nfa: bool | None = None


class StrategyDiscussionIn(Schema):
    discussion_date: dt.date
    attendees: str
    start_s47: bool
    notes: str = ""


class Section47In(Schema):
    start_date: dt.date
    strategy_discussion_id: uuid.UUID | None = None


class Section47EndIn(Schema):
    end_date: dt.date
    outcome: str
    icpc_required: bool


class ConferenceIn(Schema):
    conference_date: dt.date
    cp_plan: bool
    section47_id: uuid.UUID | None = None
    transfer_in: bool = False
    initial_category: str = ""
    notes: str = ""


class CPPlanIn(Schema):
    start_date: dt.date
    initial_category: str


class CPPlanUpdateIn(Schema):
    latest_category: str | None = None
    end_date: dt.date | None = None


class CPReviewIn(Schema):
    review_date: dt.date
    continue_plan: bool
    quorate: bool
    participation: str = ""
    latest_category: str = ""
    notes: str = ""


class CoreGroupIn(Schema):
    meeting_date: dt.date
    attendees: str
    notes: str = ""


class CINPlanIn(Schema):
    start_date: dt.date


class CINPlanEndIn(Schema):
    end_date: dt.date


class PreProceedingsIn(Schema):
    start_date: dt.date | None = None
    letter_before_proceedings_sent: dt.date | None = None
    fgdm_offered: bool | None = None
    fgdm_facilitated: bool | None = None
    initial_meeting_date: dt.date | None = None
    review_meetings: int | None = None
    step_decision_date: dt.date | None = None
    outcome: str | None = None
    court_application_date: dt.date | None = None
    letter_initial_cp_date: dt.date | None = None


# --- Helpers ---


def _status_out(status: selectors.CaseStatus) -> StatusOut:
    return StatusOut(
        code=status.code,
        label=status.label,
        since=status.since,
        category=status.category,
        episode_id=status.episode.pk if status.episode else None,
        cp_plan_id=status.cp_plan.pk if status.cp_plan else None,
        cin_plan_id=status.cin_plan.pk if status.cin_plan else None,
        team=status.team,
        worker=status.worker,
        next_review=status.next_review,
        next_core_group=status.next_core_group,
        next_visit=status.next_visit,
    )


def _plan_out(plan: Any, reviews: list[Any] = (), groups: list[Any] = ()) -> CPPlanOut:  # type: ignore[assignment]
    out = CPPlanOut.from_orm(plan)
    out.reviews = [CPReviewOut.from_orm(r) for r in reviews if r.plan_id == plan.pk]
    out.core_groups = [CoreGroupOut.from_orm(g) for g in groups if g.plan_id == plan.pk]
    return out


def _episode_out(view: selectors.EpisodeView) -> EpisodeOut:
    out = EpisodeOut.from_orm(view.episode)
    out.assessments = [AssessmentOut.from_orm(a) for a in view.assessments]
    out.strategy_discussions = [StrategyDiscussionOut.from_orm(d) for d in view.discussions]
    out.section47s = [Section47Out.from_orm(s) for s in view.enquiries]
    out.conferences = [ConferenceOut.from_orm(c) for c in view.conferences]
    out.cp_plans = [_plan_out(p, view.reviews, view.core_groups) for p in view.cp_plans]
    out.cin_plans = [CINPlanOut.from_orm(p) for p in view.cin_plans]
    out.pre_proceedings = [PreProceedingsOut.from_orm(p) for p in view.pre_proceedings]
    return out


def _edit(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id, action=Do.EDIT)
    return person


def _found(row: Any, pk: uuid.UUID) -> Any:
    if row is None:
        raise people.PersonNotFound(str(pk))
    return row


def _team(request: HttpRequest, team_id: uuid.UUID) -> Team:
    team = next(
        (
            m.team
            for m in user_current_memberships(user=request.user)  # type: ignore[arg-type]
            if m.team_id == team_id and m.team.kind == Team.Kind.TEAM
        ),
        None,
    )
    if team is None:
        raise ValidationError("team_id must be one of your current teams")
    return team


def _episode(request: HttpRequest, person: Any, episode_id: uuid.UUID) -> Any:
    found = selectors.episode_get(user=request.user, person=person, episode_id=episode_id)
    return _found(found, episode_id)


# --- Reads ---


@router.get(
    BASE,
    response={200: RecordOut, 403: ErrorOut, 404: ErrorOut},
    summary="The child's journey: status, contacts, early help, CIN episodes and all they hold",
)
def cin_record(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person, decision = people.person_get(user=request.user, person_id=person_id)
    record = selectors.person_cin_record(user=request.user, person=person, decision=decision)
    return RecordOut(
        status=_status_out(record.status),
        contacts=[ContactOut.from_orm(c) for c in record.contacts],
        early_help=[EarlyHelpOut.from_orm(h) for h in record.early_help],
        episodes=[_episode_out(v) for v in record.episodes],
    )


@router.get(
    f"{BASE}/status",
    response={200: StatusOut, 403: ErrorOut, 404: ErrorOut},
    summary="The child's case status (CP plan and category, CIN plan, open assessment…)",
)
def cin_status(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id)
    return _status_out(selectors.case_status(user=request.user, person=person))


# --- Front door ---


@router.post(
    f"{BASE}/contacts",
    response={201: ContactOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record a contact at the front door; its decision is due in one working day",
)
def cin_contact_create(request: HttpRequest, person_id: uuid.UUID, payload: ContactIn) -> Any:
    person = _edit(request, person_id)
    contact = services.contact_record(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        team=_team(request, payload.team_id),
        **payload.dict(exclude={"team_id"}),
    )
    return Status(201, ContactOut.from_orm(contact))


@router.post(
    f"{BASE}/contacts/{{contact_id}}/decision",
    response={200: ContactOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Decide on a contact: referral, early help, information and advice, or NFA",
)
def cin_contact_decide(
    request: HttpRequest, person_id: uuid.UUID, contact_id: uuid.UUID, payload: ContactDecisionIn
) -> Any:
    person = _edit(request, person_id)
    contact = _found(
        selectors.contact_get(user=request.user, person=person, contact_id=contact_id), contact_id
    )
    decided = services.contact_decide(
        actor=request.user,  # type: ignore[arg-type]
        contact=contact,
        **payload.dict(),
    )
    return ContactOut.from_orm(decided)


@router.post(
    f"{BASE}/early-help/{{early_help_id}}/end",
    response={200: EarlyHelpOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="End an early help episode",
)
def cin_early_help_end(
    request: HttpRequest, person_id: uuid.UUID, early_help_id: uuid.UUID, payload: EarlyHelpEndIn
) -> Any:
    person = _edit(request, person_id)
    episode = _found(
        selectors.early_help_get(user=request.user, person=person, early_help_id=early_help_id),
        early_help_id,
    )
    ended = services.early_help_end(actor=request.user, episode=episode, **payload.dict())  # type: ignore[arg-type]
    return EarlyHelpOut.from_orm(ended)


# --- Referral and episode ---


@router.post(
    f"{BASE}/referrals",
    response={201: EpisodeOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record a referral: a CIN episode starts, and the 45-working-day assessment clock",
)
def cin_referral_create(request: HttpRequest, person_id: uuid.UUID, payload: ReferralIn) -> Any:
    person = _edit(request, person_id)
    team = _team(request, payload.team_id)
    worker = None
    if payload.worker_id:
        worker = next(
            (u for u in work_selectors.team_workers(team=team) if u.pk == payload.worker_id), None
        )
        if worker is None:
            raise ValidationError("worker_id must be a member of the team")
    episode = services.referral_record(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        team=team,
        worker=worker,
        **payload.dict(exclude={"team_id", "worker_id"}),
    )
    return Status(201, EpisodeOut.from_orm(episode))


@router.post(
    f"{BASE}/episodes/{{episode_id}}/closure",
    response={200: EpisodeOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Close a CIN episode (reason RC1–RC9)",
)
def cin_episode_close(
    request: HttpRequest, person_id: uuid.UUID, episode_id: uuid.UUID, payload: ClosureIn
) -> Any:
    person = _edit(request, person_id)
    episode = services.episode_close(
        actor=request.user,  # type: ignore[arg-type]
        episode=_episode(request, person, episode_id),
        **payload.dict(),
    )
    return EpisodeOut.from_orm(episode)


# --- Assessment ---


@router.post(
    f"{BASE}/episodes/{{episode_id}}/assessments",
    response={201: AssessmentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Start a child and family assessment",
)
def cin_assessment_start(
    request: HttpRequest, person_id: uuid.UUID, episode_id: uuid.UUID, payload: AssessmentIn
) -> Any:
    person = _edit(request, person_id)
    assessment = services.assessment_start(
        actor=request.user,  # type: ignore[arg-type]
        episode=_episode(request, person, episode_id),
        **payload.dict(),
    )
    return Status(201, AssessmentOut.from_orm(assessment))


@router.patch(
    f"{BASE}/assessments/{{assessment_id}}",
    response={200: AssessmentOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record an assessment's progress; an authorisation date completes it",
)
def cin_assessment_update(
    request: HttpRequest,
    person_id: uuid.UUID,
    assessment_id: uuid.UUID,
    payload: AssessmentUpdateIn,
) -> Any:
    person = _edit(request, person_id)
    assessment = _found(
        selectors.assessment_get(user=request.user, person=person, assessment_id=assessment_id),
        assessment_id,
    )
    updated = services.assessment_update(
        actor=request.user,  # type: ignore[arg-type]
        assessment=assessment,
        **payload.dict(exclude_unset=True),
    )
    return AssessmentOut.from_orm(updated)


# --- Strategy discussion, S47, conference ---


@router.post(
    f"{BASE}/episodes/{{episode_id}}/strategy-discussions",
    response={201: StrategyDiscussionOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record a strategy discussion",
)
def cin_strategy_discussion_create(
    request: HttpRequest,
    person_id: uuid.UUID,
    episode_id: uuid.UUID,
    payload: StrategyDiscussionIn,
) -> Any:
    person = _edit(request, person_id)
    discussion = services.strategy_discussion_record(
        actor=request.user,  # type: ignore[arg-type]
        episode=_episode(request, person, episode_id),
        **payload.dict(),
    )
    return Status(201, StrategyDiscussionOut.from_orm(discussion))


@router.post(
    f"{BASE}/episodes/{{episode_id}}/section47s",
    response={201: Section47Out, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Start a section 47 enquiry; the ICPC falls due 15 working days after the discussion",
)
def cin_s47_start(
    request: HttpRequest, person_id: uuid.UUID, episode_id: uuid.UUID, payload: Section47In
) -> Any:
    person = _edit(request, person_id)
    discussion = None
    if payload.strategy_discussion_id:
        discussion = _found(
            selectors.discussion_get(
                user=request.user, person=person, discussion_id=payload.strategy_discussion_id
            ),
            payload.strategy_discussion_id,
        )
    s47 = services.s47_start(
        actor=request.user,  # type: ignore[arg-type]
        episode=_episode(request, person, episode_id),
        start_date=payload.start_date,
        strategy_discussion=discussion,
    )
    return Status(201, Section47Out.from_orm(s47))


@router.post(
    f"{BASE}/section47s/{{s47_id}}/end",
    response={200: Section47Out, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="End a section 47 enquiry with its outcome and whether an ICPC is needed",
)
def cin_s47_end(
    request: HttpRequest, person_id: uuid.UUID, s47_id: uuid.UUID, payload: Section47EndIn
) -> Any:
    person = _edit(request, person_id)
    s47 = _found(selectors.s47_get(user=request.user, person=person, s47_id=s47_id), s47_id)
    done = services.s47_complete(actor=request.user, s47=s47, **payload.dict())  # type: ignore[arg-type]
    return Section47Out.from_orm(done)


@router.post(
    f"{BASE}/episodes/{{episode_id}}/conferences",
    response={201: ConferenceOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record an initial child protection conference (a CP plan starts if decided)",
)
def cin_conference_create(
    request: HttpRequest, person_id: uuid.UUID, episode_id: uuid.UUID, payload: ConferenceIn
) -> Any:
    person = _edit(request, person_id)
    s47 = None
    if payload.section47_id:
        s47 = _found(
            selectors.s47_get(user=request.user, person=person, s47_id=payload.section47_id),
            payload.section47_id,
        )
    conference = services.icpc_record(
        actor=request.user,  # type: ignore[arg-type]
        episode=_episode(request, person, episode_id),
        section47=s47,
        **payload.dict(exclude={"section47_id"}),
    )
    return Status(201, ConferenceOut.from_orm(conference))


# --- CP plan, reviews, core groups ---


def _cp_plan(request: HttpRequest, person: Any, plan_id: uuid.UUID) -> Any:
    return _found(selectors.cp_plan_get(user=request.user, person=person, plan_id=plan_id), plan_id)


@router.post(
    f"{BASE}/episodes/{{episode_id}}/cp-plans",
    response={201: CPPlanOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Start a child protection plan without an ICPC here (e.g. moved in on a plan)",
)
def cin_cp_plan_start(
    request: HttpRequest, person_id: uuid.UUID, episode_id: uuid.UUID, payload: CPPlanIn
) -> Any:
    person = _edit(request, person_id)
    plan = services.cp_plan_start(
        actor=request.user,  # type: ignore[arg-type]
        episode=_episode(request, person, episode_id),
        **payload.dict(),
    )
    return Status(201, _plan_out(plan))


@router.patch(
    f"{BASE}/cp-plans/{{plan_id}}",
    response={200: CPPlanOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Change a CP plan's latest category of abuse, or end it",
)
def cin_cp_plan_update(
    request: HttpRequest, person_id: uuid.UUID, plan_id: uuid.UUID, payload: CPPlanUpdateIn
) -> Any:
    person = _edit(request, person_id)
    plan = services.cp_plan_update(
        actor=request.user,  # type: ignore[arg-type]
        plan=_cp_plan(request, person, plan_id),
        **payload.dict(exclude_unset=True),
    )
    return _plan_out(plan)


@router.post(
    f"{BASE}/cp-plans/{{plan_id}}/reviews",
    response={201: CPReviewOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record a CP review conference; the next falls due",
)
def cin_cp_review_create(
    request: HttpRequest, person_id: uuid.UUID, plan_id: uuid.UUID, payload: CPReviewIn
) -> Any:
    person = _edit(request, person_id)
    review = services.cp_review_record(
        actor=request.user,  # type: ignore[arg-type]
        plan=_cp_plan(request, person, plan_id),
        **payload.dict(),
    )
    return Status(201, CPReviewOut.from_orm(review))


@router.post(
    f"{BASE}/cp-plans/{{plan_id}}/core-groups",
    response={201: CoreGroupOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Record a core group meeting; the next falls due",
)
def cin_core_group_create(
    request: HttpRequest, person_id: uuid.UUID, plan_id: uuid.UUID, payload: CoreGroupIn
) -> Any:
    person = _edit(request, person_id)
    meeting = services.core_group_record(
        actor=request.user,  # type: ignore[arg-type]
        plan=_cp_plan(request, person, plan_id),
        **payload.dict(),
    )
    return Status(201, CoreGroupOut.from_orm(meeting))


# --- CIN plan ---


@router.post(
    f"{BASE}/episodes/{{episode_id}}/cin-plans",
    response={201: CINPlanOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Start a child in need plan; CIN visits fall due",
)
def cin_plan_start(
    request: HttpRequest, person_id: uuid.UUID, episode_id: uuid.UUID, payload: CINPlanIn
) -> Any:
    person = _edit(request, person_id)
    plan = services.cin_plan_start(
        actor=request.user,  # type: ignore[arg-type]
        episode=_episode(request, person, episode_id),
        **payload.dict(),
    )
    return Status(201, CINPlanOut.from_orm(plan))


@router.post(
    f"{BASE}/cin-plans/{{plan_id}}/end",
    response={200: CINPlanOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="End a child in need plan",
)
def cin_plan_end(
    request: HttpRequest, person_id: uuid.UUID, plan_id: uuid.UUID, payload: CINPlanEndIn
) -> Any:
    person = _edit(request, person_id)
    plan = _found(
        selectors.cin_plan_get(user=request.user, person=person, plan_id=plan_id), plan_id
    )
    ended = services.cin_plan_end(actor=request.user, plan=plan, **payload.dict())  # type: ignore[arg-type]
    return CINPlanOut.from_orm(ended)


# --- Pre-proceedings ---


@router.post(
    f"{BASE}/episodes/{{episode_id}}/pre-proceedings",
    response={201: PreProceedingsOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Start pre-proceedings (PLO) and FGDM for the episode",
)
def cin_pre_proceedings_create(
    request: HttpRequest, person_id: uuid.UUID, episode_id: uuid.UUID, payload: PreProceedingsIn
) -> Any:
    person = _edit(request, person_id)
    row = services.pre_proceedings_save(
        actor=request.user,  # type: ignore[arg-type]
        episode=_episode(request, person, episode_id),
        **payload.dict(exclude_unset=True),
    )
    return Status(201, PreProceedingsOut.from_orm(row))


@router.patch(
    f"{BASE}/pre-proceedings/{{pre_proceedings_id}}",
    response={200: PreProceedingsOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Update pre-proceedings (letters, meetings, decision, outcome, court application)",
)
def cin_pre_proceedings_update(
    request: HttpRequest,
    person_id: uuid.UUID,
    pre_proceedings_id: uuid.UUID,
    payload: PreProceedingsIn,
) -> Any:
    person = _edit(request, person_id)
    row = _found(
        selectors.pre_proceedings_get(
            user=request.user, person=person, pre_proceedings_id=pre_proceedings_id
        ),
        pre_proceedings_id,
    )
    updated = services.pre_proceedings_save(
        actor=request.user,  # type: ignore[arg-type]
        episode=row.episode,
        instance=row,
        **payload.dict(exclude_unset=True),
    )
    return PreProceedingsOut.from_orm(updated)
