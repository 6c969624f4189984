"""The synthetic council, written through Kith's own services.

`council_seed` makes the organisation (directorates › services › teams), the staff with their
roles, the demo logins with known passwords and authenticator keys, and the client index:
families on children's teams' caseloads and adults on adult teams' (most of them allocated to
a worker), with everyone around them (parents, step-parents, siblings, grandparents, carers);
then people known but not open now (closed cases and their families) up to the size's
number of people; then near-duplicates of about 1% of people for the duplicate report;
then five years of children's social care histories through the children's services
(`kith.demo.children_seed`), at county size topped up to the county's demand at the front
door in bulk (`kith.demo.front_door_bulk`); then the work on the other open cases
(`kith.demo.work_seed`: statutory steps, open, overdue, unallocated, waiting for
authorisation, and a year's completed history), through the services or, at county size, in bulk.

At the small and medium sizes everything is written through the services, every write
audited. At county size (300,000 people) that would take hours (see docs/performance.md):
each person on an open caseload is still made by `person_create` and given to their team and
worker through the services, but the rest of their record, their relatives and everyone not
on an open caseload are written by the bulk path (`kith.demo.people_bulk.BulkWriter`), which
makes the rows the services would, with one audit entry a batch.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kith.accounts import services as accounts
from kith.accounts.models import Team, User
from kith.demo import services as demo_services
from kith.demo import synthetic
from kith.demo.children_seed import ChildrenSeedSummary, children_seed
from kith.demo.front_door_bulk import front_door_seed
from kith.demo.logins import DEMO_LOGINS, demo_password, demo_totp_key
from kith.demo.models import SeedRun
from kith.demo.people_bulk import (
    BulkWriter,
    ServicesWriter,
    address_fields,
    organisations_create,
    person_fields,
)
from kith.demo.recording_seed import recording_seed, recording_seeded
from kith.demo.synthetic.duplicates import (
    DUPLICATE_KINDS,
    NearDuplicateSpec,
    near_duplicate,
    near_duplicates,
)
from kith.demo.synthetic.families import (
    FamilyContext,
    FamilySpec,
    Member,
    adult_family,
    child_family,
)
from kith.demo.synthetic.names import DIMINUTIVES
from kith.demo.synthetic.numbers import LEGACY_SYSTEM
from kith.demo.work_seed import WorkSeedSummary, work_seed
from kith.people import matching
from kith.people.models import Person, PersonIdentifier
from kith.people.services import address_add, identifier_add, person_create
from kith.work.models import Involvement
from kith.work.services import allocation_start, involvement_end, involvement_start

# How many cases each casework team holds, and the share allocated to a worker.
CASELOAD_PER_TEAM = {"small": 12, "medium": 90, "county": 2_400}
ALLOCATED_SHARE = 0.8
CASEWORK_ROLES = ("social_worker", "senior_practitioner")
# Everyone on the client index: the open caseloads' families, then people known but not open
# now (closed cases and their families) until there are this many.
PEOPLE_TARGET = {"small": 180, "medium": 4_000, "county": 300_000}
# Sizes whose people not on open caseloads are written in bulk, this many at a time.
BULK_SIZES = frozenset({"county"})
BULK_BATCH_PEOPLE = 2_000
CLOSED_CHILDREN_SHARE = 0.55  # of the families known before: children's (the rest adults')
# Adults known before: when an adults' team worked with them (ended between 1 month and 5 years
# ago, having lasted 1 to 18 months), and why it ended. Children's closed cases come with their
# histories from the children's phase (kith.demo.children_seed).
CLOSED_ENDED_DAYS = (30, 5 * 365)
CLOSED_LASTED_DAYS = (30, 540)
CLOSED_REASONS = ("Needs met, no eligible needs", "Moved to another council", "Support ended")
NEAR_DUPLICATE_SHARE = 0.01
MIN_NEAR_DUPLICATES = 5  # one of each kind, even in the small seed
SPARE_CANDIDATES = 200  # people kept aside to make up the minimum from
# Children's families with twins, whatever the dice say (the 2nd and 5th on the caseloads).
TWIN_FAMILIES = frozenset({1, 4})
Progress = Callable[[str, int, int], None]


@dataclass
class SeedSummary:
    size: str
    seed: int
    directorates: int = 0
    services: int = 0
    teams: int = 0
    staff: int = 0
    people: int = 0
    open_cases: int = 0
    closed_cases: int = 0  # adults known before, each with an adults' team's ended involvement
    allocated: int = 0
    not_open: int = 0  # known, on no open caseload: relatives, closed cases, duplicates
    bulk_people: int = 0  # written by the bulk path
    households: int = 0
    relationships: int = 0  # rows, each with its inverse
    seconds: float = 0.0
    people_seconds: float = 0.0
    # The work phase (kith.demo.work_seed): work items on the open cases, as at today.
    work_items: int = 0
    work_open: int = 0
    work_overdue: int = 0
    work_unallocated: int = 0
    work_awaiting_authorisation: int = 0
    work_completed: int = 0
    work_seconds: float = 0.0
    # The children's phase (kith.demo.children_seed): what it made and the case mix today.
    children: dict[str, Any] = field(default_factory=dict)
    children_seconds: float = 0.0
    # The front door in bulk (kith.demo.front_door_bulk), at county size.
    front_door: dict[str, Any] = field(default_factory=dict)
    # The recording phase (kith.demo.recording_seed): notes, visits, forms.
    recording: dict[str, Any] = field(default_factory=dict)
    # Deliberate second records: [LA number of the first, of the second, kind].
    near_duplicates: list[list[Any]] = field(default_factory=list)
    # Twins (true negatives for the duplicate report): [LA number, LA number].
    twins: list[list[int]] = field(default_factory=list)


class SeedRefused(Exception):
    pass


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def council_seed(
    *, size: str, seed: int, today: dt.date | None = None, progress: Progress = _no_progress
) -> SeedSummary:
    """Make the synthetic council. Refuses a database that already holds staff."""
    if User.objects.exists():
        raise SeedRefused(
            "This database already has staff accounts. The synthetic council is only ever "
            "loaded into an empty database (use a new DATABASE_URL, or `kith flush` a demo one)."
        )
    started = time.monotonic()
    today = today or timezone.localdate()
    demo_usernames = {login.username for login in DEMO_LOGINS}
    council = synthetic.synthetic_council(size, seed, reserved_usernames=demo_usernames)
    summary = SeedSummary(size=size, seed=seed)
    with transaction.atomic():
        run = SeedRun.objects.create(size=size, seed=seed)
        teams = _organisation(council, summary)
        staff = _staff(council, teams, summary, progress)
        _demo_logins(seed, teams, staff, council)
        summary.staff = User.objects.count()
    _people(council, teams, staff, seed, today, summary, progress)
    children_seeded(children_seed(size=size, seed=seed, today=today, progress=progress), summary)
    # At county size, the front door's demand in bulk (kith.demo.front_door_bulk).
    front_door = front_door_seed(size=size, seed=seed, today=today, progress=progress)
    summary.front_door = asdict(front_door)
    work_seeded(work_seed(size=size, seed=seed, today=today, progress=progress), summary)
    # Notes, visits and forms through the services (kith.demo.recording_seed).
    if size not in BULK_SIZES:
        recording = recording_seed(size=size, seed=seed, today=today, progress=progress)
        recording_seeded(recording, summary, today=today)
    summary.seconds = round(time.monotonic() - started, 1)
    SeedRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), summary=asdict(summary))
    return summary


def children_seeded(children: ChildrenSeedSummary, summary: SeedSummary) -> None:
    """The children's phase's figures; the care leavers it opened to the leaving care team
    are open cases now."""
    summary.children = asdict(children)
    summary.children_seconds = children.seconds
    summary.open_cases += children.care_leavers_opened
    summary.allocated += children.allocated
    summary.not_open = summary.people - summary.open_cases


def work_seeded(work: WorkSeedSummary, summary: SeedSummary) -> None:
    summary.work_items = work.items
    summary.work_open = work.open
    summary.work_overdue = work.overdue
    summary.work_unallocated = work.unallocated
    summary.work_awaiting_authorisation = work.awaiting_authorisation
    summary.work_completed = work.completed
    summary.work_seconds = work.seconds


def _organisation(council: synthetic.SyntheticCouncil, summary: SeedSummary) -> dict[str, Team]:
    teams: dict[str, Team] = {}
    for directorate in council.directorates:
        d = accounts.team_create(
            actor=None,
            name=directorate.name,
            kind="directorate",
            service_area=directorate.service_area,
        )
        summary.directorates += 1
        for service in directorate.services:
            s = accounts.team_create(
                actor=None,
                name=service.name,
                kind="service",
                service_area=service.service_area,
                parent=d,
            )
            summary.services += 1
            for team in service.teams:
                teams[team.name] = accounts.team_create(
                    actor=None,
                    name=team.name,
                    kind="team",
                    service_area=team.service_area,
                    parent=s,
                )
                summary.teams += 1
    return teams


def _staff(
    council: synthetic.SyntheticCouncil,
    teams: dict[str, Team],
    summary: SeedSummary,
    progress: Progress,
) -> dict[str, list[User]]:
    """Every worker, in their team with their role. They cannot sign in until an
    administrator resets their password: only the demo logins can."""
    by_team: dict[str, list[User]] = {}
    start = dt.date(2018, 4, 1)
    total = len(council.workers)
    for done, spec in enumerate(council.workers, start=1):
        user, _ = accounts.user_create(
            actor=None,
            username=spec.username,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=spec.email,
            job_title=spec.job_title,
            swe_number=spec.swe_number,
            sign_in_enabled=False,
        )
        accounts.membership_create(
            actor=None, user=user, team=teams[spec.team], role_code=spec.role, start_date=start
        )
        if spec.role in CASEWORK_ROLES:
            by_team.setdefault(spec.team, []).append(user)
        if done % 50 == 0 or done == total:
            progress("staff", done, total)
    return by_team


def _demo_team(council: synthetic.SyntheticCouncil, service_area: str, casework: bool) -> str:
    for team in council.teams:
        if team.service_area == service_area and (
            not casework or any(team.roles.get(role) for role in CASEWORK_ROLES)
        ):
            return team.name
    raise ValidationError(f"The synthetic council has no {service_area} team")


def _demo_logins(
    seed: int,
    teams: dict[str, Team],
    staff: dict[str, list[User]],
    council: synthetic.SyntheticCouncil,
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    password = demo_password(seed)
    for login in DEMO_LOGINS:
        casework = login.role in {"social_worker", "team_manager"}
        team_name = _demo_team(council, login.service_area, casework)
        user, _ = accounts.user_create(
            actor=None,
            username=login.username,
            first_name=login.first_name,
            last_name=login.last_name,
            email=f"{login.username}@{synthetic.EMAIL_DOMAIN}",
            job_title=login.description,
            password=password,
        )
        accounts.membership_create(
            actor=None,
            user=user,
            team=teams[team_name],
            role_code=login.role,
            start_date=dt.date(2018, 4, 1),
        )
        TOTPDevice.objects.create(
            user=user,
            name=accounts.TOTP_DEVICE_NAME,
            key=demo_totp_key(seed, login.username),
            confirmed=True,
        )
        if login.role in CASEWORK_ROLES:
            staff.setdefault(team_name, []).insert(0, user)


def _people(
    council: synthetic.SyntheticCouncil,
    teams: dict[str, Team],
    staff: dict[str, list[User]],
    seed: int,
    today: dt.date,
    summary: SeedSummary,
    progress: Progress,
) -> None:
    started = time.monotonic()
    context = FamilyContext.for_area(council.area, f"{seed}:{council.size}")
    with transaction.atomic():
        organisations = organisations_create(context.local.organisations)
    writer = ServicesWriter(organisations)
    bulk = (
        BulkWriter(organisations, batch_people=BULK_BATCH_PEOPLE)
        if council.size in BULK_SIZES
        else None
    )
    duplicates = _DuplicatePicker(seed, council, today, context)
    _open_cases(
        council, teams, staff, seed, today, context, writer, bulk, duplicates, summary, progress
    )
    _known_before(
        council, teams, staff, seed, today, context, writer, bulk, duplicates, summary, progress
    )
    duplicates.write(summary, progress)
    summary.households += writer.households
    summary.relationships += writer.relationships
    if bulk is not None:
        summary.bulk_people = bulk.people
        summary.households += bulk.households
        summary.relationships += bulk.relationships
    summary.not_open = summary.people - summary.open_cases
    summary.people_seconds = round(time.monotonic() - started, 1)


def _record_twins(family: FamilySpec, persons: list[Person], summary: SeedSummary) -> None:
    for a, b in family.twins():
        summary.twins.append([persons[a].la_number, persons[b].la_number])


@dataclass
class _Caseload:
    team: Team
    workers: list[User]
    family: FamilySpec
    first_case: int  # the team's count of cases before this family's
    persons: list[Person] = field(default_factory=list)


def _open_cases(
    council: synthetic.SyntheticCouncil,
    teams: dict[str, Team],
    staff: dict[str, list[User]],
    seed: int,
    today: dt.date,
    context: FamilyContext,
    writer: ServicesWriter,
    bulk: BulkWriter | None,
    duplicates: _DuplicatePicker,
    summary: SeedSummary,
    progress: Progress,
) -> None:
    """Each casework team's caseload: children's families, or adults (with their carers).

    Every person on a caseload is made by `person_create` and given to the team (and most
    to a worker) through the services. The rest of their record and their relatives are
    written through the services too, except at county size: there the bulk path writes
    them, a batch of families at a time."""
    rng = synthetic.rng_for(seed, f"{council.size}:people")
    per_team = CASELOAD_PER_TEAM[council.size]
    casework = [
        t for t in council.teams if t.name in staff and t.service_area in {"children", "adults"}
    ]
    total = per_team * len(casework)
    done = 0
    child_families = 0
    waiting: list[_Caseload] = []
    waiting_people = 0

    def write_waiting() -> None:
        nonlocal done
        for case in waiting:
            with transaction.atomic():
                if bulk is None:
                    persons = writer.write(case.family)
                    case.persons = persons
                    subjects = {i: persons[i] for i in case.family.subjects}
                else:
                    subjects = {
                        i: person_create(actor=None, **person_fields(case.family.members[i]))
                        for i in case.family.subjects
                    }
                _start_work(case, subjects, rng, today, summary)
            if bulk is not None:
                case.persons = bulk.add(case.family, created=subjects)
        if bulk is not None:
            bulk.flush()
        for case in waiting:
            summary.people += len(case.persons)
            _record_twins(case.family, case.persons, summary)
            duplicates.offer(case.family, case.persons)
            done = min(total, done + len(case.family.subjects))
            progress("caseloads", done, total)
        waiting.clear()

    for spec in casework:
        cases = 0
        while cases < per_team:
            if spec.service_area == "children":
                twins = True if child_families in TWIN_FAMILIES else None
                family = child_family(rng, today, context, twins=twins)
                child_families += 1
            else:
                family = adult_family(rng, today, context)
            waiting.append(_Caseload(teams[spec.name], staff[spec.name], family, cases))
            waiting_people += len(family.members)
            cases += len(family.subjects)
            if bulk is None or waiting_people >= BULK_BATCH_PEOPLE:
                write_waiting()
                waiting_people = 0
    write_waiting()


def _start_work(
    case: _Caseload,
    subjects: dict[int, Person],
    rng: random.Random,
    today: dt.date,
    summary: SeedSummary,
) -> None:
    """Each person on the caseload with the team, most of them allocated to a worker."""
    cases = case.first_case
    for index in case.family.subjects:
        person = subjects[index]
        started = _since(rng, today)
        involvement_start(actor=None, person=person, team=case.team, start_date=started)
        summary.open_cases += 1
        cases += 1
        if case.workers and rng.random() < ALLOCATED_SHARE:
            worker = case.workers[0] if cases <= 8 else rng.choice(case.workers)
            allocation_start(
                actor=None,
                person=person,
                team=case.team,
                worker=worker,
                start_date=started + dt.timedelta(days=rng.randint(0, (today - started).days)),
            )
            summary.allocated += 1


def _known_before(
    council: synthetic.SyntheticCouncil,
    teams: dict[str, Team],
    staff: dict[str, list[User]],
    seed: int,
    today: dt.date,
    context: FamilyContext,
    writer: ServicesWriter,
    bulk: BulkWriter | None,
    duplicates: _DuplicatePicker,
    summary: SeedSummary,
    progress: Progress,
) -> None:
    """People known to social care but not open now, with their families, until the client
    index holds the size's number of people, each case a team's closed involvement. In bulk at
    county size."""
    rng = synthetic.rng_for(seed, f"{council.size}:known")
    closed = _ClosedCases(council, teams, staff, seed, today)
    total = max(0, PEOPLE_TARGET[council.size] - summary.people)
    start = bulk.people if bulk else 0
    if bulk is not None:
        bulk.written = lambda count: progress(
            "known people", min(total, bulk.people - start), total
        )
    with_twins: list[tuple[FamilySpec, list[Person]]] = []
    made = 0
    while made < total:
        area = "children" if rng.random() < CLOSED_CHILDREN_SHARE else "adults"
        if area == "children":
            family = child_family(rng, today, context)
        else:
            family = adult_family(rng, today, context)
        if bulk is not None:
            persons = bulk.add(family)
            closed.plan(area, [persons[i] for i in family.subjects], bulk=True)
        else:
            with transaction.atomic():
                persons = writer.write(family)
                closed.plan(area, [persons[i] for i in family.subjects], bulk=False)
            progress("known people", min(total, made + len(persons)), total)
        made += len(persons)
        duplicates.offer(family, persons)
        if family.twins():
            with_twins.append((family, persons))
    if bulk is not None:
        bulk.flush()  # the LA numbers of the last batch
    summary.closed_cases = closed.write_bulk() + closed.written
    for family, persons in with_twins:
        _record_twins(family, persons, summary)
    summary.people += made


class _DuplicatePicker:
    """Chooses about 1% of people (at least MIN_NEAR_DUPLICATES) as they are written, and at
    the end records each a second time, as another team might have typed them."""

    def __init__(
        self,
        seed: int,
        council: synthetic.SyntheticCouncil,
        today: dt.date,
        context: FamilyContext,
    ) -> None:
        self.rng = synthetic.rng_for(seed, f"{council.size}:near-duplicates")
        self.issuer = context.issuer
        self.today = today
        self.area = council.area
        self.share = NEAR_DUPLICATE_SHARE
        self.chosen: list[tuple[Member, Person, NearDuplicateSpec]] = []
        self.spare: list[tuple[Member, Person]] = []
        self.made: dict[str, int] = {}
        # Nicknames the matching knows (its nickname list), as staff would use them.
        self.nicknames = {
            formal: tuple(
                short
                for short in shorts
                if matching.fold(short).replace(" ", "")
                in matching.given_name_forms(matching.fold(formal))
            )
            for formal, shorts in DIMINUTIVES.items()
        }

    def offer(self, family: FamilySpec, persons: list[Person]) -> None:
        for member, person in zip(family.members, persons, strict=True):
            if member.spec.date_of_birth is None:
                continue
            if self.rng.random() >= self.share:
                if len(self.spare) < SPARE_CANDIDATES:
                    self.spare.append((member, person))
                continue
            self._choose(member, person)

    def _choose(self, member: Member, person: Person, kind: str = "") -> bool:
        if kind:
            second = near_duplicate(
                self.rng, member, kind, self.today, self.area, nicknames=self.nicknames
            )
        else:
            second = near_duplicates(
                self.rng, member, self.today, self.area, made=self.made, nicknames=self.nicknames
            )
        if second is not None:
            self.chosen.append((member, person, second))
            self.made[second.kind] = self.made.get(second.kind, 0) + 1
        return second is not None

    def _top_up(self) -> None:
        """At least MIN_NEAR_DUPLICATES, with every kind among them."""
        spare = [(m, p) for m, p in self.spare if all(p is not c for _, c, _ in self.chosen)]
        for kind in DUPLICATE_KINDS:
            if not self.made.get(kind):
                for index, (member, person) in enumerate(spare):
                    if self._choose(member, person, kind):
                        del spare[index]
                        break
        for member, person in spare[: max(0, MIN_NEAR_DUPLICATES - len(self.chosen))]:
            self._choose(member, person)

    def write(self, summary: SeedSummary, progress: Progress) -> None:
        self._top_up()
        total = len(self.chosen)
        for done, (member, person, second) in enumerate(self.chosen, start=1):
            with transaction.atomic():
                duplicate = person_create(
                    actor=None,
                    given_name=second.given_name,
                    family_name=second.family_name,
                    date_of_birth=second.date_of_birth,
                    sex=second.sex,
                    postcode=second.address.postcode,
                    ethnicity=member.spec.ethnicity,
                )
                address_add(
                    actor=None,
                    person=duplicate,
                    start_date=second.moved_in,
                    **address_fields(second.address),
                )
                if self.rng.random() < 0.5:  # came across from the old system
                    identifier_add(
                        actor=None,
                        person=duplicate,
                        kind=PersonIdentifier.Kind.LEGACY,
                        value=self.issuer.legacy_id(),
                        system=LEGACY_SYSTEM,
                    )
            summary.near_duplicates.append([person.la_number, duplicate.la_number, second.kind])
            summary.people += 1
            if done % 50 == 0 or done == total:
                progress("near-duplicates", done, total)


def _since(rng: random.Random, today: dt.date) -> dt.date:
    """When an open case started."""
    return today - dt.timedelta(days=rng.randint(0, 400))


class _ClosedCases:
    """A closed involvement for each adult known before: the adults' team that worked with
    them, when, and why it ended. Through the services (``involvement_start`` then
    ``involvement_end``, each audited) at the small and medium sizes; at county size the same
    rows in bulk after the people, with one audit entry a batch."""

    def __init__(
        self,
        council: synthetic.SyntheticCouncil,
        teams: dict[str, Team],
        staff: dict[str, list[User]],
        seed: int,
        today: dt.date,
    ) -> None:
        self.rng = synthetic.rng_for(seed, f"{council.size}:closed")
        self.today = today
        self.teams = {
            area: [
                teams[t.name] for t in council.teams if t.name in staff and t.service_area == area
            ]
            for area in ("children", "adults")
        }
        self.waiting: list[Involvement] = []
        self.written = 0

    def plan(self, area: str, people: list[Person], *, bulk: bool) -> None:
        if area != "adults" or not self.teams[area]:
            return
        team = self.rng.choice(self.teams[area])
        ended = self.today - dt.timedelta(days=self.rng.randint(*CLOSED_ENDED_DAYS))
        started = ended - dt.timedelta(days=self.rng.randint(*CLOSED_LASTED_DAYS))
        reason = self.rng.choice(CLOSED_REASONS)
        for person in people:
            if bulk:
                self.waiting.append(
                    Involvement(
                        person=person,
                        team=team,
                        start_date=started,
                        end_date=ended,
                        end_reason=reason,
                    )
                )
                continue
            involvement = involvement_start(
                actor=None, person=person, team=team, start_date=started
            )
            involvement_end(actor=None, involvement=involvement, end_date=ended, reason=reason)
            self.written += 1

    def write_bulk(self) -> int:
        """The county's closed involvements, after its people are written."""
        written = 0
        for start in range(0, len(self.waiting), BULK_BATCH_PEOPLE):
            batch = self.waiting[start : start + BULK_BATCH_PEOPLE]
            demo_services.closed_involvements_load(batch)
            written += len(batch)
        self.waiting.clear()
        return written
