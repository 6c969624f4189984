"""Writes for children looked after. Each user action is one transaction, checked against the
access policy and the SSDA903 entry-validation rules (rules_cla.py) before anything is saved,
and audited.

The key one: a change of legal status or placement is one call that derives the SSDA903
episode rows — the open episode closes that day with REC X1 (and the reason for a placement
change), and a new one starts with the RNE the change implies (L legal status; P new carer,
T same carer; B/U both). The user never types RNE or X1.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kith.access import relationships
from kith.access.policy import Do, decide
from kith.accounts.models import Team, User
from kith.accounts.selectors import user_current_memberships
from kith.audit.models import Action
from kith.audit.services import audit_record
from kith.children import rules_cla, validation
from kith.children.models import (
    AdoptionRecord,
    CareEpisode,
    CareLeaverContact,
    CarePeriod,
    ClaReview,
    DoloOrder,
    HealthCheck,
    IroContact,
    LegalStatus,
    MissingEpisode,
    Placement,
    PreviousPermanence,
    SdqScore,
    SocialWorkerEpisode,
    UascStatus,
    WellbeingRecord,
)
from kith.children.validation import Entry
from kith.people.models import Organisation, Person
from kith.work import services as work_services
from kith.work.models import Allocation, WorkItem, WorkItemType

# Work item types (kith/work/data/timescales.csv) the looked-after journey starts and stops.
REVIEW_ITEM = "cla-review"
VISIT_ITEM = "cla-visit"
LONG_TERM_VISIT_ITEM = "cla-visit-long-term"
HEALTH_ITEM = "cla-health-assessment"
CLA_ITEMS = (REVIEW_ITEM, VISIT_ITEM, LONG_TERM_VISIT_ITEM, HEALTH_ITEM)
VISIT_ITEMS = (VISIT_ITEM, LONG_TERM_VISIT_ITEM)


# --- Helpers ---------------------------------------------------------------------------------


def _require_edit(actor: User | None, person: Person) -> None:
    if actor is not None and not decide(actor, person.pk, Do.EDIT).allowed:
        raise PermissionDenied("You cannot change this child's record.")
    if person.merged_into_id is not None:
        raise ValidationError("This record was merged into another")


def _require_date(value: dt.date | None, field: str, what: str) -> dt.date:
    if value is None:
        raise ValidationError({field: f"Enter the {what}"})
    if value > timezone.localdate():
        raise ValidationError({field: f"The {what} must be today or in the past"})
    return value


def _enforce(
    entries: Iterable[tuple[str, Entry]], found: Mapping[str, list[str]] | None = None
) -> None:
    """Every broken rule of every entry, with the service's own ``found`` problems (messages
    by field), as one error (nothing is saved)."""
    by_field: dict[str, list[str]] = {
        name: list(messages) for name, messages in (found or {}).items()
    }
    for kind, entry in entries:
        for problem in validation.problems(kind, entry):
            messages = by_field.setdefault(problem.field, [])
            if problem.message not in messages:
                messages.append(problem.message)
    if by_field:
        raise ValidationError(by_field)


def _audit(
    actor: User | None, action: Action, obj: Any, fields: Iterable[str], reason: str = ""
) -> None:
    audit_record(
        actor=actor,
        action=action,
        person_id=obj.person_id,
        object_type=f"children.{type(obj).__name__.lower()}",
        object_id=obj.pk,
        changed_fields=list(fields),
        reason=reason,
    )


def _save_new(actor: User | None, obj: Any, fields: Iterable[str]) -> Any:
    obj.created_by = actor
    obj.updated_by = actor
    obj.full_clean()
    obj.save(force_insert=True)
    _audit(actor, Action.CREATE, obj, fields)
    return obj


def _save_changed(actor: User | None, obj: Any, fields: list[str], reason: str = "") -> Any:
    obj.updated_by = actor
    obj.full_clean()
    obj.save()
    _audit(actor, Action.UPDATE, obj, fields, reason)
    return obj


def _open_episode(person: Person) -> CareEpisode | None:
    return (
        CareEpisode.objects.select_for_update()
        .filter(person=person, dec__isnull=True)
        .select_related("legal_status", "placement", "period")
        .first()
    )


def _require_open_episode(person: Person) -> CareEpisode:
    episode = _open_episode(person)
    if episode is None:
        raise ValidationError("The child is not looked after: start a period of care first")
    return episode


def _last_end(person: Person) -> dt.date | None:
    last = CareEpisode.objects.filter(person=person, dec__isnull=False).order_by("-dec").first()
    return last.dec if last else None


def _episode_values(episode: CareEpisode) -> dict[str, Any]:
    return {
        "decom": episode.decom,
        "rne": episode.rne,
        "ls": episode.ls,
        "cin": episode.cin,
        "place": episode.place,
        "place_provider": episode.place_provider,
        "urn": episode.urn,
        "pl_post": episode.pl_post,
        "home_post": episode.home_post,
    }


@dataclass
class PlacementDetails:
    """What the user types about a placement."""

    place: str
    place_provider: str = ""
    provider_name: str = ""
    provider_organisation: Organisation | None = None
    carer: str = ""
    urn: str = ""
    pl_post: str = ""
    home_post: str = ""
    intended_until_18: bool = False
    placed_outside_england: bool = False

    def cleaned(self) -> PlacementDetails:
        return PlacementDetails(
            place=self.place.strip().upper(),
            place_provider=self.place_provider.strip().upper(),
            provider_name=self.provider_name.strip(),
            provider_organisation=self.provider_organisation,
            carer=self.carer.strip(),
            urn=self.urn.strip().upper(),
            pl_post=self.pl_post.strip().upper(),
            home_post=self.home_post.strip().upper(),
            intended_until_18=self.intended_until_18,
            placed_outside_england=self.placed_outside_england,
        )


def _closing_entry(
    person: Person,
    episode: CareEpisode,
    *,
    dec: dt.date,
    rec: str,
    reason_place_change: str = "",
    next_rne: str = "",
    next_place: str = "",
) -> Entry:
    values = {
        **_episode_values(episode),
        "dec": dec,
        "rec": rec,
        "reason_place_change": reason_place_change,
    }
    return Entry(
        values,
        person=person,
        instance=episode,
        on=dec,
        context={
            "continues_same_day": bool(next_rne),
            "next_rne": next_rne,
            "next_place": next_place,
        },
    )


def _usual_placement(episode: CareEpisode) -> Placement | None:
    """The placement a child in a temporary one (T0–T4) goes back to: the one before it in
    the period of care. None if the open placement is not temporary."""
    kind = rules_cla.placement_type(episode.place)
    if kind is None or not kind.temporary:
        return None
    return (
        Placement.objects.filter(
            period=episode.period, start_date__lte=episode.placement.start_date
        )
        .exclude(pk=episode.placement_id)
        .order_by("-start_date", "-created_at")
        .first()
    )


def _new_episode(
    actor: User | None,
    person: Person,
    period: CarePeriod,
    status: LegalStatus,
    placement: Placement,
    *,
    decom: dt.date,
    rne: str,
    cin: str,
) -> CareEpisode:
    episode = CareEpisode(
        person=person,
        period=period,
        legal_status=status,
        placement=placement,
        decom=decom,
        rne=rne,
        ls=status.code,
        cin=cin,
        place=placement.place,
        place_provider=placement.place_provider,
        home_post=placement.home_postcode,
        pl_post=placement.postcode,
        urn=placement.urn,
    )
    return _save_new(actor, episode, ["decom", "rne", "ls", "cin", "place", "place_provider"])


def _close_episode(
    actor: User | None,
    episode: CareEpisode,
    *,
    dec: dt.date,
    rec: str,
    reason_place_change: str = "",
) -> CareEpisode:
    episode.dec = dec
    episode.rec = rec
    episode.reason_place_change = reason_place_change
    return _save_changed(actor, episode, ["dec", "rec", "reason_place_change"])


def _new_placement(
    actor: User | None,
    person: Person,
    period: CarePeriod,
    details: PlacementDetails,
    start: dt.date,
) -> Placement:
    placement = Placement(
        person=person,
        period=period,
        place=details.place,
        place_provider=details.place_provider,
        provider_name=details.provider_name
        or (details.provider_organisation.name if details.provider_organisation else ""),
        provider_organisation=details.provider_organisation,
        carer=details.carer,
        urn=details.urn,
        postcode=details.pl_post,
        home_postcode=details.home_post,
        intended_until_18=details.intended_until_18,
        start_date=start,
    )
    return _save_new(actor, placement, ["place", "place_provider", "urn", "start_date"])


def _new_episode_entry(
    person: Person,
    details: PlacementDetails,
    *,
    decom: dt.date,
    rne: str,
    ls: str,
    cin: str,
    context: Mapping[str, Any],
) -> Entry:
    values = {
        "decom": decom,
        "rne": rne,
        "ls": ls,
        "cin": cin,
        "place": details.place,
        "place_provider": details.place_provider,
        "urn": details.urn,
        "pl_post": details.pl_post,
        "home_post": details.home_post,
        "dec": None,
        "rec": "",
    }
    return Entry(
        values,
        person=person,
        on=decom,
        context={"placed_outside_england": details.placed_outside_england, **context},
    )


# --- Work items ------------------------------------------------------------------------------


def _team_and_worker(
    actor: User | None, person: Person, on: dt.date
) -> tuple[Team, User | None] | None:
    """The team responsible for the child's looked-after work, and the worker: the child's
    allocated worker in that team, else the actor if in it. None if no team works with them."""
    involved = relationships.responsible_team_ids(person_id=person.pk, on=on)
    allocation = (
        Allocation.objects.filter(
            person=person, end_date__isnull=True, team_id__in=involved or {uuid.uuid4()}
        )
        .select_related("team", "worker")
        .order_by("-start_date")
        .first()
    )
    if allocation is not None:
        return allocation.team, allocation.worker
    if actor is not None:
        teams = [
            m.team for m in user_current_memberships(user=actor) if m.team.kind == Team.Kind.TEAM
        ]
        team = next((t for t in teams if t.pk in involved), teams[0] if teams else None)
        if team is not None:
            return team, actor
    team_id = next(iter(sorted(involved, key=str)), None)
    found = Team.objects.filter(pk=team_id).first() if team_id else None
    return (found, None) if found else None


def _start_item(
    actor: User | None, person: Person, code: str, clock_start: dt.date, note: str
) -> WorkItem | None:
    item_type = WorkItemType.objects.filter(code=code, active=True).first()
    responsible = _team_and_worker(actor, person, clock_start)
    if item_type is None or responsible is None:
        return None
    team, worker = responsible
    return work_services.work_item_create(
        actor=None,
        person=person,
        item_type=item_type,
        team=team,
        clock_start=clock_start,
        worker=worker,
        note=note,
        allocated_on=clock_start if worker else None,
    )


def open_items(person: Person, codes: Iterable[str]) -> list[WorkItem]:
    return list(
        WorkItem.objects.filter(
            person=person, item_type__code__in=list(codes), status__in=WorkItem.OPEN
        )
        .select_related("item_type")
        .order_by("due_date")
    )


def _cancel_items(actor: User | None, person: Person, codes: Iterable[str], reason: str) -> None:
    for item in open_items(person, codes):
        try:
            with transaction.atomic():
                work_services.work_item_cancel(actor=actor, item=item, reason=reason)
        except PermissionDenied:
            # Not the actor's team's step: it stops as a consequence of their change.
            work_services.work_item_cancel(actor=None, item=item, reason=reason)


def _complete_item(actor: User | None, item: WorkItem, on: dt.date) -> WorkItem | None:
    """Complete the work item on ``on``; the next in its series starts by its rule. A step
    the actor may not progress stays open (the record is still saved)."""
    try:
        with transaction.atomic():
            done = work_services.work_item_complete(
                actor=actor, item=item, on=max(on, item.clock_start)
            )
    except (PermissionDenied, ValidationError):
        return None
    return WorkItem.objects.filter(previous=done).first()


def _restart_visits(actor: User | None, person: Person, on: dt.date, why: str) -> None:
    """Reg 28: a new placement needs a visit within a week; the visiting series restarts."""
    _cancel_items(actor, person, VISIT_ITEMS, why)
    _start_item(actor, person, VISIT_ITEM, on, why)


@transaction.atomic
def visit_schedule_update(*, actor: User | None, person: Person, on: dt.date | None = None) -> bool:
    """Reg 28 after the first year: a child in a placement intended to last until they are 18
    who has been there a year is visited at least every 3 months rather than every 6 weeks.
    Switches the open visit series when that applies; returns whether it did."""
    _require_edit(actor, person)
    day = on or timezone.localdate()
    episode = _open_episode(person)
    if episode is None:
        return False
    placement = episode.placement
    if not placement.intended_until_18 or rules_cla.add_years(placement.start_date, 1) > day:
        return False
    if open_items(person, [LONG_TERM_VISIT_ITEM]):
        return False
    _cancel_items(
        actor, person, [VISIT_ITEM], "Placement intended to last until 18: 3-monthly visits"
    )
    return (
        _start_item(actor, person, LONG_TERM_VISIT_ITEM, day, "Long-term placement visits")
        is not None
    )


# --- The period of care and its episodes -----------------------------------------------------


@transaction.atomic
def care_start(
    *,
    actor: User | None,
    person: Person,
    start_date: dt.date | None,
    ls: str,
    cin: str,
    placement: PlacementDetails,
) -> CareEpisode:
    """The child starts to be looked after: a period of care, legal status, placement and the
    first episode (RNE S). Starts the first review (20 working days), the Reg 28 visit (1 week)
    and the initial health assessment."""
    _require_edit(actor, person)
    start = _require_date(start_date, "decom", "date the child started to be looked after")
    details = placement.cleaned()
    open_now = CareEpisode.objects.filter(person=person, dec__isnull=True).exists()
    entry = _new_episode_entry(
        person,
        details,
        decom=start,
        rne="S",
        ls=ls.strip().upper(),
        cin=cin.strip().upper(),
        context={"open_episodes": open_now, "previous_decom": _last_end(person)},
    )
    _enforce([(rules_cla.EPISODE, entry)])
    period = _save_new(actor, CarePeriod(person=person, start_date=start), ["start_date"])
    status = _save_new(
        actor,
        LegalStatus(person=person, period=period, code=entry.ls, start_date=start),
        ["code", "start_date"],
    )
    place = _new_placement(actor, person, period, details, start)
    episode = _new_episode(
        actor, person, period, status, place, decom=start, rne="S", cin=entry.cin
    )
    _start_item(actor, person, REVIEW_ITEM, start, "Started to be looked after")
    _start_item(actor, person, VISIT_ITEM, start, "Started to be looked after")
    _start_item(actor, person, HEALTH_ITEM, start, "Started to be looked after")
    return episode


@transaction.atomic
def legal_status_change(
    *, actor: User | None, person: Person, on: dt.date | None, ls: str
) -> CareEpisode:
    """A new legal status from ``on``: the open episode ends that day (X1) and a new one starts
    (RNE L) in the same placement."""
    _require_edit(actor, person)
    day = _require_date(on, "decom", "date the legal status changed")
    episode = _require_open_episode(person)
    code = ls.strip().upper()
    if code == episode.ls:
        raise ValidationError({"ls": f"The child's legal status is already {code}"})
    place = episode.placement
    details = PlacementDetails(
        place=place.place,
        place_provider=place.place_provider,
        urn=place.urn,
        pl_post=place.postcode,
        home_post=place.home_postcode,
    )
    new = _new_episode_entry(
        person,
        details,
        decom=day,
        rne="L",
        ls=code,
        cin=episode.cin,
        context={"previous_decom": episode.decom},
    )
    closing = _closing_entry(person, episode, dec=day, rec="X1", next_rne="L")
    _enforce([(rules_cla.EPISODE, new), (rules_cla.EPISODE, closing)])
    old_status = episode.legal_status
    old_status.end_date = day
    _save_changed(actor, old_status, ["end_date"])
    status = _save_new(
        actor,
        LegalStatus(person=person, period=episode.period, code=code, start_date=day),
        ["code", "start_date"],
    )
    _close_episode(actor, episode, dec=day, rec="X1")
    return _new_episode(
        actor, person, episode.period, status, place, decom=day, rne="L", cin=episode.cin
    )


def change_rne(*, legal_status_changes: bool, same_carer: bool) -> str:
    """The SSDA903 reason for a new episode when the placement changes (and perhaps the legal
    status too): P new carer, T same carer; with a new legal status B new carer, U same."""
    if legal_status_changes:
        return "U" if same_carer else "B"
    return "T" if same_carer else "P"


@transaction.atomic
def placement_change(
    *,
    actor: User | None,
    person: Person,
    on: dt.date | None,
    placement: PlacementDetails,
    same_carer: bool,
    reason_place_change: str,
    ls: str = "",
) -> CareEpisode:
    """The child moves placement on ``on`` (and, with ``ls``, their legal status changes the
    same day): the placement and the open episode end (X1, with the reason for the change), a
    new placement and episode start (RNE P/T, or B/U with a legal status change). The Reg 28
    visiting series restarts: a visit is due within a week."""
    _require_edit(actor, person)
    day = _require_date(on, "decom", "date the placement changed")
    episode = _require_open_episode(person)
    details = placement.cleaned()
    code = ls.strip().upper() or episode.ls
    status_changes = code != episode.ls
    rne = change_rne(legal_status_changes=status_changes, same_carer=same_carer)
    reason = reason_place_change.strip().upper()
    context: dict[str, Any] = {"previous_decom": episode.decom}
    usual = _usual_placement(episode)
    if usual is not None:
        context |= {"usual_place": usual.place, "usual_pl_post": usual.postcode}
    new = _new_episode_entry(
        person, details, decom=day, rne=rne, ls=code, cin=episode.cin, context=context
    )
    closing = _closing_entry(
        person,
        episode,
        dec=day,
        rec="X1",
        reason_place_change=reason,
        next_rne=rne,
        next_place=details.place,
    )
    _enforce([(rules_cla.EPISODE, new), (rules_cla.EPISODE, closing)])
    old_place = episode.placement
    old_place.end_date = day
    old_place.change_reason = reason
    _save_changed(actor, old_place, ["end_date", "change_reason"])
    status = episode.legal_status
    if status_changes:
        status.end_date = day
        _save_changed(actor, status, ["end_date"])
        status = _save_new(
            actor,
            LegalStatus(person=person, period=episode.period, code=code, start_date=day),
            ["code", "start_date"],
        )
    new_place = _new_placement(actor, person, episode.period, details, day)
    _close_episode(actor, episode, dec=day, rec="X1", reason_place_change=reason)
    created = _new_episode(
        actor, person, episode.period, status, new_place, decom=day, rne=rne, cin=episode.cin
    )
    _restart_visits(actor, person, day, "Placement changed")
    return created


@transaction.atomic
def placement_return(*, actor: User | None, person: Person, on: dt.date | None) -> CareEpisode:
    """The child goes back from a temporary placement (T0–T4) to their usual placement on
    ``on``: the same placement again (type, provider, URN, postcode), as a new episode with
    reason P and no reason for placement change (903 rules 383 and 226)."""
    _require_edit(actor, person)
    episode = _require_open_episode(person)
    usual = _usual_placement(episode)
    if usual is None:
        raise ValidationError("The child is not in a temporary placement with one to go back to")
    details = PlacementDetails(
        place=usual.place,
        place_provider=usual.place_provider,
        provider_name=usual.provider_name,
        provider_organisation=usual.provider_organisation,
        carer=usual.carer,
        urn=usual.urn,
        pl_post=usual.postcode,
        home_post=episode.home_post,
        intended_until_18=usual.intended_until_18,
    )
    return placement_change(
        actor=actor,
        person=person,
        on=on,
        placement=details,
        same_carer=False,
        reason_place_change="",
    )


@transaction.atomic
def care_end(*, actor: User | None, person: Person, on: dt.date | None, rec: str) -> CarePeriod:
    """The child ceases to be looked after on ``on`` for reason ``rec``: the episode, legal
    status, placement and period of care end; open reviews, visits and the health assessment
    due stop."""
    _require_edit(actor, person)
    day = _require_date(on, "dec", "date the child ceased to be looked after")
    episode = _require_open_episode(person)
    code = rec.strip().upper()
    _enforce([(rules_cla.EPISODE, _closing_entry(person, episode, dec=day, rec=code))])
    _close_episode(actor, episode, dec=day, rec=code)
    for row in (episode.legal_status, episode.placement):
        row.end_date = day
        _save_changed(actor, row, ["end_date"])
    period = episode.period
    period.end_date = day
    period.end_reason = code
    _save_changed(actor, period, ["end_date", "end_reason"])
    _cancel_items(actor, person, CLA_ITEMS, "Ceased to be looked after")
    return period


def _period_on(person: Person, day: dt.date) -> CarePeriod | None:
    return (
        CarePeriod.objects.filter(person=person, start_date__lte=day)
        .exclude(end_date__lt=day)
        .order_by("-start_date")
        .first()
    )


# --- Reviews, IRO, health --------------------------------------------------------------------


@transaction.atomic
def review_record(
    *,
    actor: User | None,
    person: Person,
    review_date: dt.date | None,
    participation: str = "",
    cancelled: bool = False,
) -> ClaReview:
    """A looked-after review held (or cancelled) on ``review_date``. A review held completes
    the review due; the next is due by the Reg 33 rule (3 months after the first, then 6)."""
    _require_edit(actor, person)
    day = _require_date(review_date, "review_date", "date of the review")
    period = _period_on(person, day)
    if period is None:
        raise ValidationError({"review_date": "The child was not looked after on that day"})
    code = "" if cancelled else participation.strip().upper()
    _enforce(
        [
            (
                rules_cla.REVIEW,
                Entry(
                    {"review_date": day, "participation": code, "cancelled": cancelled},
                    person=person,
                    on=day,
                ),
            )
        ]
    )
    due = open_items(person, [REVIEW_ITEM])
    item = due[0] if due else None
    review = _save_new(
        actor,
        ClaReview(
            person=person,
            period=period,
            due_date=item.due_date if item else None,
            review_date=day,
            cancelled=cancelled,
            participation=code,
            work_item=item,
        ),
        ["review_date", "cancelled", "participation"],
    )
    if item is not None and not cancelled:
        _complete_item(actor, item, day)
    if not cancelled and period.is_open:
        visit_schedule_update(actor=actor, person=person, on=day)
    return review


@transaction.atomic
def iro_contact_add(
    *,
    actor: User | None,
    person: Person,
    contact_date: dt.date | None,
    iro_name: str = "",
    notes: str = "",
) -> IroContact:
    _require_edit(actor, person)
    day = _require_date(contact_date, "contact_date", "date of the contact")
    return _save_new(
        actor,
        IroContact(person=person, contact_date=day, iro_name=iro_name.strip(), notes=notes.strip()),
        ["contact_date", "iro_name"],
    )


@transaction.atomic
def health_check_add(
    *,
    actor: User | None,
    person: Person,
    kind: str,
    check_date: dt.date | None,
    up_to_date: bool | None = None,
    notes: str = "",
) -> HealthCheck:
    """A health assessment (completes the health assessment due), dental check or
    immunisations check (up to date or not)."""
    _require_edit(actor, person)
    day = _require_date(check_date, "check_date", "date of the check")
    if kind not in HealthCheck.Kind.values:
        raise ValidationError({"kind": "Select the kind of check"})
    if kind == HealthCheck.Kind.IMMUNISATIONS and up_to_date is None:
        raise ValidationError({"up_to_date": "Say whether immunisations are up to date"})
    check = _save_new(
        actor,
        HealthCheck(
            person=person,
            kind=kind,
            check_date=day,
            up_to_date=up_to_date if kind == HealthCheck.Kind.IMMUNISATIONS else None,
            notes=notes.strip(),
        ),
        ["kind", "check_date", "up_to_date"],
    )
    if kind == HealthCheck.Kind.HEALTH_ASSESSMENT:
        for item in open_items(person, [HEALTH_ITEM]):
            _complete_item(actor, item, day)
    return check


@transaction.atomic
def sdq_add(
    *,
    actor: User | None,
    person: Person,
    sdq_date: dt.date | None,
    score: int | None = None,
    reason: str = "",
) -> SdqScore:
    _require_edit(actor, person)
    day = _require_date(sdq_date, "sdq_date", "date of the questionnaire")
    code = reason.strip().upper()
    values = {"sdq_date": day, "score": score, "reason": code}
    _enforce([(rules_cla.SDQ, Entry(values, person=person, on=day))])
    return _save_new(
        actor, SdqScore(person=person, sdq_date=day, score=score, reason=code), list(values)
    )


@transaction.atomic
def wellbeing_add(
    *,
    actor: User | None,
    person: Person,
    recorded_on: dt.date | None,
    substance_misuse: bool,
    intervention_received: bool | None = None,
    intervention_offered: bool | None = None,
    convicted: bool | None = None,
) -> WellbeingRecord:
    _require_edit(actor, person)
    day = _require_date(recorded_on, "recorded_on", "date")
    values = {
        "recorded_on": day,
        "substance_misuse": substance_misuse,
        "intervention_received": intervention_received,
        "intervention_offered": intervention_offered,
        "convicted": convicted,
    }
    _enforce([(rules_cla.WELLBEING, Entry(values, person=person, on=day))])
    return _save_new(actor, WellbeingRecord(person=person, **values), list(values))


# --- Missing, UASC, DoLO ---------------------------------------------------------------------


def _periods(rows: Iterable[Any], exclude: Any = None) -> list[tuple[dt.date, dt.date | None]]:
    return [(r.start_date, r.end_date) for r in rows if exclude is None or r.pk != exclude.pk]


@transaction.atomic
def missing_record(
    *,
    actor: User | None,
    person: Person,
    kind: str,
    start_date: dt.date | None,
    end_date: dt.date | None = None,
    rhi_offered: bool | None = None,
    rhi_accepted: bool | None = None,
    episode: MissingEpisode | None = None,
) -> MissingEpisode:
    """A missing or away period (new, or ``episode`` changed: typically its end and the
    return home interview when the child comes back)."""
    _require_edit(actor, person)
    start = _require_date(start_date, "start_date", "date the child went missing")
    if end_date is not None:
        _require_date(end_date, "end_date", "date the child came back")
    if rhi_accepted and rhi_offered is False:
        raise ValidationError({"rhi_accepted": "An interview not offered cannot be accepted"})
    code = kind.strip().upper()
    values = {
        "kind": code,
        "start_date": start,
        "end_date": end_date,
        "rhi_offered": rhi_offered,
        "rhi_accepted": rhi_accepted,
    }
    others = MissingEpisode.objects.select_for_update().filter(person=person)
    entry = Entry(
        values,
        person=person,
        instance=episode,
        on=start,
        context={"other_periods": _periods(others, exclude=episode)},
    )
    _enforce([(rules_cla.MISSING, entry)])
    if episode is None:
        return _save_new(actor, MissingEpisode(person=person, **values), list(values))
    row = MissingEpisode.objects.select_for_update().get(pk=episode.pk, person=person)
    for name, value in values.items():
        setattr(row, name, value)
    return _save_changed(actor, row, list(values))


@transaction.atomic
def uasc_record(
    *,
    actor: User | None,
    person: Person,
    start_date: dt.date | None,
    ceased_date: dt.date | None = None,
) -> UascStatus:
    """The child is an unaccompanied asylum-seeking child from ``start_date``; ``ceased_date``
    (DUC) ends the status. Changes the open status if there is one."""
    _require_edit(actor, person)
    start = _require_date(start_date, "start_date", "date UASC status started")
    values = {"start_date": start, "ceased_date": ceased_date}
    _enforce([(rules_cla.UASC, Entry(values, person=person, on=start))])
    current = (
        UascStatus.objects.select_for_update()
        .filter(person=person, ceased_date__isnull=True)
        .first()
    )
    if current is None:
        return _save_new(actor, UascStatus(person=person, **values), list(values))
    current.start_date, current.ceased_date = start, ceased_date
    return _save_changed(actor, current, list(values))


@transaction.atomic
def uasc_end(
    *, actor: User | None, person: Person, status: UascStatus, ceased_date: dt.date | None
) -> UascStatus:
    """The child's UASC status ``status`` ceased on ``ceased_date`` (DUC), recorded on that
    row (or its date corrected). Checked by the SSDA903 rules: not before the status started
    or the child was born (104), not after their 18th birthday (304)."""
    _require_edit(actor, person)
    day = _require_date(ceased_date, "ceased_date", "date UASC status ceased")
    row = UascStatus.objects.select_for_update().get(pk=status.pk, person=person)
    values = {"start_date": row.start_date, "ceased_date": day}
    _enforce([(rules_cla.UASC, Entry(values, person=person, instance=row, on=row.start_date))])
    row.ceased_date = day
    return _save_changed(actor, row, ["ceased_date"])


def _places_during(person: Person, start: dt.date, end: dt.date | None) -> list[str]:
    """The child's placement types at any time from ``start`` to ``end`` (or now)."""
    placements = Placement.objects.filter(person=person, start_date__lte=end or dt.date.max)
    return sorted({p.place for p in placements if p.end_date is None or p.end_date > start})


@transaction.atomic
def dolo_record(
    *,
    actor: User | None,
    person: Person,
    start_date: dt.date | None,
    end_date: dt.date | None = None,
    order: DoloOrder | None = None,
) -> DoloOrder:
    """A deprivation of liberty order (new, or ``order`` changed: typically its end)."""
    _require_edit(actor, person)
    start = _require_date(start_date, "start_date", "date the order started")
    values = {"start_date": start, "end_date": end_date}
    others = DoloOrder.objects.select_for_update().filter(person=person)
    entry = Entry(
        values,
        person=person,
        instance=order,
        on=start,
        context={
            "other_periods": _periods(others, exclude=order),
            "places_during": _places_during(person, start, end_date),
        },
    )
    # Rule 702 (from 2026/27) says an order ends after the day it started; before that year
    # the order still cannot end before it started.
    found: dict[str, list[str]] = {}
    ruled = {p.field for p in validation.problems(rules_cla.DOLO, entry)}
    if end_date is not None and end_date > timezone.localdate():
        found["end_date"] = ["The date the order ended must be today or in the past"]
    elif end_date is not None and end_date < start and "end_date" not in ruled:
        found["end_date"] = ["The order cannot end before the day it started"]
    _enforce([(rules_cla.DOLO, entry)], found)
    if order is None:
        return _save_new(actor, DoloOrder(person=person, **values), list(values))
    row = DoloOrder.objects.select_for_update().get(pk=order.pk, person=person)
    changed = [name for name, value in values.items() if getattr(row, name) != value] or list(
        values
    )
    row.start_date, row.end_date = start, end_date
    return _save_changed(actor, row, changed)


@transaction.atomic
def dolo_end(
    *, actor: User | None, person: Person, order: DoloOrder, end_date: dt.date | None
) -> DoloOrder:
    """The deprivation of liberty order ``order`` ended on ``end_date`` (or its end is
    corrected): the same checks as recording the order."""
    _require_edit(actor, person)
    if end_date is None:
        raise ValidationError({"end_date": "Enter the date the order ended"})
    return dolo_record(
        actor=actor, person=person, start_date=order.start_date, end_date=end_date, order=order
    )


# --- Social worker episodes ------------------------------------------------------------------


def _sw_entry(person: Person, values: dict[str, Any], exclude: Any = None) -> Entry:
    others = SocialWorkerEpisode.objects.filter(person=person)
    return Entry(
        values,
        person=person,
        on=values["start_date"],
        context={"other_periods": _periods(others, exclude=exclude)},
    )


@transaction.atomic
def sw_episode_add(
    *,
    actor: User | None,
    person: Person,
    sw_id: str,
    start_date: dt.date | None,
    end_date: dt.date | None = None,
    reason: str = "",
) -> SocialWorkerEpisode:
    """A social worker episode recorded directly (e.g. a worker without a Kith account)."""
    _require_edit(actor, person)
    start = _require_date(start_date, "start_date", "date the social worker started")
    values = {
        "sw_id": sw_id.strip().upper(),
        "start_date": start,
        "end_date": end_date,
        "reason": reason.strip().upper(),
    }
    _enforce([(rules_cla.SW_EPISODE, _sw_entry(person, values))])
    return _save_new(actor, SocialWorkerEpisode(person=person, **values), list(values))


def sw_id_for(worker: User) -> str:
    """The 903 SW_ID of a worker: their SWE registration number ("SW…"), else "XX" and the
    first 10 characters of their Kith id (so one worker is always the same ID)."""
    number = (worker.swe_number or "").strip().upper()
    if number:
        return number if number.startswith("SW") else f"SW{number}"
    return "XX" + worker.pk.hex[:10].upper()


@transaction.atomic
def sw_episodes_from_allocations(
    *, actor: User | None, person: Person, as_at: dt.date | None = None
) -> list[SocialWorkerEpisode]:
    """Derive the child's social worker episodes from their allocations (kith.work): one per
    allocation not yet derived, its end and reason kept in step. An allocation's end reason is
    the SW_REASON when it is one of the codes, else OTHERS."""
    _require_edit(actor, person)
    changed: list[SocialWorkerEpisode] = []
    allocations = (
        Allocation.objects.filter(person=person)
        .select_related("worker")
        .order_by("start_date", "created_at")
    )
    if as_at is not None:
        allocations = allocations.filter(start_date__lte=as_at)
    for allocation in allocations:
        end_reason = allocation.end_reason.strip().upper()
        reason = ""
        if allocation.end_date is not None:
            valid = end_reason and rules_cla.codelists.is_valid(
                "ssda903_sw_reason", end_reason, allocation.end_date
            )
            reason = end_reason if valid else "OTHERS"
        values: dict[str, Any] = {
            "sw_id": sw_id_for(allocation.worker),
            "start_date": allocation.start_date,
            "end_date": allocation.end_date,
            "reason": reason,
        }
        existing = SocialWorkerEpisode.objects.filter(allocation=allocation).first()
        if existing is None:
            _enforce([(rules_cla.SW_EPISODE, _sw_entry(person, values))])
            changed.append(
                _save_new(
                    actor,
                    SocialWorkerEpisode(
                        person=person, worker=allocation.worker, allocation=allocation, **values
                    ),
                    list(values),
                )
            )
        elif (existing.end_date, existing.reason) != (values["end_date"], values["reason"]):
            existing.end_date, existing.reason = values["end_date"], values["reason"]
            changed.append(_save_changed(actor, existing, ["end_date", "reason"]))
    return changed


# --- Permanence and adoption -----------------------------------------------------------------

ADOPTION_FIELDS = (
    "adm_decision_date",
    "placement_order_date",
    "matched_date",
    "placed_date",
    "placed_ceased_date",
    "placed_ceased_reason",
    "decision_reversed_date",
    "foster_care",
    "nb_adoptr",
    "sex_adoptr",
    "ls_adoptr",
)


# What each date is, in the messages the user reads.
ADOPTION_DATES = {
    "adm_decision_date": "date of the decision that the child should be placed for adoption",
    "placement_order_date": "date of the placement order",
    "matched_date": "date the child was matched with the adopters",
    "placed_date": "date the child was placed for adoption",
    "placed_ceased_date": "date the child ceased to be placed for adoption",
    "decision_reversed_date": "date the decision was reversed",
}
SINGLE_ADOPTER_SEXES = frozenset({"M1", "F1"})


def _adoption_problems(
    values: Mapping[str, Any], person: Person, record: AdoptionRecord | None
) -> dict[str, list[str]]:
    """The adoption journey's own checks (beyond the SSDA903 rules): every date today or
    before, each stage on or after the decision, a ceased placement with its reason, one
    adopter with one sex, and one adoption plan in progress at a time."""
    found: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        found.setdefault(name, []).append(message)

    today = timezone.localdate()
    decision = values["adm_decision_date"]
    if decision is None:
        add("adm_decision_date", f"Enter the {ADOPTION_DATES['adm_decision_date']}")
    for name, what in ADOPTION_DATES.items():
        if values[name] is not None and values[name] > today:
            add(name, f"The {what} must be today or in the past")
    for name in ("placement_order_date", "placed_ceased_date", "decision_reversed_date"):
        if decision is not None and values[name] is not None and values[name] < decision:
            add(name, f"The {ADOPTION_DATES[name]} cannot be before the decision")
    placed, ceased = values["placed_date"], values["placed_ceased_date"]
    if placed is not None and ceased is not None and ceased < placed:
        add("placed_ceased_date", "The placement cannot cease before the child was placed")
    if ceased is not None and not values["placed_ceased_reason"]:
        add("placed_ceased_reason", "Select the reason the child ceased to be placed for adoption")
    if values["placed_ceased_reason"] and ceased is None:
        add("placed_ceased_date", f"Enter the {ADOPTION_DATES['placed_ceased_date']}")
    if values["nb_adoptr"] == "1" and values["sex_adoptr"] not in {"", *SINGLE_ADOPTER_SEXES}:
        add("sex_adoptr", "One adopter is M1 (a man) or F1 (a woman)")
    if record is None:
        others = AdoptionRecord.objects.select_for_update().filter(
            person=person, placed_ceased_date__isnull=True, decision_reversed_date__isnull=True
        )
        if others.exists():
            add(
                "adm_decision_date",
                "The child already has an adoption plan in progress: record its next stage instead",
            )
    return found


@transaction.atomic
def adoption_record(
    *,
    actor: User | None,
    person: Person,
    record: AdoptionRecord | None = None,
    **fields: Any,
) -> AdoptionRecord:
    """Record the agency decision maker's decision that the child should be placed for
    adoption (a new record), or, with ``record``, a later stage of that journey: placement
    order, match and adopters, placement, placement ceased (only the fields given change).
    Every stage is checked again with the whole record: the SSDA903 rules and the journey's
    own order; nothing is saved if one fails."""
    _require_edit(actor, person)
    unknown = set(fields) - set(ADOPTION_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown adoption fields: {', '.join(sorted(unknown))}")
    row = (
        AdoptionRecord.objects.select_for_update().get(pk=record.pk, person=person)
        if record is not None
        else AdoptionRecord(person=person)
    )
    before = {name: getattr(row, name) for name in ADOPTION_FIELDS}
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip().upper()
        elif value is None and name not in ADOPTION_DATES:
            value = ""
        setattr(row, name, value)
    values = {name: getattr(row, name) for name in ADOPTION_FIELDS}
    entry = Entry(values, person=person, instance=record, on=values["adm_decision_date"])
    _enforce([(rules_cla.ADOPTION, entry)], _adoption_problems(values, person, record))
    if record is None:
        return _save_new(actor, row, sorted(fields))
    changed = sorted(name for name in fields if values[name] != before[name])
    return _save_changed(actor, row, changed)


@transaction.atomic
def previous_permanence_record(
    *,
    actor: User | None,
    person: Person,
    prev_perm: str,
    la_perm: str = "",
    date_perm: dt.date | None = None,
) -> PreviousPermanence:
    _require_edit(actor, person)
    values = {
        "prev_perm": prev_perm.strip().upper(),
        "la_perm": la_perm.strip(),
        "date_perm": date_perm,
    }
    _enforce([(rules_cla.PREV_PERM, Entry(values, person=person, on=date_perm))])
    return _save_new(actor, PreviousPermanence(person=person, **values), list(values))


# --- Care leavers ----------------------------------------------------------------------------


@transaction.atomic
def care_leaver_contact_add(
    *,
    actor: User | None,
    person: Person,
    eligibility: str,
    contact_date: dt.date | None,
    in_touch: str,
    accommodation: str = "",
    activity: str = "",
    pathway_plan_review_date: dt.date | None = None,
    personal_adviser: str = "",
) -> CareLeaverContact:
    """What was found at a contact with a care leaver (a new row; the latest is current)."""
    _require_edit(actor, person)
    day = _require_date(contact_date, "contact_date", "date of the latest contact")
    if eligibility not in CareLeaverContact.Eligibility.values:
        raise ValidationError({"eligibility": "Select the young person's eligibility"})
    values = {
        "eligibility": eligibility,
        "contact_date": day,
        "in_touch": in_touch.strip().upper(),
        "accommodation": accommodation.strip().upper(),
        "activity": activity.strip().upper(),
        "pathway_plan_review_date": pathway_plan_review_date,
        "personal_adviser": personal_adviser.strip(),
    }
    _enforce([(rules_cla.CARE_LEAVER, Entry(values, person=person, on=day))])
    return _save_new(actor, CareLeaverContact(person=person, **values), list(values))
