"""The county's front door in bulk: enough contacts and referrals that closed after an
assessment for the county's demand (about 2,000 referrals a month for five years), on top of
the histories the children's phase writes through the services.

Through the services a referral costs about 70 audited writes; 120,000 of them would take
days on the two-core machine (docs/performance.md). These histories are the simple, common
ones: a contact that ends at the front door (information and advice, or no further action),
or a contact that becomes a referral, an assessment authorised by the team manager (some late)
and a closure with no further action or a step down to early help (RC8, RC9); some children
are referred again after an earlier episode closed.

Each history is checked by the same entry rules the services apply (``validation.enforce``
for contacts, CIN episodes and assessments, and the local code lists) before it is written; a
history that breaks one is left out and counted, with the rule's message. The rows are those
the services would make (the contact, episode and assessment, the team's involvement and
the worker's allocation, both ended, and the completed ``contact-decision`` and
``cf-assessment`` work items with their events), written a batch at a time with one audit
entry a batch naming the children (``kith.demo.services.front_door_load``).
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from kith.accounts.models import Team, User
from kith.children import codes_cin, rules_cin, validation
from kith.children.models import Assessment, CINEpisode, Contact
from kith.children.rules_cla import add_years
from kith.core.memo import memo_scope
from kith.demo import selectors, selectors_children, synthetic
from kith.demo import services as demo_services
from kith.demo.children_seed import (
    FACTORS,
    NEEDS,
    SOURCES,
    YEARS,
    _pick,
    _wd,
    _weekday,
    team_kind,
)
from kith.demo.models import SeedRun
from kith.demo.work_seed import AUTHORISED_COMMENT, Rules
from kith.people.models import Person
from kith.work.models import Allocation, Involvement, WorkItem, WorkItemEvent

Progress = Callable[[str, int, int], None]

# Referrals a month the council receives, at the sizes whose front door is topped up in bulk.
REFERRALS_A_MONTH = {"county": 2_000}
# Seasons: fewer referrals in the school holidays (August, late December), more in the autumn.
MONTH_FACTOR = {1: 1.0, 2: 1.02, 3: 1.05, 4: 0.95, 5: 1.02, 6: 1.04, 7: 1.0, 8: 0.8, 9: 1.0,
                10: 1.08, 11: 1.08, 12: 0.9}  # fmt: skip
CONTACTS_NOT_REFERRED = 0.5  # contacts ending at the front door, per referral
# Histories about a child the front door saw before (over five years many are): referrals,
# and contacts that end at the front door.
REFERRAL_KNOWN_SHARE = 0.35
CONTACT_KNOWN_SHARE = 0.7
KNOWN_TRIES = 8
EARLY_HELP_SHARE = 0.25  # assessments ending in a step down to early help
LATE_SHARE = 0.15  # assessments authorised after 45 working days
NO_FACTORS_SHARE = 0.3  # assessments with no further action finding no factors ("21")
BATCH_HISTORIES = 1_000
SEARCH_LIMIT = 500  # children looked at for one referral before giving up
RECENT_WORKING_DAYS = 12  # referrals this recent would still be open (the caseloads hold those)
REASON = "synthetic council load: the front door"
CONTACT_DECISION, ASSESSMENT_ITEM = "contact-decision", "cf-assessment"
FRONT_DOOR_KINDS = ("front_door", "assessment")


@dataclass
class FrontDoorSummary:
    children: int = 0  # children given a front-door history here
    contacts: int = 0
    referrals: int = 0
    assessments: int = 0
    re_referrals: int = 0  # referrals of a child whose earlier episode had closed
    wanted: int = 0  # referrals to add: the demand less those the services made
    short: int = 0  # referrals not made: no child of the right age free that day
    recent: int = 0  # referrals in the last days, not made: they would still be open
    refused: int = 0  # histories an entry rule refused (left out)
    refusals: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class _Desk:
    """A team at the front door, its caseworkers and its manager."""

    team: Team
    workers: list[User]
    manager: User


@dataclass
class _Child:
    person: Person
    free_from: dt.date  # the day after the last episode closed (or the first possible day)
    until: dt.date  # the last day a referral suits: four months before the 18th birthday
    histories: int = 0
    episodes: list[CINEpisode] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)


@dataclass
class _Batch:
    contacts: list[Contact] = field(default_factory=list)
    episodes: list[CINEpisode] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    involvements: list[Involvement] = field(default_factory=list)
    allocations: list[Allocation] = field(default_factory=list)
    items: list[WorkItem] = field(default_factory=list)
    events: list[demo_services.Event] = field(default_factory=list)
    disabilities_none: set[uuid.UUID] = field(default_factory=set)
    children: set[uuid.UUID] = field(default_factory=set)
    histories: int = 0


class FrontDoor:
    def __init__(
        self, seed: int, today: dt.date, referrals_a_month: int, progress: Progress
    ) -> None:
        self.rng = synthetic.rng_for(seed, "front-door")
        self.today = today
        self.referrals_a_month = referrals_a_month
        self.progress = progress
        self.summary = FrontDoorSummary()
        self.rules = Rules()
        teams = selectors_children.seed_children_teams()
        ids = {pk for pk, team in teams.items() if team_kind(team.name) in FRONT_DOOR_KINDS}
        workers = selectors_children.seed_team_workers(team_ids=ids, on=today)
        managers = selectors.seed_team_managers(team_ids=ids, on=today)
        self.desks = [
            _Desk(teams[pk], workers[pk], managers[pk])
            for pk in sorted(ids, key=lambda pk: teams[pk].name)
            if workers.get(pk) and pk in managers
        ]
        self.batch = _Batch()

    # --- who is referred, and when ------------------------------------------------------------

    def months(self) -> list[tuple[dt.date, int]]:
        """Each month of the five years and how many referrals to add to those already made."""
        first = add_years(self.today, -YEARS).replace(day=1)
        made = selectors_children.seed_referrals_by_month(since=first)
        months: list[tuple[dt.date, int]] = []
        month = first
        while month <= self.today:
            wanted = self.referrals_a_month * MONTH_FACTOR[month.month]
            wanted *= self.rng.uniform(0.95, 1.05)
            if month.year == self.today.year and month.month == self.today.month:
                wanted *= self.today.day / 30
            months.append((month, max(0, round(wanted) - made.get(month, 0))))
            month = (month + dt.timedelta(days=32)).replace(day=1)
        return months

    def run(self) -> FrontDoorSummary:
        started = time.monotonic()
        if not self.desks:
            return self.summary
        young = selectors_children.seed_known_young_people(born_after=add_years(self.today, -22))
        covered = selectors_children.seed_children_covered(person_ids={p.pk for p in young})
        pool = [p for p in young if p.pk not in covered and p.date_of_birth is not None]
        self.rng.shuffle(pool)
        waiting: deque[_Child] = deque(
            _Child(p, born, add_years(born, 18) - dt.timedelta(days=120))
            for p in pool
            if (born := p.date_of_birth) is not None
        )
        known: list[_Child] = []
        plan = [(month, self._slots(month, wanted)) for month, wanted in self.months()]
        total = sum(len(slots) for _, slots in plan)
        done = 0
        for _, slots in plan:
            for day, contact_only in slots:
                done += 1
                if not contact_only:
                    self.summary.wanted += 1
                    if day > self.today or _wd(day, RECENT_WORKING_DAYS) >= self.today:
                        self.summary.recent += 1  # still open: the caseloads hold these
                        continue
                elif day > self.today:
                    continue
                share = CONTACT_KNOWN_SHARE if contact_only else REFERRAL_KNOWN_SHARE
                child = self._child_for(day, waiting, known, share)
                if child is None:
                    self.summary.short += not contact_only
                    continue
                self._history(child, day, contact_only=contact_only)
                if self.batch.histories >= BATCH_HISTORIES:
                    self._flush()
                    self.progress("front door (in bulk)", done, total)
        self._flush()
        self.progress("front door (in bulk)", total, total)
        self.summary.seconds = round(time.monotonic() - started, 1)
        return self.summary

    def _slots(self, month: dt.date, referrals: int) -> list[tuple[dt.date, bool]]:
        """The month's working days for its referrals and for its contacts that end at the
        front door (True), in date order."""
        end = min(self.today, (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(1))
        contacts = round(referrals * CONTACTS_NOT_REFERRED)
        slots = [
            (
                _weekday(month + dt.timedelta(days=self.rng.randint(0, (end - month).days))),
                n >= referrals,
            )
            for n in range(referrals + contacts)
        ]
        return sorted(slots)

    def _suits(self, child: _Child, day: dt.date) -> bool:
        # born by then (free from the birthday), and not 18 before the assessment is done
        return child.free_from <= day <= child.until

    def _child_for(
        self, day: dt.date, waiting: deque[_Child], known: list[_Child], share_known: float
    ) -> _Child | None:
        """A child the front door has seen before (``share_known`` of the time, or when no
        new child suits) or one it has not; None if none suits."""
        if known and self.rng.random() < share_known:
            child = self._known_child(day, known, KNOWN_TRIES)
            if child is not None:
                return child
        for _ in range(min(len(waiting), SEARCH_LIMIT)):
            child = waiting.popleft()
            if self._suits(child, day):
                known.append(child)
                return child
            born = child.person.date_of_birth
            assert born is not None
            if born > day:  # not born yet: perhaps later
                waiting.append(child)
        return self._known_child(day, known, KNOWN_TRIES * 4) if known else None

    def _known_child(self, day: dt.date, known: list[_Child], tries: int) -> _Child | None:
        for _ in range(tries):
            child = known[self.rng.randrange(len(known))]
            if self._suits(child, day):
                return child
        return None

    # --- one history ----------------------------------------------------------------------------

    def _history(self, child: _Child, day: dt.date, *, contact_only: bool) -> None:
        rng = self.rng
        desk = self.desks[rng.randrange(len(self.desks))]
        worker = desk.workers[rng.randrange(len(desk.workers))]
        batch = _Batch()
        free_from = child.free_from
        new_child = child.histories == 0
        referred_before = bool(child.episodes)
        try:
            if contact_only:
                self._contact(batch, child, desk, worker, day, rng.choice(["advice", "nfa"]))
            else:
                self._referral(batch, child, desk, worker, day)
        except ValidationError as exc:
            child.free_from = free_from
            self.summary.refused += 1
            if len(self.summary.refusals) < 20:
                self.summary.refusals.append(f"{child.person.la_number} on {day}: {exc}")
            return
        self._merge(batch)
        child.histories += 1
        self.summary.children += new_child
        self.summary.re_referrals += referred_before and not contact_only

    def _contact(
        self, batch: _Batch, child: _Child, desk: _Desk, worker: User, day: dt.date, decision: str
    ) -> Contact:
        rng = self.rng
        person = child.person
        received = timezone.make_aware(
            dt.datetime.combine(day, dt.time(8 + rng.randint(0, 9), rng.randint(0, 59)))
        )
        decided = min(self.today, _wd(day, 1) if rng.random() < 0.2 else day)
        source = _pick(rng, SOURCES)
        validation.enforce(
            "cin_contact",
            validation.Entry({"source": source, "received_on": day}, person=person, on=day),
        )
        if not codes_cin.is_valid("contact_outcome", decision, decided):
            raise ValidationError({"decision": f"{decision} is not a contact outcome"})
        contact = Contact(
            id=uuid.uuid4(),
            person=person,
            team=desk.team,
            received_at=received,
            source=source,
            referrer="Referrer named in the contact record",
            summary="Concerns about the child reported to the front door.",
            priority=rng.choice(["red", "amber", "green", "green", "green"]),
            screening="Checks with police, health and school; history reviewed.",
            decision=decision,
            decided_on=decided,
            decision_reason="Decision recorded after screening",
            created_by=worker,
            updated_by=worker,
        )
        contact.work_item = self._item(
            batch, person, desk, worker, CONTACT_DECISION, day, decided, authorised_by=None
        )
        batch.contacts.append(contact)
        batch.children.add(person.pk)
        child.free_from = max(child.free_from, decided + dt.timedelta(days=1))
        return contact

    def _referral(
        self, batch: _Batch, child: _Child, desk: _Desk, worker: User, day: dt.date
    ) -> None:
        rng, today = self.rng, self.today
        contact = self._contact(batch, child, desk, worker, day, "referral")
        person = child.person
        referred = contact.decided_on
        assert referred is not None
        start = min(today, _wd(referred, rng.randint(0, 2)))
        seen = min(today, _wd(start, rng.randint(0, 5)))
        length = rng.randint(46, 75) if rng.random() < LATE_SHARE else rng.randint(10, 45)
        authorised = max(seen, _wd(referred, length))
        closed = _wd(authorised, rng.randint(0, 5))
        if closed >= today:  # recent: a quicker assessment, closed by yesterday
            authorised = max(seen, min(authorised, today - dt.timedelta(days=2)))
            closed = max(authorised, today - dt.timedelta(days=1))
        step_down = rng.random() < EARLY_HELP_SHARE
        outcome = "early-help" if step_down else "nfa"
        factors = sorted(rng.sample(FACTORS, rng.randint(1, 4)))
        if not step_down and rng.random() < NO_FACTORS_SHARE:
            factors = ["21"]
        episode = CINEpisode(
            id=uuid.uuid4(),
            person=person,
            team=desk.team,
            contact=contact,
            referral_date=referred,
            referral_source=contact.source,
            primary_need=_pick(rng, NEEDS),
            referral_nfa=False,
            created_by=worker,
            updated_by=worker,
        )
        assessment = Assessment(
            id=uuid.uuid4(),
            person=person,
            episode=episode,
            start_date=start,
            child_seen_date=seen,
            authorisation_date=authorised,
            factors=factors,
            outcome=outcome,
            outcome_nfa=True,
            created_by=worker,
            updated_by=desk.manager,
        )
        self._check(child, episode, assessment)
        episode.closure_date = closed
        episode.closure_reason = "RC9" if step_down else "RC8"
        self._check(child, episode, assessment)
        assessment.work_item = self._item(
            batch, person, desk, worker, ASSESSMENT_ITEM, referred, authorised,
            authorised_by=desk.manager,
        )  # fmt: skip
        batch.episodes.append(episode)
        batch.assessments.append(assessment)
        if not person.disabilities:
            batch.disabilities_none.add(person.pk)
            person.disabilities = ["NONE"]  # as written with the batch
        batch.involvements.append(
            Involvement(
                person=person,
                team=desk.team,
                start_date=referred,
                end_date=closed,
                end_reason="Case closed",
                created_by=worker,
                updated_by=worker,
            )
        )
        batch.allocations.append(
            Allocation(
                person=person,
                team=desk.team,
                worker=worker,
                start_date=referred,
                end_date=closed,
                reason="Referral",
                end_reason="CHCHAN",
                created_by=worker,
                updated_by=worker,
            )
        )
        child.episodes.append(episode)
        child.assessments.append(assessment)
        child.free_from = closed + dt.timedelta(days=rng.randint(30, 400))

    def _check(self, child: _Child, episode: CINEpisode, assessment: Assessment) -> None:
        """The entry rules the services apply to the episode and the assessment."""
        person = child.person
        values = {
            name: getattr(episode, name)
            for name in (
                "referral_date", "referral_source", "primary_need", "referral_nfa",
                "closure_date", "closure_reason",
            )
        }  # fmt: skip
        validation.enforce(
            rules_cin.EPISODE,
            validation.Entry(
                values,
                person=person,
                instance=None,
                on=episode.referral_date,
                context={
                    "others": list(child.episodes),
                    "activity": rules_cin.Activity(assessments=[assessment]),
                },
            ),
        )
        assessed = {
            "start_date": assessment.start_date,
            "child_seen_date": assessment.child_seen_date,
            "internal_review_date": None,
            "authorisation_date": assessment.authorisation_date,
            "factors": assessment.factors,
        }
        validation.enforce(
            rules_cin.ASSESSMENT,
            validation.Entry(
                assessed,
                person=person,
                instance=None,
                on=assessment.authorisation_date or assessment.start_date,
                context={"episode": episode, "others": list(child.assessments)},
            ),
        )
        if not codes_cin.is_valid("assessment_outcome", assessment.outcome, assessment.start_date):
            raise ValidationError({"outcome": f"{assessment.outcome} is not an outcome"})

    def _item(
        self,
        batch: _Batch,
        person: Person,
        desk: _Desk,
        worker: User,
        code: str,
        clock: dt.date,
        completed: dt.date,
        *,
        authorised_by: User | None,
    ) -> WorkItem | None:
        """The completed step, as ``work_item_create`` and its completion write it."""
        item_type = self.rules.types.get(code)
        if item_type is None:
            return None
        rule = self.rules.rule(code, clock)
        item = WorkItem(
            id=uuid.uuid4(),
            person=person,
            item_type=item_type,
            status=WorkItem.Status.COMPLETED,
            clock_start=clock,
            due_date=self.rules.due(rule, clock, 1) if rule else None,
            rule=rule,
            team=desk.team,
            worker=worker,
            allocated_on=clock,
            completed_on=completed,
            updated_by=authorised_by,
        )
        Kind, Status = WorkItemEvent.Kind, WorkItem.Status

        def event(kind: str, old: object = "", new: object = "", comment: str = "",
                  actor: User | None = None) -> None:  # fmt: skip
            batch.events.append(
                (item.pk, kind, str(old or "")[:200], str(new or "")[:200], comment,
                 actor.pk if actor else None)
            )  # fmt: skip

        event(Kind.CREATED, new=item.due_date or "no timescale")
        event(Kind.TEAM, new=desk.team.name)
        event(Kind.WORKER, "unallocated", worker.display_name, "Allocated when created")
        status = Status.NOT_STARTED
        if authorised_by is not None and item_type.needs_authorisation:
            event(Kind.STATUS, status, Status.AWAITING_AUTHORISATION, actor=worker)
            event(Kind.AUTHORISATION_REQUESTED, actor=worker)
            event(Kind.AUTHORISED, comment=AUTHORISED_COMMENT, actor=authorised_by)
            status = Status.AWAITING_AUTHORISATION
        event(Kind.STATUS, status, Status.COMPLETED, actor=authorised_by or worker)
        batch.items.append(item)
        return item

    # --- writing ----------------------------------------------------------------------------

    def _merge(self, batch: _Batch) -> None:
        into = self.batch
        for name in ("contacts", "episodes", "assessments", "involvements", "allocations",
                     "items", "events"):  # fmt: skip
            getattr(into, name).extend(getattr(batch, name))
        into.disabilities_none |= batch.disabilities_none
        into.children |= batch.children
        into.histories += 1

    def _flush(self) -> None:
        batch, self.batch = self.batch, _Batch()
        if not batch.histories:
            return
        demo_services.front_door_load(
            contacts=batch.contacts,
            episodes=batch.episodes,
            assessments=batch.assessments,
            involvements=batch.involvements,
            allocations=batch.allocations,
            items=batch.items,
            events=batch.events,
            disabilities_none=batch.disabilities_none,
            children=batch.children,
            reason=REASON,
        )
        self.summary.contacts += len(batch.contacts)
        self.summary.referrals += len(batch.episodes)
        self.summary.assessments += len(batch.assessments)


def front_door_seed(
    *,
    size: str,
    seed: int,
    today: dt.date | None = None,
    progress: Progress = _no_progress,
    referrals_a_month: int | None = None,
) -> FrontDoorSummary:
    """Top the council's referrals up to its demand (``REFERRALS_A_MONTH`` for its size, or
    ``referrals_a_month``) with closed front-door histories written in bulk."""
    wanted = referrals_a_month or REFERRALS_A_MONTH.get(size)
    if not wanted:
        return FrontDoorSummary()
    with memo_scope():  # the code lists the entry rules read do not change meanwhile
        return FrontDoor(seed, today or timezone.localdate(), wanted, progress).run()


def front_door_line(summary: dict[str, Any]) -> str:
    line = (
        f"The front door in bulk: {summary.get('contacts', 0):,} contacts and "
        f"{summary.get('referrals', 0):,} referrals closed after an assessment, for "
        f"{summary.get('children', 0):,} children ({summary.get('re_referrals', 0):,} "
        f"referred again), in {summary.get('seconds', 0)}s; of {summary.get('wanted', 0):,} "
        f"referrals wanted, {summary.get('recent', 0):,} in the last days are left to the "
        f"caseloads and {summary.get('short', 0):,} found no child free that day."
    )
    if summary.get("refused"):
        line += f" {summary['refused']} histories refused by the entry rules."
    return line


class FrontDoorRefused(Exception):
    pass


def front_door_add(
    *, today: dt.date | None = None, progress: Progress = _no_progress
) -> FrontDoorSummary:
    """``kith seed --front-door-only``: the front door in bulk for a council seeded before it
    had one (its size and seed are those it was made with); recorded in its summary."""
    run = SeedRun.objects.first()
    if run is None:
        raise FrontDoorRefused("No synthetic council here: seed one first (`kith seed`).")
    if run.finished_at is None:
        raise FrontDoorRefused(f"The {run} has not finished: add its front door once it has.")
    if (run.summary or {}).get("front_door", {}).get("referrals"):
        raise FrontDoorRefused(f"The {run} already has its front door in bulk.")
    if run.size not in REFERRALS_A_MONTH:
        raise FrontDoorRefused(
            f"A {run.size} council's front door is written through the services; only a "
            f"{' or '.join(sorted(REFERRALS_A_MONTH))} council's is topped up in bulk."
        )
    summary = front_door_seed(size=run.size, seed=run.seed, today=today, progress=progress)
    kept = dict(run.summary or {})
    kept["front_door"] = asdict(summary)
    SeedRun.objects.filter(pk=run.pk).update(summary=kept)
    return summary
