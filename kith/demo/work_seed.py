"""The seed's work phase: work items on the open cases the people phase made.

For each open involvement, the steps a council's team would have worked through since it
started: on a children's team a referral decision, a child and family assessment, then a
child in need plan (visits), a child protection plan (strategy discussion, section 47 enquiry,
conference, then visits, core groups and reviews) or a child looked after (health assessment,
visits, reviews); on an adults' team a Care Act assessment (some after a safeguarding
concern), a financial assessment for most, and reviews of the care plan. Each step's clock
starts when the step before it was completed, its due date comes from the timescale rule in
force that day (``kith.work.timescales``), and it was done on time, a little late or badly
late, so at ``today`` most open steps are on time, some overdue, some waiting for a manager's
authorisation, and the months before hold completed history for the trends. People with no
worker have unallocated steps (done by duty workers when done at all), and some allocated
people have a new step nobody has picked up yet.

Every choice comes from its own random stream (``rng_for(seed, "<size>:work")``) and the open
cases in a fixed order, so the people phase is unchanged and the same seed gives the same
work. The steps are planned first (pure Python, no writes), then written: at the small and
medium sizes through the work services (each write audited), at county size in bulk (the rows
the services would make, one audit entry a batch).
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kith.accounts.models import Team, User
from kith.accounts.services import notify
from kith.demo import selectors, selectors_children, synthetic
from kith.demo import services as demo_services
from kith.demo.models import SeedRun
from kith.demo.services import Event as _Event
from kith.people.models import Person
from kith.work import services as work
from kith.work import timescales
from kith.work.models import TimescaleRule, WorkItem, WorkItemEvent, WorkItemType

Progress = Callable[[str, int, int], None]
BULK_SIZES = frozenset({"county"})
BULK_BATCH_CASES = 1_000
LOAD_REASON = "synthetic council load"

# How each step went: done by its due date, a little late, or badly late.
LATE_SHARE = 0.16
BADLY_LATE_SHARE = 0.04
LATE_DAYS = (1, 20)
BADLY_LATE_DAYS = (21, 120)
# Days a manager took to authorise (most within the week).
AUTHORISE_DAYS = (0, 3)
SLOW_AUTHORISE_SHARE = 0.1
SLOW_AUTHORISE_DAYS = (4, 20)
# Allocated people with one new step not yet given to anyone, started this many days ago.
NEW_UNALLOCATED_SHARE = 0.1
NEW_UNALLOCATED_DAYS = (0, 25)
# Children's plans after the assessment (the rest: no further plan yet).
CHILDREN_PLANS = (("cin", 0.55), ("cp", 0.2), ("cla", 0.15))
ADULT_SAFEGUARDING_SHARE = 0.15
ADULT_FINANCIAL_SHARE = 0.6
AUTHORISED_COMMENT = "Agreed"
# Of the steps needing authorisation still open, the share already sent to the manager (this
# many days ago).
SENT_EARLY_SHARE = 0.3
SENT_DAYS_AGO = (0, 6)


class WorkSeedRefused(Exception):
    pass


@dataclass
class WorkSeedSummary:
    cases: int = 0
    items: int = 0
    open: int = 0
    overdue: int = 0
    unallocated: int = 0
    awaiting_authorisation: int = 0
    completed: int = 0
    bulk: bool = False
    seconds: float = 0.0


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


# --- The plan ----------------------------------------------------------------------------


@dataclass
class Step:
    """One work item as it went, up to ``today``."""

    code: str
    clock: dt.date
    occurrence: int
    due: dt.date | None
    rule: TimescaleRule | None
    worker: uuid.UUID | None
    previous: Step | None = None
    started: bool = False
    sent_on: dt.date | None = None  # sent for a manager's authorisation
    completed_on: dt.date | None = None  # for a step needing authorisation: authorised
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def status(self) -> str:
        if self.completed_on is not None:
            return WorkItem.Status.COMPLETED
        if self.sent_on is not None:
            return WorkItem.Status.AWAITING_AUTHORISATION
        return WorkItem.Status.IN_PROGRESS if self.started else WorkItem.Status.NOT_STARTED

    @property
    def created_by_close(self) -> bool:
        """Made by the services when the step before it was completed (a recurring step)."""
        return self.previous is not None


@dataclass
class Case:
    open_case: selectors.OpenCase
    steps: list[Step] = field(default_factory=list)


class Rules:
    """Item types and the rule in force for each on a day, as the services find them."""

    def __init__(self) -> None:
        self.types = {t.code: t for t in WorkItemType.objects.filter(active=True)}
        self._rules: dict[tuple[str, dt.date], TimescaleRule | None] = {}
        self._due: dict[tuple[uuid.UUID, dt.date, int], dt.date] = {}

    def rule(self, code: str, on: dt.date) -> TimescaleRule | None:
        key = (code, on)
        if key not in self._rules:
            self._rules[key] = timescales.rule_for(self.types[code], on)
        return self._rules[key]

    def due(self, rule: TimescaleRule, clock: dt.date, occurrence: int) -> dt.date:
        key = (rule.pk, clock, occurrence)
        if key not in self._due:
            self._due[key] = timescales.due_date(rule, clock, occurrence)
        return self._due[key]


def _weekday(day: dt.date) -> dt.date:
    """The day, or the Monday after a weekend."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _weekday_before(day: dt.date) -> dt.date:
    """The day, or the Friday before a weekend (a step due on a Saturday is done by then)."""
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


class Planner:
    def __init__(self, rng: random.Random, rules: Rules, today: dt.date) -> None:
        self.rng = rng
        self.rules = rules
        self.today = today

    def step(
        self,
        case: Case,
        code: str,
        clock: dt.date,
        worker: uuid.UUID | None,
        previous: Step | None = None,
    ) -> Step:
        rng, today = self.rng, self.today
        occurrence = previous.occurrence + 1 if previous is not None else 1
        rule = self.rules.rule(code, clock)
        due = self.rules.due(rule, clock, occurrence) if rule is not None else None
        step = Step(code, clock, occurrence, due, rule, worker, previous)
        case.steps.append(step)
        target = due or clock + dt.timedelta(days=20)
        roll = rng.random()
        if roll < BADLY_LATE_SHARE:
            done = _weekday(target + dt.timedelta(days=rng.randint(*BADLY_LATE_DAYS)))
        elif roll < BADLY_LATE_SHARE + LATE_SHARE:
            done = _weekday(target + dt.timedelta(days=rng.randint(*LATE_DAYS)))
        else:  # by the due date, mostly in its last third
            span = (target - clock).days
            done = _weekday_before(target - dt.timedelta(days=int(span * rng.random() ** 2 * 0.7)))
        done = max(clock, done)
        if self.rules.types[code].needs_authorisation:
            slow = rng.random() < SLOW_AUTHORISE_SHARE
            wait = rng.randint(*(SLOW_AUTHORISE_DAYS if slow else AUTHORISE_DAYS))
            authorised = _weekday(done + dt.timedelta(days=wait))
            if authorised <= today:
                step.sent_on, step.completed_on = done, authorised
            elif done <= today:
                step.sent_on = done
            elif (today - clock).days > 3 and rng.random() < SENT_EARLY_SHARE:
                # finished early, in the manager's queue now
                sent = _weekday_before(today - dt.timedelta(days=rng.randint(*SENT_DAYS_AGO)))
                step.sent_on = max(clock, sent)
        elif done <= today:
            step.completed_on = done
        started = rng.random() < 0.8
        step.started = step.sent_on is not None or (started and (today - clock).days > 3)
        return step

    def series(self, case: Case, code: str, clock: dt.date, worker: uuid.UUID | None) -> None:
        """A recurring step, each due by the rule from the day the one before was done,
        until the one open now."""
        step = self.step(case, code, clock, worker)
        while step.completed_on is not None and step.rule is not None and step.rule.recurs:
            step = self.step(case, code, step.completed_on, worker, previous=step)

    def case(self, open_case: selectors.OpenCase, service_area: str) -> Case:
        case = Case(open_case)
        worker = open_case.worker_id
        start = open_case.start_date
        if service_area == "children":
            self._children(case, start, worker)
        else:
            self._adults(case, start, worker)
        if worker is not None and self.rng.random() < NEW_UNALLOCATED_SHARE:
            code = "strategy-discussion" if service_area == "children" else "safeguarding-concern"
            days = self.rng.randint(*NEW_UNALLOCATED_DAYS)
            clock = max(start, self.today - dt.timedelta(days=days))
            step = self.step(case, code, clock, None)
            # picked up by nobody yet: still waiting
            step.sent_on = step.completed_on = None
            step.started = False
        return case

    def _children(self, case: Case, start: dt.date, worker: uuid.UUID | None) -> None:
        referral = self.step(case, "referral-decision", start, worker)
        if referral.completed_on is None:
            return
        decided = referral.completed_on
        assessment = self.step(case, "cf-assessment", decided, worker)
        roll, plan = self.rng.random(), ""
        for name, share in CHILDREN_PLANS:
            if roll < share:
                plan = name
                break
            roll -= share
        if plan == "cp":
            strategy = self.step(case, "strategy-discussion", decided, worker)
            if strategy.completed_on is None:
                return
            self.step(case, "s47-enquiry", strategy.completed_on, worker)
            conference = self.step(case, "icpc", strategy.completed_on, worker)
            if conference.completed_on is None:
                return
            for code in ("cp-visit", "core-group", "cp-review"):
                self.series(case, code, conference.completed_on, worker)
        elif plan == "cla":
            self.step(case, "cla-health-assessment", decided, worker)
            for code in ("cla-visit", "cla-review"):
                self.series(case, code, decided, worker)
        elif plan == "cin" and assessment.completed_on is not None:
            self.series(case, "cin-visit", assessment.completed_on, worker)

    def _adults(self, case: Case, start: dt.date, worker: uuid.UUID | None) -> None:
        clock = start
        if self.rng.random() < ADULT_SAFEGUARDING_SHARE:
            concern = self.step(case, "safeguarding-concern", start, worker)
            if concern.completed_on is None:
                return
            clock = concern.completed_on
        assessment = self.step(case, "care-act-assessment", clock, worker)
        if assessment.completed_on is None:
            return
        if self.rng.random() < ADULT_FINANCIAL_SHARE:
            self.step(case, "financial-assessment", assessment.completed_on, worker)
        self.series(case, "care-plan-review", assessment.completed_on, worker)


# --- Writing it ---------------------------------------------------------------------------


class _Context:
    def __init__(self, cases: list[selectors.OpenCase], today: dt.date) -> None:
        team_ids = {c.team_id for c in cases}
        self.teams: dict[uuid.UUID, Team] = selectors.seed_teams(team_ids=team_ids)
        self.managers = selectors.seed_team_managers(team_ids=team_ids, on=today)
        self.users: dict[uuid.UUID, User] = selectors.seed_users(
            user_ids={c.worker_id for c in cases if c.worker_id is not None}
        )


class ServicesWorkWriter:
    """Each case's steps through the work services, in the order they happened, each write
    audited. Steps still waiting for a manager are sent last, so only their notifications
    are unread."""

    def __init__(self, context: _Context, rules: Rules) -> None:
        self.context = context
        self.rules = rules
        self.waiting: list[tuple[WorkItem, Step]] = []

    def write(self, case: Case) -> None:
        made: dict[uuid.UUID, WorkItem] = {}
        open_case = case.open_case
        person = Person(pk=open_case.person_id)
        team = self.context.teams[open_case.team_id]
        manager = self.context.managers.get(open_case.team_id)
        with transaction.atomic():
            for step in case.steps:
                if step.created_by_close:
                    assert step.previous is not None
                    item = selectors.seed_next_item(previous=made[step.previous.id])
                else:
                    worker = self.context.users[step.worker] if step.worker else None
                    item = work.work_item_create(
                        actor=None,
                        person=person,
                        item_type=self.rules.types[step.code],
                        team=team,
                        clock_start=step.clock,
                        worker=worker,
                        allocated_on=step.clock if worker else None,
                    )
                made[step.id] = item
                if item.due_date != step.due:
                    raise AssertionError(f"{step.code}: due {item.due_date}, planned {step.due}")
                if step.started:
                    item = work.work_item_start(actor=None, item=item)
                if step.sent_on is not None and step.completed_on is None:
                    self.waiting.append((item, step))
                elif step.sent_on is not None:
                    item = work.work_item_complete(actor=None, item=item, on=step.sent_on)
                    work.work_item_authorise(
                        actor=manager, item=item, comment=AUTHORISED_COMMENT, on=step.completed_on
                    )
                elif step.completed_on is not None:
                    work.work_item_complete(actor=None, item=item, on=step.completed_on)

    def finish(self) -> None:
        """The steps waiting for a manager now: sent, and their managers told."""
        _notifications_read()
        with transaction.atomic():
            for item, step in self.waiting:
                work.work_item_complete(actor=None, item=item, on=step.sent_on)


def _notifications_read() -> None:
    """The seed's earlier requests for authorisation were all answered: read."""
    from kith.accounts.models import Notification

    Notification.objects.filter(read_at__isnull=True, link__endswith="authorisations").update(
        read_at=timezone.now()
    )


class BulkWorkWriter:
    """The rows the services would make for each case's steps, with bulk_create, a batch of
    cases at a time, and one audit entry a batch naming the work items it made."""

    def __init__(
        self,
        context: _Context,
        rules: Rules,
        today: dt.date,
        batch_cases: int = BULK_BATCH_CASES,
        written: Callable[[int], None] | None = None,
    ) -> None:
        self.context = context
        self.today = today
        self.written = written or (lambda count: None)
        self.rules = rules
        self.batch_cases = batch_cases
        self.items = 0
        self._cases: list[Case] = []
        self._waiting: list[tuple[uuid.UUID, str]] = []

    def add(self, case: Case) -> None:
        self._cases.append(case)
        if len(self._cases) >= self.batch_cases:
            self.flush()

    def flush(self) -> None:
        if not self._cases:
            return
        cases, self._cases = self._cases, []
        with transaction.atomic():
            self._write(cases)
        self.written(len(cases))

    def _write(self, cases: list[Case]) -> None:
        items: list[WorkItem] = []
        events: list[_Event] = []
        for case in cases:
            open_case = case.open_case
            team = self.context.teams[open_case.team_id]
            manager = self.context.managers.get(open_case.team_id)
            for step in case.steps:
                item, item_events = self._rows(step, open_case, team, manager)
                items.append(item)
                events += item_events
        demo_services.work_items_load(items=items, events=events, reason=LOAD_REASON)
        self.items += len(items)

    def _rows(
        self, step: Step, open_case: selectors.OpenCase, team: Team, manager: User | None
    ) -> tuple[WorkItem, list[_Event]]:
        """The item and its history, as ``work_item_create``, ``_allocate``, ``_start``,
        ``_complete`` and ``_authorise`` write them."""
        worker = self.context.users[step.worker] if step.worker else None
        authorised = step.sent_on is not None and step.completed_on is not None
        item = WorkItem(
            id=step.id,
            person_id=open_case.person_id,
            item_type=self.rules.types[step.code],
            status=step.status,
            clock_start=step.clock,
            due_date=step.due,
            rule=step.rule,
            team=team,
            worker=worker,
            allocated_on=step.clock if worker else None,
            completed_on=step.completed_on,
            previous_id=step.previous.id if step.previous else None,
            updated_by=manager if authorised else None,
        )
        events: list[_Event] = []

        def event(
            kind: str,
            old: object = "",
            new: object = "",
            comment: str = "",
            actor: User | None = None,
        ) -> None:
            events.append(
                (
                    item.pk,
                    kind,
                    str(old or "")[:200],
                    str(new or "")[:200],
                    comment,
                    actor.pk if actor else None,
                )
            )

        Kind, Status = WorkItemEvent.Kind, WorkItem.Status
        event(Kind.CREATED, new=step.due or "no timescale")
        event(Kind.TEAM, new=team.name)
        if worker is not None:
            event(Kind.WORKER, "unallocated", worker.display_name, "Allocated when created")
        status = Status.NOT_STARTED
        if step.started:
            event(Kind.STATUS, status, Status.IN_PROGRESS)
            status = Status.IN_PROGRESS
        if step.sent_on is not None:
            event(Kind.STATUS, status, Status.AWAITING_AUTHORISATION)
            event(Kind.AUTHORISATION_REQUESTED)
            status = Status.AWAITING_AUTHORISATION
            if step.completed_on is not None:
                event(Kind.AUTHORISED, comment=AUTHORISED_COMMENT, actor=manager)
        if step.completed_on is not None:
            event(Kind.STATUS, status, Status.COMPLETED, actor=manager if authorised else None)
        if step.status == Status.AWAITING_AUTHORISATION:
            self._waiting.append((open_case.team_id, self.rules.types[step.code].name))
        return item, events

    def finish(self) -> None:
        """Tell each team's managers about the steps waiting for them, as the services do."""
        managers = selectors.seed_team_manager_lists(
            team_ids={team_id for team_id, _ in self._waiting}, on=self.today
        )
        with transaction.atomic():
            for team_id, name in self._waiting:
                notify(
                    recipients=managers.get(team_id, []),
                    subject=f"{name} is waiting for your authorisation",
                    link=reverse("work:authorisations"),
                )


# --- The phase ----------------------------------------------------------------------------


def work_seed(
    *,
    size: str,
    seed: int,
    today: dt.date | None = None,
    progress: Progress = _no_progress,
    bulk: bool | None = None,
) -> WorkSeedSummary:
    """Work items on every open case. Refuses a database that already has work items.
    ``bulk`` (default: at county size) writes rows in bulk instead of through the services."""
    if selectors_children.seed_work_items_exist_outside_children():
        raise WorkSeedRefused(
            "This database already has work items: the seed's work is only ever added once."
        )
    started = time.monotonic()
    today = today or timezone.localdate()
    if today > timezone.localdate():
        raise WorkSeedRefused("Work is seeded as at today or an earlier day, not a future one.")
    bulk = size in BULK_SIZES if bulk is None else bulk
    rng = synthetic.rng_for(seed, f"{size}:work")
    rules = Rules()
    open_cases = _not_covered_by_children_seed(selectors.seed_open_cases(on=today))
    context = _Context(open_cases, today)
    planner = Planner(rng, rules, today)
    writer: ServicesWorkWriter | BulkWorkWriter = (
        BulkWorkWriter(context, rules, today, batch_cases=BULK_BATCH_CASES)
        if bulk
        else ServicesWorkWriter(context, rules)
    )
    summary = WorkSeedSummary(cases=len(open_cases), bulk=bulk)
    total = len(open_cases)
    for done, open_case in enumerate(open_cases, start=1):
        case = planner.case(open_case, context.teams[open_case.team_id].service_area)
        _count(case, today, summary)
        if isinstance(writer, BulkWorkWriter):
            writer.add(case)
        else:
            writer.write(case)
        if done % 100 == 0 or done == total:
            progress("work", done, total)
    if isinstance(writer, BulkWorkWriter):
        writer.flush()
    writer.finish()
    summary.seconds = round(time.monotonic() - started, 1)
    return summary


def _not_covered_by_children_seed(
    open_cases: list[selectors.OpenCase],
) -> list[selectors.OpenCase]:
    """The open cases whose statutory work is not already there: a child whose history the
    children's phase wrote (kith.demo.children_seed) has the work items the children's
    services started and completed, so none are planned for them here."""
    covered = selectors_children.seed_children_covered(
        person_ids={case.person_id for case in open_cases}
    )
    return [case for case in open_cases if case.person_id not in covered]


def _count(case: Case, today: dt.date, summary: WorkSeedSummary) -> None:
    for step in case.steps:
        summary.items += 1
        status = step.status
        if status == WorkItem.Status.COMPLETED:
            summary.completed += 1
            continue
        summary.open += 1
        summary.overdue += step.due is not None and step.due < today
        summary.unallocated += step.worker is None
        summary.awaiting_authorisation += status == WorkItem.Status.AWAITING_AUTHORISATION


def work_seed_recorded(summary: WorkSeedSummary) -> None:
    """Add the work figures to the latest seed run's summary (for `--work-only`)."""
    run = SeedRun.objects.first()
    if run is None:
        return
    kept = dict(run.summary or {})
    kept["work"] = asdict(summary)
    # as `council_seed` records them
    for name in ("items", "open", "overdue", "unallocated", "awaiting_authorisation"):
        kept[f"work_{name}"] = getattr(summary, name)
    kept["work_completed"], kept["work_seconds"] = summary.completed, summary.seconds
    SeedRun.objects.filter(pk=run.pk).update(summary=kept)
