"""Writes for the child in need journey: contacts and their decisions, early help, referrals
(CIN episodes) and their closure, assessments, strategy discussions, section 47 enquiries,
initial conferences, CP plans with their reviews and core groups, CIN plans and
pre-proceedings.

Each function is one user action in one transaction: it checks the actor may change the
child's record, checks the entry against the DfE rules (``kith.children.rules_cin``, through
``validation.enforce``: nothing is saved if one is broken), writes, audits, and starts or
completes the work items the statutory timescales ask for (``kith.work``): a contact's decision
(1 working day), the assessment (45 working days from the referral), the initial conference
(15 working days from the strategy discussion), core groups, reviews and visits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kith.access.policy import Do, decide
from kith.accounts.models import Team, User
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.children import codes_cin, rules_cin, validation
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
from kith.people.models import Person
from kith.work import selectors as work_selectors
from kith.work import services as work_services
from kith.work import timescales
from kith.work.models import WorkItem, WorkItemType

# Work item types (kith/work/data/timescales.csv) the journey starts and completes.
CONTACT_DECISION = "contact-decision"
ASSESSMENT_ITEM = "cf-assessment"
STRATEGY_ITEM = "strategy-discussion"
S47_ITEM = "s47-enquiry"
ICPC_ITEM = "icpc"
CORE_GROUP_ITEM = "core-group"
CP_REVIEW_ITEM = "cp-review"
CP_VISIT_ITEM = "cp-visit"
CIN_VISIT_ITEM = "cin-visit"
CP_PLAN_ITEMS = (CORE_GROUP_ITEM, CP_REVIEW_ITEM, CP_VISIT_ITEM)
EPISODE_ITEMS = (
    ASSESSMENT_ITEM,
    STRATEGY_ITEM,
    S47_ITEM,
    ICPC_ITEM,
    *CP_PLAN_ITEMS,
    CIN_VISIT_ITEM,
)


# --- Helpers ---


def _require_edit(actor: User | None, person_id: uuid.UUID) -> None:
    if actor is not None and not decide(actor, person_id, Do.EDIT).allowed:
        raise PermissionDenied("You cannot change this child's record.")


def _audit(actor: User | None, row: Any, action: Action, fields: Iterable[str]) -> None:
    audit_record(
        actor=actor,
        action=action,
        person_id=row.person_id,
        object_type=f"children.{type(row).__name__.lower()}",
        object_id=row.pk,
        changed_fields=list(fields),
    )


def _not_future(errors: dict[str, str], name: str, day: dt.date | None, what: str) -> None:
    if day is not None and day > timezone.localdate():
        errors[name] = f"{what} cannot be in the future"


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _save(actor: User | None, row: Any, fields: Iterable[str], created: bool) -> Any:
    if created:
        row.created_by = actor
    row.updated_by = actor
    row.full_clean()
    row.save()
    _audit(actor, row, Action.CREATE if created else Action.UPDATE, fields)
    return row


def _item_type(code: str) -> WorkItemType | None:
    return WorkItemType.objects.filter(code=code, active=True).first()


def _worker(person: Person, team: Team) -> User | None:
    for involvement in work_selectors.person_involvements(person=person):
        allocation = getattr(involvement, "current_allocation", None)
        if involvement.team_id == team.pk and allocation is not None:
            return allocation.worker
    return None


def _start_item(
    actor: User | None, person: Person, code: str, team: Team, clock_start: dt.date, note: str
) -> WorkItem | None:
    """A work item of type ``code`` for the child's team (and allocated worker), its clock
    started by the event on ``clock_start``; none if the type is not in use."""
    item_type = _item_type(code)
    if item_type is None:
        return None
    worker = _worker(person, team)
    clock = min(clock_start, timezone.localdate())
    return work_services.work_item_create(
        actor=actor,
        person=person,
        item_type=item_type,
        team=team,
        clock_start=clock,
        worker=worker,
        note=note,
        # recorded late (a past event): the worker had the step from the day it started
        allocated_on=clock if worker else None,
    )


def _open_items(person: Person, codes: Sequence[str]) -> list[WorkItem]:
    return [
        i
        for i in work_selectors.person_work_items(person=person, include_closed=False)
        if i.item_type.code in codes
    ]


def _complete_items(actor: User | None, person: Person, code: str, on: dt.date) -> None:
    """Complete the child's open items of type ``code`` (the one due first). A step that
    needs a manager's sign-off goes to them; if the actor is one, they sign it off."""
    items = sorted(_open_items(person, (code,)), key=lambda i: i.due_date or dt.date.max)
    if not items:
        return
    item = items[0]
    try:
        with transaction.atomic():
            done = work_services.work_item_complete(actor=actor, item=item, on=on)
            if done.status == WorkItem.Status.AWAITING_AUTHORISATION and actor is not None:
                try:
                    with transaction.atomic():
                        work_services.work_item_authorise(actor=actor, item=done, on=on)
                except (PermissionDenied, ValidationError):
                    pass  # the worker's own step: it waits for their manager
    except (PermissionDenied, ValidationError):
        pass  # not the actor's team's step: the record is saved, the item stays open


def _cancel_items(actor: User | None, person: Person, codes: Sequence[str], reason: str) -> None:
    for item in _open_items(person, codes):
        try:
            with transaction.atomic():
                work_services.work_item_cancel(actor=None, item=item, reason=reason)
        except (PermissionDenied, ValidationError):
            pass


def _others(rows: Iterable[Any], instance: Any) -> list[Any]:
    return [r for r in rows if instance is None or r.pk != instance.pk]


def _episode_activity(episode: CINEpisode) -> rules_cin.Activity:
    return rules_cin.Activity(
        assessments=list(Assessment.objects.filter(episode=episode)),
        enquiries=list(Section47.objects.filter(episode=episode)),
        conferences=list(InitialConference.objects.filter(episode=episode)),
        cp_plans=list(CPPlan.objects.filter(episode=episode)),
        cin_plans=list(CINPlan.objects.filter(episode=episode)),
    )


def _check_code(errors: dict[str, str], name: str, list_name: str, code: str, on: dt.date) -> None:
    if code and not codes_cin.is_valid(list_name, code, on):
        errors[name] = "Select one of the options"


# --- Front door ---


@transaction.atomic
def contact_record(
    *,
    actor: User | None,
    person: Person,
    team: Team,
    received_at: dt.datetime,
    source: str,
    referrer: str,
    summary: str,
    priority: str = Contact.Priority.GREEN,
    screening: str = "",
) -> Contact:
    """A contact at the front door; its decision is due within one working day."""
    _require_edit(actor, person.pk)
    errors: dict[str, str] = {}
    if received_at > timezone.now():
        errors["received_at"] = "The contact cannot be in the future"
    if not referrer.strip():
        errors["referrer"] = "Enter who got in touch"
    if not summary.strip():
        errors["summary"] = "Enter what the contact is about"
    _raise(errors)
    day = timezone.localtime(received_at).date()
    validation.enforce(
        "cin_contact",
        validation.Entry({"source": source, "received_on": day}, person=person, on=day),
    )
    contact = Contact(
        person=person,
        team=team,
        received_at=received_at,
        source=source,
        referrer=referrer.strip(),
        summary=summary.strip(),
        priority=priority,
        screening=screening.strip(),
    )
    _save(actor, contact, ["received_at", "source", "referrer", "summary", "priority"], True)
    contact.work_item = _start_item(actor, person, CONTACT_DECISION, team, day, "Contact received")
    contact.save(update_fields=["work_item", "updated_at"])
    return contact


@transaction.atomic
def contact_decide(
    *,
    actor: User | None,
    contact: Contact,
    decision: str,
    decided_on: dt.date,
    reason: str = "",
    screening: str | None = None,
    primary_need: str = "",
    early_help_organisation: str = "",
) -> Contact:
    """Decide on a contact: a referral (which starts a CIN episode), early help (an early help
    episode with the organisation providing it), information and advice, or no further
    action. Completes the contact's decision work item."""
    _require_edit(actor, contact.person_id)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    errors: dict[str, str] = {}
    if contact.decision:
        raise ValidationError("This contact has already been decided")
    if not codes_cin.is_valid("contact_outcome", decision, decided_on):
        errors["decision"] = "Select the decision"
    _not_future(errors, "decided_on", decided_on, "The decision date")
    if decided_on < timezone.localtime(contact.received_at).date():
        errors["decided_on"] = "The decision cannot be before the contact was received"
    if decision == "early-help" and not early_help_organisation.strip():
        errors["early_help_organisation"] = "Enter who will provide early help"
    _raise(errors)
    contact.decision = decision
    contact.decided_on = decided_on
    contact.decision_reason = reason.strip()
    if screening is not None:
        contact.screening = screening.strip()
    _save(actor, contact, ["decision", "decided_on", "decision_reason", "screening"], False)
    if decision == "referral":
        referral_record(
            actor=actor,
            person=contact.person,
            team=contact.team,
            referral_date=decided_on,
            referral_source=contact.source,
            primary_need=primary_need,
            contact=contact,
        )
    elif decision == "early-help":
        early_help_start(
            actor=actor,
            person=contact.person,
            start_date=decided_on,
            reason=reason or contact.summary,
            organisation=early_help_organisation,
            contact=contact,
        )
    _complete_items(actor, contact.person, CONTACT_DECISION, decided_on)
    return contact


@transaction.atomic
def early_help_start(
    *,
    actor: User | None,
    person: Person,
    start_date: dt.date,
    reason: str,
    organisation: str,
    contact: Contact | None = None,
) -> EarlyHelpEpisode:
    _require_edit(actor, person.pk)
    errors: dict[str, str] = {}
    _not_future(errors, "start_date", start_date, "The start date")
    if not reason.strip():
        errors["reason"] = "Enter the reason for early help"
    if not organisation.strip():
        errors["organisation"] = "Enter who provides early help"
    _raise(errors)
    episode = EarlyHelpEpisode(
        person=person,
        contact=contact,
        start_date=start_date,
        reason=reason.strip(),
        organisation=organisation.strip(),
    )
    return _save(actor, episode, ["start_date", "reason", "organisation"], True)


@transaction.atomic
def early_help_end(
    *, actor: User | None, episode: EarlyHelpEpisode, end_date: dt.date, end_reason: str
) -> EarlyHelpEpisode:
    _require_edit(actor, episode.person_id)
    errors: dict[str, str] = {}
    _not_future(errors, "end_date", end_date, "The end date")
    if end_date < episode.start_date:
        errors["end_date"] = "Early help cannot end before it started"
    if not end_reason.strip():
        errors["end_reason"] = "Enter why early help ended"
    _raise(errors)
    episode.end_date = end_date
    episode.end_reason = end_reason.strip()
    return _save(actor, episode, ["end_date", "end_reason"], False)


# --- Referral and CIN episode ---


def _enforce_episode(person: Person, values: dict[str, Any], instance: CINEpisode | None) -> None:
    others = _others(CINEpisode.objects.filter(person=person), instance)
    activity = _episode_activity(instance) if instance is not None else rules_cin.Activity()
    validation.enforce(
        rules_cin.EPISODE,
        validation.Entry(
            values,
            person=person,
            instance=instance,
            on=values["referral_date"],
            context={"others": others, "activity": activity},
        ),
    )


def _involve(
    actor: User | None, person: Person, team: Team, on: dt.date, worker: User | None
) -> None:
    involved = {i.team_id: i for i in work_selectors.person_involvements(person=person)}
    if team.pk not in involved:
        work_services.involvement_start(
            actor=actor, person=person, team=team, start_date=min(on, timezone.localdate())
        )
    if worker is not None and _worker(person, team) != worker:
        work_services.allocation_start(
            actor=actor,
            person=person,
            team=team,
            worker=worker,
            start_date=min(on, timezone.localdate()),
            reason="Referral",
        )


@transaction.atomic
def referral_record(
    *,
    actor: User | None,
    person: Person,
    team: Team,
    referral_date: dt.date,
    referral_source: str,
    primary_need: str = "",
    referral_nfa: bool = False,
    worker: User | None = None,
    contact: Contact | None = None,
) -> CINEpisode:
    """A referral: the child's CIN episode starts, the team works with the child (and the
    worker, if given, is allocated), and the 45-working-day assessment clock starts."""
    _require_edit(actor, person.pk)
    values = {
        "referral_date": referral_date,
        "referral_source": referral_source,
        "primary_need": primary_need,
        "referral_nfa": referral_nfa,
        "closure_date": None,
        "closure_reason": "",
    }
    _enforce_episode(person, values, None)
    episode = CINEpisode(person=person, team=team, contact=contact, **values)
    _save(actor, episode, list(values), True)
    _involve(actor, person, team, referral_date, worker)
    if not referral_nfa:
        _start_item(actor, person, ASSESSMENT_ITEM, team, referral_date, "Referral received")
    return episode


@transaction.atomic
def episode_update(
    *,
    actor: User | None,
    episode: CINEpisode,
    primary_need: str | None = None,
    referral_nfa: bool | None = None,
    referral_source: str | None = None,
) -> CINEpisode:
    _require_edit(actor, episode.person_id)
    episode = CINEpisode.objects.select_for_update().get(pk=episode.pk)
    changed = {
        k: v
        for k, v in {
            "primary_need": primary_need,
            "referral_nfa": referral_nfa,
            "referral_source": referral_source,
        }.items()
        if v is not None
    }
    values = _episode_values(episode) | changed
    _enforce_episode(episode.person, values, episode)
    for name, value in changed.items():
        setattr(episode, name, value)
    return _save(actor, episode, list(changed), False)


def _episode_values(episode: CINEpisode) -> dict[str, Any]:
    return {
        "referral_date": episode.referral_date,
        "referral_source": episode.referral_source,
        "primary_need": episode.primary_need,
        "referral_nfa": episode.referral_nfa,
        "closure_date": episode.closure_date,
        "closure_reason": episode.closure_reason,
    }


@transaction.atomic
def episode_close(
    *, actor: User | None, episode: CINEpisode, closure_date: dt.date, closure_reason: str
) -> CINEpisode:
    """Close the CIN episode (RC1–RC9). The journey's open work items for the child end."""
    _require_edit(actor, episode.person_id)
    episode = CINEpisode.objects.select_for_update().get(pk=episode.pk)
    if episode.closure_date is not None:
        raise ValidationError("This episode is already closed")
    values = _episode_values(episode) | {
        "closure_date": closure_date,
        "closure_reason": closure_reason,
    }
    _enforce_episode(episode.person, values, episode)
    open_plans = [p for p in _episode_activity(episode).cp_plans if p.end_date is None]
    open_plans += [p for p in _episode_activity(episode).cin_plans if p.end_date is None]
    if open_plans:
        raise ValidationError({"closure_date": "End the child's open plans before closing"})
    episode.closure_date = closure_date
    episode.closure_reason = closure_reason
    _save(actor, episode, ["closure_date", "closure_reason"], False)
    _cancel_items(actor, episode.person, EPISODE_ITEMS, "The child in need episode closed")
    return episode


# --- Assessment ---


def _enforce_assessment(
    episode: CINEpisode, values: dict[str, Any], instance: Assessment | None
) -> None:
    others = _others(Assessment.objects.filter(person=episode.person), instance)
    validation.enforce(
        rules_cin.ASSESSMENT,
        validation.Entry(
            values,
            person=episode.person,
            instance=instance,
            on=values["authorisation_date"] or values["start_date"],
            context={"episode": episode, "others": others},
        ),
    )


def _assessment_local_checks(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    _not_future(errors, "start_date", values["start_date"], "The start date")
    _not_future(errors, "child_seen_date", values["child_seen_date"], "The date the child was seen")
    _not_future(errors, "internal_review_date", values["internal_review_date"], "The review date")
    for name in ("child_seen_date", "internal_review_date"):
        day = values[name]
        if day is not None and day < values["start_date"] and name not in errors:
            errors[name] = "This date cannot be before the assessment started"
    _raise(errors)


@transaction.atomic
def assessment_start(
    *,
    actor: User | None,
    episode: CINEpisode,
    start_date: dt.date,
    child_seen_date: dt.date | None = None,
) -> Assessment:
    _require_edit(actor, episode.person_id)
    values: dict[str, Any] = {
        "start_date": start_date,
        "child_seen_date": child_seen_date,
        "internal_review_date": None,
        "authorisation_date": None,
        "factors": [],
    }
    _assessment_local_checks(values)
    _enforce_assessment(episode, values, None)
    items = _open_items(episode.person, (ASSESSMENT_ITEM,))
    assessment = Assessment(
        person=episode.person, episode=episode, work_item=items[0] if items else None, **values
    )
    return _save(actor, assessment, ["start_date", "child_seen_date"], True)


@transaction.atomic
def assessment_update(
    *,
    actor: User | None,
    assessment: Assessment,
    child_seen_date: dt.date | None = None,
    internal_review_date: dt.date | None = None,
    authorisation_date: dt.date | None = None,
    factors: Sequence[str] | None = None,
    outcome: str | None = None,
    outcome_nfa: bool | None = None,
) -> Assessment:
    """Record the assessment's progress; with an authorisation date it is complete (the
    factors identified are then required) and its work item is completed."""
    _require_edit(actor, assessment.person_id)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.authorisation_date is not None:
        raise ValidationError("This assessment is complete")
    values: dict[str, Any] = {
        "start_date": assessment.start_date,
        "child_seen_date": child_seen_date or assessment.child_seen_date,
        "internal_review_date": internal_review_date or assessment.internal_review_date,
        "authorisation_date": authorisation_date,
        "factors": list(factors) if factors is not None else list(assessment.factors),
    }
    _assessment_local_checks(values)
    errors: dict[str, str] = {}
    if outcome:
        _check_code(errors, "outcome", "assessment_outcome", outcome, assessment.start_date)
    if authorisation_date is not None and not (outcome or assessment.outcome):
        errors["outcome"] = "Select the outcome of the assessment"
    _raise(errors)
    _enforce_assessment(assessment.episode, values, assessment)
    for name, value in values.items():
        setattr(assessment, name, value)
    if outcome is not None:
        assessment.outcome = outcome
    if outcome_nfa is not None:
        assessment.outcome_nfa = outcome_nfa
    _save(actor, assessment, [*values, "outcome", "outcome_nfa"], False)
    if authorisation_date is not None:
        _complete_items(actor, assessment.episode.person, ASSESSMENT_ITEM, authorisation_date)
    if outcome == "strategy-discussion" and not _open_items(assessment.person, (STRATEGY_ITEM,)):
        episode = assessment.episode
        _start_item(
            actor,
            episode.person,
            STRATEGY_ITEM,
            episode.team,
            authorisation_date or timezone.localdate(),
            "Assessment outcome: strategy discussion",
        )
    return assessment


# --- Strategy discussion, section 47, initial conference ---


@transaction.atomic
def strategy_discussion_record(
    *,
    actor: User | None,
    episode: CINEpisode,
    discussion_date: dt.date,
    attendees: str,
    start_s47: bool,
    notes: str = "",
) -> StrategyDiscussion:
    _require_edit(actor, episode.person_id)
    errors: dict[str, str] = {}
    _not_future(errors, "discussion_date", discussion_date, "The discussion date")
    if discussion_date < episode.referral_date:
        errors["discussion_date"] = "The discussion cannot be before the referral"
    if episode.closure_date is not None:
        errors["discussion_date"] = "The episode is closed"
    if not attendees.strip():
        errors["attendees"] = "Enter who took part and for which agencies"
    _raise(errors)
    discussion = StrategyDiscussion(
        person=episode.person,
        episode=episode,
        discussion_date=discussion_date,
        attendees=attendees.strip(),
        start_s47=start_s47,
        notes=notes.strip(),
    )
    _save(actor, discussion, ["discussion_date", "attendees", "start_s47"], True)
    _complete_items(actor, episode.person, STRATEGY_ITEM, discussion_date)
    return discussion


def icpc_target(discussion_date: dt.date) -> dt.date | None:
    """The initial conference is due 15 working days after the strategy discussion (the
    ``icpc`` timescale rule in force that day)."""
    item_type = _item_type(ICPC_ITEM)
    rule = timescales.rule_for(item_type, discussion_date) if item_type else None
    return timescales.due_date(rule, discussion_date) if rule else None


def _enforce_s47(episode: CINEpisode, values: dict[str, Any], instance: Section47 | None) -> None:
    others = _others(Section47.objects.filter(person=episode.person), instance)
    held = dict(
        InitialConference.objects.filter(
            person=episode.person, section47__isnull=False
        ).values_list("section47_id", "conference_date")
    )
    for other in others:
        other.has_conference = other.pk in held
        other.conference_date = held.get(other.pk)
    validation.enforce(
        rules_cin.S47,
        validation.Entry(
            values,
            person=episode.person,
            instance=instance,
            on=values["start_date"],
            context={"episode": episode, "others": others},
        ),
    )


@transaction.atomic
def s47_start(
    *,
    actor: User | None,
    episode: CINEpisode,
    start_date: dt.date,
    strategy_discussion: StrategyDiscussion | None = None,
) -> Section47:
    """Start a section 47 enquiry. Its initial conference is due 15 working days after the
    strategy discussion that decided on it: the ``icpc`` work item starts on that day."""
    _require_edit(actor, episode.person_id)
    errors: dict[str, str] = {}
    _not_future(errors, "start_date", start_date, "The start date")
    if strategy_discussion is not None:
        if strategy_discussion.episode_id != episode.pk:
            errors["strategy_discussion"] = "Choose a strategy discussion in this episode"
        elif start_date < strategy_discussion.discussion_date:
            errors["start_date"] = "The enquiry cannot start before the strategy discussion"
    _raise(errors)
    clock = strategy_discussion.discussion_date if strategy_discussion else start_date
    values: dict[str, Any] = {
        "start_date": start_date,
        "end_date": None,
        "icpc_target_date": icpc_target(clock),
        "icpc_not_required": False,
    }
    _enforce_s47(episode, values, None)
    s47 = Section47(
        person=episode.person, episode=episode, strategy_discussion=strategy_discussion, **values
    )
    _save(actor, s47, ["start_date", "icpc_target_date"], True)
    s47.work_item = _start_item(
        actor, episode.person, S47_ITEM, episode.team, start_date, "Section 47 enquiry started"
    )
    s47.save(update_fields=["work_item", "updated_at"])
    _start_item(actor, episode.person, ICPC_ITEM, episode.team, clock, "Section 47 enquiry started")
    return s47


@transaction.atomic
def s47_complete(
    *,
    actor: User | None,
    s47: Section47,
    end_date: dt.date,
    outcome: str,
    icpc_required: bool,
) -> Section47:
    """The enquiry's end and outcome. Without a conference to hold, the ``icpc`` item ends."""
    _require_edit(actor, s47.person_id)
    s47 = Section47.objects.select_for_update().get(pk=s47.pk)
    errors: dict[str, str] = {}
    if s47.end_date is not None:
        raise ValidationError("This enquiry has already ended")
    _not_future(errors, "end_date", end_date, "The end date")
    if end_date < s47.start_date:
        errors["end_date"] = "The enquiry cannot end before it started"
    if not codes_cin.is_valid("s47_outcome", outcome, end_date):
        errors["outcome"] = "Select the outcome of the enquiry"
    _raise(errors)
    values = {
        "start_date": s47.start_date,
        "end_date": end_date,
        "icpc_target_date": s47.icpc_target_date,
        "icpc_not_required": not icpc_required,
    }
    _enforce_s47(s47.episode, values, s47)
    s47.end_date = end_date
    s47.outcome = outcome
    s47.icpc_not_required = not icpc_required
    _save(actor, s47, ["end_date", "outcome", "icpc_not_required"], False)
    _complete_items(actor, s47.person, S47_ITEM, end_date)
    if not icpc_required:
        _cancel_items(actor, s47.person, (ICPC_ITEM,), "No initial conference needed")
    return s47


@transaction.atomic
def icpc_record(
    *,
    actor: User | None,
    episode: CINEpisode,
    conference_date: dt.date,
    cp_plan: bool,
    section47: Section47 | None = None,
    transfer_in: bool = False,
    initial_category: str = "",
    notes: str = "",
) -> InitialConference:
    """An initial child protection conference. With a plan as its outcome, the CP plan starts
    the same day (rule 2885), in the same action."""
    _require_edit(actor, episode.person_id)
    errors: dict[str, str] = {}
    if section47 is None and not transfer_in:
        errors["section47"] = "Choose the section 47 enquiry the conference follows"
    if section47 is not None and section47.episode_id != episode.pk:
        errors["section47"] = "Choose an enquiry in this episode"
    if section47 is not None and InitialConference.objects.filter(section47=section47).exists():
        errors["section47"] = "That enquiry's conference is already recorded"
    if cp_plan and not initial_category:
        errors["initial_category"] = "Select the category of abuse"
    _raise(errors)
    target = section47.icpc_target_date if section47 else None
    values = {"conference_date": conference_date, "target_date": target, "transfer_in": transfer_in}
    validation.enforce(
        rules_cin.ICPC,
        validation.Entry(
            values,
            person=episode.person,
            on=conference_date,
            context={"episode": episode, "section47": section47},
        ),
    )
    conference = InitialConference(
        person=episode.person,
        episode=episode,
        section47=section47,
        cp_plan=cp_plan,
        notes=notes.strip(),
        **values,
    )
    _save(actor, conference, ["conference_date", "transfer_in", "cp_plan"], True)
    _complete_items(actor, episode.person, ICPC_ITEM, conference_date)
    if cp_plan:
        cp_plan_start(
            actor=actor,
            episode=episode,
            start_date=conference_date,
            initial_category=initial_category,
            conference=conference,
        )
    return conference


# --- Child protection plan, reviews, core groups ---


def _enforce_cp_plan(
    episode: CINEpisode,
    values: dict[str, Any],
    instance: CPPlan | None,
    conference: InitialConference | None,
) -> None:
    person = episode.person
    validation.enforce(
        rules_cin.CP_PLAN,
        validation.Entry(
            values,
            person=person,
            instance=instance,
            on=values["start_date"],
            context={
                "episode": episode,
                "conference": conference,
                "others": _others(CPPlan.objects.filter(person=person), instance),
                "cin_plans": list(CINPlan.objects.filter(person=person)),
            },
        ),
    )


@transaction.atomic
def cp_plan_start(
    *,
    actor: User | None,
    episode: CINEpisode,
    start_date: dt.date,
    initial_category: str,
    conference: InitialConference | None = None,
) -> CPPlan:
    """A child protection plan: the number of previous plans is worked out; the first core
    group (10 working days), the first review (3 months) and CP visits fall due."""
    _require_edit(actor, episode.person_id)
    values: dict[str, Any] = {
        "start_date": start_date,
        "end_date": None,
        "initial_category": initial_category,
        "latest_category": initial_category,
    }
    _enforce_cp_plan(episode, values, None, conference)
    previous = CPPlan.objects.filter(person=episode.person, start_date__lt=start_date).count()
    plan = CPPlan(
        person=episode.person,
        episode=episode,
        conference=conference,
        previous_plans=previous,
        **values,
    )
    _save(actor, plan, [*values, "previous_plans"], True)
    for code in CP_PLAN_ITEMS:
        _start_item(actor, episode.person, code, episode.team, start_date, "CP plan started")
    return plan


@transaction.atomic
def cp_plan_update(
    *,
    actor: User | None,
    plan: CPPlan,
    latest_category: str | None = None,
    end_date: dt.date | None = None,
) -> CPPlan:
    """Change the latest category of abuse, or end the plan (its core groups, reviews and
    visits stop being due)."""
    _require_edit(actor, plan.person_id)
    plan = CPPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.end_date is not None:
        raise ValidationError("This plan has ended")
    values: dict[str, Any] = {
        "start_date": plan.start_date,
        "end_date": end_date,
        "initial_category": plan.initial_category,
        "latest_category": latest_category or plan.latest_category,
    }
    _enforce_cp_plan(plan.episode, values, plan, None)
    plan.latest_category = values["latest_category"]
    plan.end_date = end_date
    _save(actor, plan, ["latest_category", "end_date"], False)
    if end_date is not None:
        _cancel_items(actor, plan.person, CP_PLAN_ITEMS, "The child protection plan ended")
    return plan


@transaction.atomic
def cp_review_record(
    *,
    actor: User | None,
    plan: CPPlan,
    review_date: dt.date,
    continue_plan: bool,
    quorate: bool,
    participation: str = "",
    latest_category: str = "",
    notes: str = "",
) -> CPReview:
    """A review conference. It completes the review due (the next falls due 6 months on); if
    the plan is not to continue, the plan ends on the review's date."""
    _require_edit(actor, plan.person_id)
    errors: dict[str, str] = {}
    _not_future(errors, "review_date", review_date, "The review date")
    if plan.end_date is not None and review_date > plan.end_date:
        errors["review_date"] = "The review must be while the plan is open"
    if participation:
        _check_code(errors, "participation", "cp_participation", participation, review_date)
    _raise(errors)
    validation.enforce(
        rules_cin.CP_REVIEW,
        validation.Entry(
            {"review_date": review_date, "ends_plan": not continue_plan},
            person=plan.person,
            on=review_date,
            context={"plan": plan, "cin_plans": list(CINPlan.objects.filter(person=plan.person))},
        ),
    )
    due = next(
        (i.due_date for i in _open_items(plan.person, (CP_REVIEW_ITEM,)) if i.due_date), None
    )
    review = CPReview(
        person=plan.person,
        plan=plan,
        due_date=due,
        review_date=review_date,
        continue_plan=continue_plan,
        quorate=quorate,
        participation=participation,
        notes=notes.strip(),
    )
    _save(actor, review, ["review_date", "continue_plan", "quorate", "participation"], True)
    _complete_items(actor, plan.person, CP_REVIEW_ITEM, review_date)
    if latest_category or not continue_plan:
        cp_plan_update(
            actor=actor,
            plan=plan,
            latest_category=latest_category or None,
            end_date=None if continue_plan else review_date,
        )
    return review


@transaction.atomic
def core_group_record(
    *, actor: User | None, plan: CPPlan, meeting_date: dt.date, attendees: str, notes: str = ""
) -> CoreGroup:
    _require_edit(actor, plan.person_id)
    errors: dict[str, str] = {}
    _not_future(errors, "meeting_date", meeting_date, "The meeting date")
    if meeting_date < plan.start_date or (plan.end_date and meeting_date > plan.end_date):
        errors["meeting_date"] = "The meeting must be while the plan is open"
    if not attendees.strip():
        errors["attendees"] = "Enter who attended"
    _raise(errors)
    meeting = CoreGroup(
        person=plan.person,
        plan=plan,
        meeting_date=meeting_date,
        attendees=attendees.strip(),
        notes=notes.strip(),
    )
    _save(actor, meeting, ["meeting_date", "attendees"], True)
    _complete_items(actor, plan.person, CORE_GROUP_ITEM, meeting_date)
    return meeting


# --- CIN plan ---


def _enforce_cin_plan(
    episode: CINEpisode, values: dict[str, Any], instance: CINPlan | None
) -> None:
    person = episode.person
    validation.enforce(
        rules_cin.CIN_PLAN,
        validation.Entry(
            values,
            person=person,
            instance=instance,
            on=values["start_date"],
            context={
                "episode": episode,
                "others": _others(CINPlan.objects.filter(person=person), instance),
                "cp_plans": list(CPPlan.objects.filter(person=person)),
            },
        ),
    )


@transaction.atomic
def cin_plan_start(*, actor: User | None, episode: CINEpisode, start_date: dt.date) -> CINPlan:
    """A CIN plan; CIN visits fall due (kith.recording records them)."""
    _require_edit(actor, episode.person_id)
    values: dict[str, Any] = {"start_date": start_date, "end_date": None}
    _enforce_cin_plan(episode, values, None)
    plan = CINPlan(person=episode.person, episode=episode, **values)
    _save(actor, plan, ["start_date"], True)
    _start_item(actor, episode.person, CIN_VISIT_ITEM, episode.team, start_date, "CIN plan started")
    return plan


@transaction.atomic
def cin_plan_end(*, actor: User | None, plan: CINPlan, end_date: dt.date) -> CINPlan:
    _require_edit(actor, plan.person_id)
    plan = CINPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.end_date is not None:
        raise ValidationError("This plan has ended")
    _enforce_cin_plan(plan.episode, {"start_date": plan.start_date, "end_date": end_date}, plan)
    plan.end_date = end_date
    _save(actor, plan, ["end_date"], False)
    _cancel_items(actor, plan.person, (CIN_VISIT_ITEM,), "The CIN plan ended")
    return plan


# --- Pre-proceedings and family group decision making ---

PP_DATES = (
    "start_date",
    "letter_before_proceedings_sent",
    "initial_meeting_date",
    "step_decision_date",
    "court_application_date",
    "letter_initial_cp_date",
)
PP_FIELDS = (
    *PP_DATES,
    "fgdm_offered",
    "fgdm_facilitated",
    "review_meetings",
    "outcome",
)


@transaction.atomic
def pre_proceedings_save(
    *,
    actor: User | None,
    episode: CINEpisode,
    instance: PreProceedings | None = None,
    **fields: Any,
) -> PreProceedings:
    """Start (or update) the episode's pre-proceedings record (CIN census 2026/27 block)."""
    _require_edit(actor, episode.person_id)
    unknown = set(fields) - set(PP_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    row = instance or PreProceedings(person=episode.person, episode=episode)
    if instance is not None and (instance.episode_id != episode.pk):
        raise ValidationError("That record is not in this episode")
    for name, value in fields.items():
        setattr(row, name, value)
    errors: dict[str, str] = {}
    if row.start_date is None:
        errors["start_date"] = "Enter the date pre-proceedings started"
    for name in PP_DATES:
        day = getattr(row, name)
        _not_future(errors, name, day, "The date")
        if day is not None and row.start_date and day < row.start_date and name not in errors:
            errors[name] = "This date cannot be before pre-proceedings started"
    if row.start_date and row.start_date < episode.referral_date:
        errors["start_date"] = "Pre-proceedings cannot start before the referral"
    if row.fgdm_facilitated and row.fgdm_offered is False:
        errors["fgdm_facilitated"] = "A meeting not offered cannot have been held"
    if row.outcome:
        _check_code(
            errors, "outcome", "pp_outcome", row.outcome, row.start_date or timezone.localdate()
        )
    if row.court_application_date and row.outcome and row.outcome != "proceedings":
        errors["court_application_date"] = "A court application goes with the outcome 'proceedings'"
    _raise(errors)
    return _save(actor, row, fields, instance is None)
