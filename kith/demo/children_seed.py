"""The seed's children's phase: five years of children's social care histories, written through
the children's services so the DfE entry rules apply and every write is audited.

Each child on a children's team's caseload gets a current journey that fits the team and their
age (a contact waiting for a decision or an assessment under way at the front door; a CIN plan;
a section 47 enquiry or a CP plan; looked after, some placed for adoption, some unaccompanied
asylum-seeking children; a young person about to leave care), with the history that led to it:
the contact and referral, the assessment (most authorised within 45 working days, some late),
strategy discussions, enquiries and conferences, plans with their reviews, core groups and
visits, periods of care with legal status changes, placement moves (a reason for each), same-day
episode changes, reviews on the Reg 33 timescales, health assessments, dental checks, SDQs,
missing episodes with return interviews, social worker episodes with the workers' SWE numbers,
and earlier closed referrals. Children and young people known before (not open now) carry
closed histories: referrals closed after assessment, CIN and CP plans that ended, periods of
care that ended (home, special guardianship, child arrangements, adoption with its AD1 and
placed-for-adoption dates), and care leavers aged 17 to 21 open to the leaving care team with
their contacts around each birthday.

The actor is the child's allocated worker (or, with none, the team manager); managers
authorise assessments and enquiries. Every choice comes from its own random stream
(``rng_for(seed, "<size>:children")``) over the children in LA number order, so the people
phase is unchanged and the same seed gives the same histories.

At county size the histories are capped (``COUNTY_CAP``): through the services, 2,000
referrals a month for five years would take days (docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kith.accounts.models import Team, User
from kith.children import rules_cla
from kith.children import services_cin as cin
from kith.children import services_cla as cla
from kith.children.models import CareLeaverContact, CINEpisode, CPPlan, HealthCheck
from kith.children.rules_cla import add_years
from kith.core.memo import memo_scope
from kith.demo import selectors, selectors_children, synthetic
from kith.demo.synthetic.numbers import IdentifierIssuer
from kith.demo.synthetic.places import postcodes_elsewhere
from kith.people.models import Person, PersonIdentifier
from kith.people.services import identifier_add, person_update
from kith.recording import services as recording
from kith.work import services as work
from kith.work.timescales import add_period

Progress = Callable[[str, int, int], None]

YEARS = 5
# Children's caseload journeys by the kind of team (from its name), with their shares.
TEAM_MIX: dict[str, tuple[tuple[str, float], ...]] = {
    "front_door": (("contact", 0.2), ("assessment", 0.8)),
    "assessment": (("assessment", 0.85), ("s47", 0.15)),
    "cin_cp": (("cin", 0.55), ("cp", 0.35), ("s47", 0.1)),
    "cin": (("cin", 0.9), ("assessment", 0.1)),
    "cp": (("cp", 0.85), ("s47", 0.1), ("cin", 0.05)),
    "cic_leaving": (("cla", 0.7), ("adoption", 0.1), ("leaver", 0.2)),
    "cic": (("cla", 1.0),),
    "leaving": (("leaver", 1.0),),
    "disabled": (("cin", 0.85), ("cla", 0.15)),
    "fostering_adoption": (("adoption", 0.5), ("cla", 0.5)),
}
LOOKED_AFTER_TEAMS = frozenset({"cic", "cic_leaving", "leaving", "fostering_adoption"})
# Children known before with a closed history (share of them), and what it was.
KNOWN_SHARE = 0.5
CLOSED_MIX = (
    ("contact", 0.12),
    ("nfa", 0.38),
    ("cin", 0.24),
    ("cp", 0.12),
    ("cla", 0.1),
    ("adopted", 0.04),
)
CARE_LEAVER_SHARE = 0.45  # of young people known before aged 18 to 21
EARLIER_REFERRAL_SHARE = 0.25  # open children with an earlier closed referral
LATE_ASSESSMENT_SHARE = 0.15
# At county size, how many caseload children get a journey (the county's case mix).
COUNTY_CAP = {"cla": 2_000, "cp": 600, "cin": 4_000, "other": 1_500, "known": 2_000}

SOURCES = (
    ("6", 29), ("2A", 18), ("2B", 2), ("3A", 4), ("3B", 3), ("3C", 1), ("3D", 2), ("3E", 3),
    ("3F", 2), ("5A", 6), ("5B", 3), ("5C", 2), ("5D", 3), ("1A", 4), ("1B", 1), ("1C", 1),
    ("1D", 2), ("4", 2), ("7", 2), ("8", 4), ("9", 1), ("10", 1),
)  # fmt: skip
NEEDS = (("N1", 58), ("N2", 4), ("N3", 4), ("N4", 8), ("N5", 15), ("N6", 3), ("N7", 1), ("N8", 7))
FACTORS = ("1A", "1B", "2A", "2B", "3A", "3B", "4A", "4B", "5A", "6A", "6B", "7A", "8B", "8C",
           "9A", "10A", "11A", "12A", "13A", "14A", "15A", "16A", "17A", "18B", "18C", "19B",
           "19C", "20", "22A", "23A", "24A")  # fmt: skip
CATEGORIES = (("NEG", 50), ("EMO", 36), ("PHY", 7), ("SAB", 4), ("MUL", 3))
PLACE_CHANGE = (
    ("CARPL", 30), ("CHILD", 9), ("CREQB", 14), ("CREQO", 10), ("PLACE", 6), ("STAND", 3),
    ("ALLEG", 3), ("APPRR", 3), ("CLOSE", 5), ("LAREQ", 8), ("OTHER", 8), ("CUSTOD", 1),
)  # fmt: skip
SW_REASONS = (("LEFTRL", 35), ("ORGRST", 15), ("MANAGE", 20), ("TSPROC", 15), ("CHCHAN", 10),
              ("ABSENC", 5))  # fmt: skip
# Visits written: the first of a plan or placement, then those in the last days (CIN and CP
# visits) or the last year (looked-after children's Reg 28 visits).
VISITS_WINDOW = 180
CLA_VISITS_WINDOW = 365
SW_EPISODES_FROM = dt.date(2023, 4, 1)  # SWEpisodes: SSDA903 from 2023/24
VIRTUAL_SCHOOL = "1100"  # the establishment number UPNs found for children in care carry
PRE_PROCEEDINGS_FROM = dt.date(2023, 12, 15)
PLACE_K3_FROM = dt.date(2025, 4, 1)
ATTENDEES = "Social worker; police; health (named nurse); school designated safeguarding lead"
HEALTH = HealthCheck.Kind.HEALTH_ASSESSMENT
DENTAL = HealthCheck.Kind.DENTAL_CHECK
CORE_GROUP = "Parents; social worker; school; health visitor or school nurse"


@dataclass
class ChildrenSeedSummary:
    children: int = 0  # children and young people given a children's history
    open_journeys: int = 0
    closed_histories: int = 0
    care_leavers_opened: int = 0
    allocated: int = 0  # new open allocations (looked-after children and care leavers)
    counts: dict[str, int] = field(default_factory=dict)
    journeys: dict[str, int] = field(default_factory=dict)  # open journeys by kind
    refused: int = 0  # journeys a service refused (should be none)
    refusals: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in weighted], weights=[w for _, w in weighted])[0]


def _share(rng: random.Random, mix: tuple[tuple[str, float], ...]) -> str:
    roll = rng.random()
    for name, share in mix:
        if roll < share:
            return name
        roll -= share
    return mix[-1][0]


def _signed_in(user: User) -> User:
    """The worker as the services see them in a request: signed in with their second factor
    (the seed records what each worker did, as them)."""
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    return user


def team_kind(name: str) -> str:
    n = name.lower()
    if "leaving care" in n:
        return "cic_leaving" if "children in care" in n else "leaving"
    if "children in care" in n:
        return "cic"
    if "fostering" in n or "adoption" in n:
        return "fostering_adoption"
    if "disabled" in n:
        return "disabled"
    if "child protection" in n:
        return "cin_cp" if "children in need" in n else "cp"
    if "children in need" in n:
        return "cin"
    if "assessment" in n and "front door" not in n:
        return "assessment"
    return "front_door"


def _wd(day: dt.date, n: int) -> dt.date:
    return add_period(day, n, "working_days")


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _weekday_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _months(day: dt.date, n: int) -> dt.date:
    return add_period(day, n, "months")


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass
class Child:
    person: Person
    team: Team
    worker: User
    manager: User
    kind: str = ""

    @property
    def born(self) -> dt.date | None:
        return self.person.date_of_birth


class Writer:
    """Writes one child's history through the services, in the order it happened."""

    def __init__(
        self,
        rng: random.Random,
        today: dt.date,
        visit_types: dict[str, Any],
        postcodes: list[str],
        workers: dict[uuid.UUID, list[User]],
    ) -> None:
        self.rng = rng
        self.today = today
        self.visit_types = visit_types
        self.elsewhere = postcodes_elsewhere()
        self.postcodes = postcodes or list(self.elsewhere)
        self.workers = workers
        self.providers = self._providers()
        self.upn_issuer = IdentifierIssuer(f"{rng.random()}:children")

    def _providers(self) -> dict[str, list[tuple[str, str]]]:
        rng = random.Random(self.rng.random())

        def urn() -> str:
            return f"SC{rng.randint(100000, 999999)}"

        return {
            "PR1": [("County Fostering Service", urn())],
            "PR4": [(f"{n} Fostering", urn()) for n in ("Oakleaf", "Brightpath", "Harbour")]
            + [(f"{n} Children's Home", urn()) for n in ("Meadow View", "Willow House")],
            "PR5": [("Family Placement Trust", urn())],
            "PR2": [("Neighbouring County Fostering", urn())],
        }

    # --- helpers ---------------------------------------------------------------------------

    def _day_between(self, start: dt.date, end: dt.date) -> dt.date:
        if end <= start:
            return start
        return start + dt.timedelta(days=self.rng.randint(0, (end - start).days))

    def _before_today(self, day: dt.date) -> bool:
        return day <= self.today

    def _visits(
        self, c: Child, code: str, start: dt.date, until: dt.date, every: int, window: int
    ) -> None:
        """Visits of kind ``code`` from ``start`` to ``until``, about every ``every`` days (a
        few late), each completing the visit due. Only the first and those in the last
        ``window`` days are written (the seed's time goes on what the pages and trends show):
        the visit due after the first is completed late, at the window's start."""
        recent = self.today - dt.timedelta(days=window)
        first = True
        visit_type = self.visit_types.get(code)
        if visit_type is None:
            return
        day = start + dt.timedelta(days=self.rng.randint(1, max(2, every // 2)))
        while day <= until and day <= self.today:
            day = _weekday_before(day) if _weekday_before(day) >= start else _weekday(day)
            if day > self.today:
                break
            seen = self.rng.random() < 0.95
            child_born = c.born
            recording.visit_record(
                actor=c.worker,
                person=c.person,
                visit_type=visit_type,
                actual_date=day,
                seen=seen,
                seen_alone=seen
                and child_born is not None
                and _age(child_born, day) >= 5
                and self.rng.random() < 0.7,
                bedroom_seen=(self.rng.random() < 0.6)
                if child_born and _age(child_born, day) < 18
                else None,
            )
            if first and day < recent:
                day = recent + dt.timedelta(days=self.rng.randint(0, every // 2))
                first = False
                continue
            first = False
            late = self.rng.random() < 0.08
            gap = (
                every + self.rng.randint(1, 10) if late else every - self.rng.randint(0, every // 4)
            )
            day = day + dt.timedelta(days=max(1, gap))

    # --- the child in need journey ---------------------------------------------------------

    def contact(self, c: Child, day: dt.date, decision: str = "", need: str = "") -> Any:
        received = timezone.make_aware(
            dt.datetime.combine(day, dt.time(9 + self.rng.randint(0, 7), self.rng.randint(0, 59)))
        )
        contact = cin.contact_record(
            actor=c.worker,
            person=c.person,
            team=c.team,
            received_at=received,
            source=_pick(self.rng, SOURCES),
            referrer="Referrer named in the contact record",
            summary="Concerns about the child's care at home reported to the front door.",
            priority=self.rng.choice(["red", "amber", "green", "green"]),
        )
        if not decision:
            return contact
        decided = min(self.today, _wd(day, 1) if self.rng.random() < 0.2 else day)
        contact = cin.contact_decide(
            actor=c.worker,
            contact=contact,
            decision=decision,
            decided_on=decided,
            reason="Decision recorded after screening",
            primary_need=need,
            early_help_organisation="Family Hub" if decision == "early-help" else "",
        )
        if decision == "referral":
            return contact.referrals.get()
        return contact

    def referral(self, c: Child, day: dt.date, need: str = "") -> CINEpisode:
        episode = self.contact(c, day, "referral", need or _pick(self.rng, NEEDS))
        if not c.person.disabilities and c.born is not None:
            # the assessment asks: none (the CIN census wants NONE rather than nothing)
            person_update(actor=c.worker, person=c.person, disabilities=["NONE"])
            c.person.disabilities = ["NONE"]
        return episode

    def assessment(
        self, c: Child, episode: CINEpisode, outcome: str, *, done: bool = True, days: int = 0
    ) -> tuple[Any, dt.date]:
        """The assessment from the referral; authorised by the manager within 45 working days
        (some late) when ``done``. Returns it and its authorisation (or last) day."""
        start = min(self.today, _wd(episode.referral_date, self.rng.randint(0, 2)))
        seen = min(self.today, _wd(start, self.rng.randint(0, 5)))
        assessment = cin.assessment_start(
            actor=c.worker, episode=episode, start_date=start, child_seen_date=seen
        )
        if not done:
            return assessment, start
        if days:
            length = days
        elif self.rng.random() < LATE_ASSESSMENT_SHARE:
            length = self.rng.randint(46, 75)
        else:
            length = self.rng.randint(10, 45)
        authorised = max(seen, _wd(episode.referral_date, length))
        if authorised > self.today:
            return assessment, start
        factors = sorted(self.rng.sample(FACTORS, self.rng.randint(1, 4)))
        if outcome == "nfa" and self.rng.random() < 0.3:
            factors = ["21"]
        cin.assessment_update(
            actor=c.manager,
            assessment=assessment,
            authorisation_date=authorised,
            factors=factors,
            outcome=outcome,
            outcome_nfa=outcome in {"nfa", "early-help"},
        )
        return assessment, authorised

    def protection(
        self, c: Child, episode: CINEpisode, day: dt.date, *, plan: bool = True
    ) -> tuple[CPPlan | None, dt.date]:
        """Strategy discussion on ``day``, section 47 enquiry, initial conference (a CP plan
        when ``plan``). Returns the plan and the conference day (or the enquiry's last)."""
        discussion = cin.strategy_discussion_record(
            actor=c.worker, episode=episode, discussion_date=day, attendees=ATTENDEES,
            start_s47=True,
        )  # fmt: skip
        s47 = cin.s47_start(
            actor=c.worker, episode=episode, start_date=day, strategy_discussion=discussion
        )
        target = s47.icpc_target_date or _wd(day, 15)
        conference = _weekday(target - dt.timedelta(days=self.rng.randint(0, 6)))
        if self.rng.random() < 0.15:  # late conferences happen
            conference = _wd(target, self.rng.randint(1, 8))
        conference = max(conference, _wd(day, 3))
        end = _weekday_before(conference - dt.timedelta(days=self.rng.randint(1, 3)))
        end = max(end, day)
        if end > self.today:
            return None, day
        cin.s47_complete(
            actor=c.manager,
            s47=s47,
            end_date=end,
            outcome="icpc"
            if plan
            else self.rng.choice(["nfa-continue-assessment", "s17-services"]),
            icpc_required=plan,
        )
        if not plan or conference > self.today:
            return None, end
        held = cin.icpc_record(
            actor=c.worker,
            episode=episode,
            conference_date=conference,
            cp_plan=True,
            section47=s47,
            initial_category=_pick(self.rng, CATEGORIES),
        )
        return held.plan, conference

    def cp_plan_life(self, c: Child, plan: CPPlan, until: dt.date, *, end: bool) -> dt.date:
        """Core groups, review conferences (3 months, then 6-monthly) and visits until
        ``until``; with ``end``, the last review ends the plan. Returns the plan's last day."""
        start = plan.start_date
        # core groups: first within 10 working days, then about monthly
        meeting = _wd(start, self.rng.randint(5, 10))
        while meeting <= until and meeting <= self.today:
            cin.core_group_record(
                actor=c.worker, plan=plan, meeting_date=meeting, attendees=CORE_GROUP
            )
            meeting = _weekday(_months(meeting, 1) - dt.timedelta(days=self.rng.randint(0, 6)))
        reviews: list[dt.date] = []
        review = _weekday_before(_months(start, 3) - dt.timedelta(days=self.rng.randint(0, 10)))
        while review <= until and review <= self.today:
            reviews.append(review)
            review = _weekday_before(
                _months(review, 6) - dt.timedelta(days=self.rng.randint(0, 10))
            )
        last = plan.start_date
        for index, day in enumerate(reviews):
            final = end and index == len(reviews) - 1
            born = c.born
            cin.cp_review_record(
                actor=c.worker,
                plan=plan,
                review_date=day,
                continue_plan=not final,
                quorate=self.rng.random() < 0.93,
                participation="too-young"
                if born is None or _age(born, day) < 5
                else self.rng.choice(["attended-spoke", "advocate", "views-conveyed", "declined"]),
            )
            last = day
        if end and not reviews:
            return plan.start_date
        return last

    def cin_plan(self, c: Child, episode: CINEpisode, start: dt.date, end: dt.date | None) -> Any:
        plan = cin.cin_plan_start(actor=c.worker, episode=episode, start_date=start)
        if end is None:
            self._visits(c, "cin-visit", start, self.today, 26, VISITS_WINDOW)
            return plan
        return cin.cin_plan_end(actor=c.worker, plan=plan, end_date=end)

    def close(self, c: Child, episode: CINEpisode, day: dt.date, reason: str) -> None:
        cin.episode_close(
            actor=c.worker,
            episode=episode,
            closure_date=min(day, self.today),
            closure_reason=reason,
        )

    # --- journeys that end before today ------------------------------------------------------

    def closed_referral(self, c: Child, day: dt.date, kind: str) -> dt.date:
        """A referral from ``day`` that closed; returns its closure date."""
        if kind == "contact":
            self.contact(c, day, self.rng.choice(["advice", "nfa", "early-help"]))
            return day
        episode = self.referral(c, day)
        if kind == "nfa":
            outcome = "early-help" if self.rng.random() < 0.25 else "nfa"
            _, done = self.assessment(c, episode, outcome)
            close = _wd(done, self.rng.randint(0, 5))
            self.close(c, episode, close, "RC9" if outcome == "early-help" else "RC8")
            return close
        if kind == "cp":
            _, done = self.assessment(
                c, episode, "strategy-discussion", days=self.rng.randint(5, 15)
            )
            plan, conference = self.protection(c, episode, _wd(done, self.rng.randint(0, 2)))
            if plan is None:
                return conference
            plan_end = self.cp_plan_life(
                c, plan, _months(conference, self.rng.randint(4, 16)), end=True
            )
            if plan_end == plan.start_date:
                plan_end = _wd(plan.start_date, 30)
                cin.cp_plan_update(actor=c.worker, plan=plan, end_date=plan_end)
            cin_end = min(_months(plan_end, self.rng.randint(3, 8)), self.today)
            if cin_end <= plan_end:
                cin_end = _wd(plan_end, 1)
            self.cin_plan(c, episode, plan_end, cin_end)
            self.close(c, episode, cin_end, "RC7")
            return cin_end
        # a CIN plan that ended
        _, done = self.assessment(c, episode, "cin-plan")
        end = max(min(_months(done, self.rng.randint(3, 14)), self.today), _wd(done, 1))
        self.cin_plan(c, episode, done, end)
        self.close(c, episode, end, "RC7")
        return end

    # --- looked after -------------------------------------------------------------------------

    def _placement(self, c: Child, on: dt.date, *, kind: str = "", age: int = 10) -> Any:
        if not kind:
            roll = self.rng.random()
            if age >= 16 and on >= PLACE_K3_FROM and roll < 0.3:
                kind = "K3"
            elif age >= 11 and roll < 0.2:
                kind = "K2"
            elif roll < 0.35:
                kind = self.rng.choice(["U1", "U3", "U3"])
            else:
                kind = self.rng.choice(["U4", "U6", "U6", "U6"])
        if kind.startswith("A"):
            provider = self.rng.choice(["PR1", "PR2", "PR5"])
        elif kind in {"K2", "K3"}:
            provider = "PR4" if self.rng.random() < 0.8 else "PR1"
        elif kind.startswith(("T", "Z")):
            provider = ""
        elif kind == "P1":
            provider = "PR0"
        else:
            provider = "PR1" if self.rng.random() < 0.6 else self.rng.choice(["PR4", "PR5"])
        name, urn = (
            self.rng.choice(self.providers.get(provider, [("", "")])) if provider else ("", "")
        )
        needs_urn = kind[:1] in {"U", "A", "K"} or kind in {"R3", "S1"}
        if kind.startswith("A") and self.rng.random() < 0.4:
            urn = "XXXXXXX"
        carer = f"Carers {self.rng.randint(1000, 9999)}" if kind[:1] in {"U", "A"} else name
        return cla.PlacementDetails(
            place=kind,
            place_provider=provider,
            provider_name=name,
            carer=carer,
            urn=urn if needs_urn else "",
            pl_post=self._placement_postcode(c, kind, provider),
            home_post=c.person.postcode or "",
            intended_until_18=kind in {"U1", "U4"} or (kind == "K2" and self.rng.random() < 0.3),
        )

    def _placement_postcode(self, c: Child, kind: str, provider: str) -> str:
        """Somewhere other than the child's home (903 rule 392d: the same only for P1); one
        placement in four is outside the council's area, as many are, but not supported
        accommodation (the validator's rule 241 wants K3 in the area) nor the council's own
        provision other than foster care and adoption (rule 1015)."""
        home = c.person.postcode or ""
        own = provider == "PR1" and kind[:1] not in {"A", "U"}
        if kind != "K3" and not own and self.rng.random() < 0.25:
            return self.rng.choice(self.elsewhere)
        choices = [p for p in self.postcodes if p != home] or self.postcodes
        return self.rng.choice(choices)

    def care(
        self,
        c: Child,
        start: dt.date,
        *,
        ls: str,
        need: str,
        end: dt.date | None = None,
        rec: str = "",
        adoption: bool = False,
        uasc: bool = False,
    ) -> None:
        """A period of care from ``start`` (to ``end`` with ``rec``, or open): placement moves,
        legal status changes, reviews, IRO contacts, health, SDQ, missing, visits, UASC,
        adoption."""
        born = c.born
        assert born is not None
        age = _age(born, start)
        first = self._placement(c, start, age=age, kind="U6" if age < 1 else "")
        cla.care_start(actor=c.worker, person=c.person, start_date=start, ls=ls, cin=need,
                       placement=first)  # fmt: skip
        # none before (P1–P4 would need the LA and date of the order: 903 rule 630)
        cla.previous_permanence_record(actor=c.worker, person=c.person, prev_perm="Z1")
        self._upn(c)
        if uasc:
            ceased = add_years(born, 18)
            cla.uasc_record(
                actor=c.worker,
                person=c.person,
                start_date=start,
                ceased_date=ceased if ceased <= self.today else None,
            )
        last = min(end or self.today, self.today)
        # legal status changes and placement moves, in date order
        events: list[tuple[dt.date, str]] = []
        if ls in {"L1", "L2"}:  # police protection lasts at most 72 hours (903 rule 361)
            days = self.rng.randint(1, 3) if ls == "L1" else self.rng.randint(2, 8)
            events.append((start + dt.timedelta(days=days), "ls:C1"))
            ls_now = "C1"
        else:
            ls_now = ls
        if ls_now == "C1" and adoption:
            order = _months(start, self.rng.randint(6, 9))
            events.append((order, "ls:E1"))
            events.append((_months(order, self.rng.randint(3, 6)), "adopt"))
        elif ls_now == "C1":
            events.append((_months(start, self.rng.randint(6, 12)), "ls:C2"))
        years = max(0.1, (last - start).days / 365)
        moves = sum(self.rng.random() < 0.6 for _ in range(int(years * 1.3) + 1))
        for _ in range(moves):
            events.append((self._day_between(start + dt.timedelta(days=30), last), "move"))
        if self.rng.random() < 0.06:
            events.append((self._day_between(start + dt.timedelta(days=20), last), "temporary"))
        events = sorted(e for e in events if start < e[0] <= last and (end is None or e[0] < end))
        placement_start = start
        segments: list[tuple[dt.date, str]] = [(start, first.place)]
        adopt_record = None
        previous_day = start
        for day, what in events:
            if day <= previous_day:
                continue
            age_then = _age(born, day)
            if what.startswith("ls:"):
                code = what[3:]
                if code == "E1":
                    adopt_record = cla.adoption_record(
                        actor=c.worker,
                        person=c.person,
                        adm_decision_date=day - dt.timedelta(days=self.rng.randint(30, 90)),
                        placement_order_date=day,
                    )
                cla.legal_status_change(actor=c.worker, person=c.person, on=day, ls=code)
            elif what == "adopt" and adopt_record is not None:
                matched = day - dt.timedelta(days=self.rng.randint(20, 60))
                ordered = adopt_record.placement_order_date
                if ordered is None or matched <= ordered:
                    continue
                same = self.rng.random() < 0.25
                details = self._placement(c, day, kind="A5" if same else "A6", age=age_then)
                couple = self.rng.random() < 0.8
                sexes = self.rng.choice(["MF", "MF", "MF", "FF", "MM"]) if couple else ""
                cla.adoption_record(
                    actor=c.worker,
                    person=c.person,
                    record=adopt_record,
                    matched_date=matched,
                    placed_date=day,
                    foster_care="1" if same else "0",
                    nb_adoptr="2" if couple else "1",
                    sex_adoptr=sexes or self.rng.choice(["F1", "M1"]),
                    # married (L11 a man and a woman, L12 a same-sex couple) or civil partners
                    ls_adoptr=(
                        self.rng.choice(["L11", "L11", "L2"] if sexes == "MF" else ["L12", "L2"])
                        if couple
                        else "L0"
                    ),
                )
                cla.placement_change(
                    actor=c.worker, person=c.person, on=day, placement=details, same_carer=same,
                    reason_place_change="CARPL",
                )  # fmt: skip
                segments.append((day, details.place))
                placement_start = day
            elif what == "temporary":
                back = day + dt.timedelta(days=self.rng.randint(3, 10))
                if back >= last or any(day < d <= back for d, _ in events):
                    continue
                current = segments[-1][1]
                if current.startswith("A"):
                    continue
                # a move into or out of a temporary placement gives no reason (903 rule 226);
                # the child goes back to the same placement (rule 383)
                cla.placement_change(
                    actor=c.worker, person=c.person, on=day,
                    placement=self._placement(c, day, kind="T1", age=age_then), same_carer=False,
                    reason_place_change="",
                )  # fmt: skip
                cla.placement_return(actor=c.worker, person=c.person, on=back)
                segments.append((back, "back"))
                previous_day = back
                continue
            elif what == "move":
                if segments[-1][1].startswith("A"):
                    continue
                same = self.rng.random() < 0.05
                status = ""
                if self.rng.random() < 0.08 and ls_now == "V2" and age_then < 16:
                    status = "C1"  # same-day legal status and placement change (B/U)
                reason = _pick(self.rng, PLACE_CHANGE)
                if reason == "CUSTOD" and _age(born, previous_day) < rules_cla.CUSTODY_FROM_AGE:
                    reason = "OTHER"  # not for a child under 10 when the episode began (rule 234)
                cla.placement_change(
                    actor=c.worker, person=c.person, on=day,
                    placement=self._placement(c, day, age=age_then), same_carer=same,
                    reason_place_change=reason, ls=status,
                )  # fmt: skip
                if status:
                    ls_now = status
                segments.append((day, "move"))
                placement_start = day
            previous_day = day
        del placement_start
        self._care_life(c, start, last, segments)
        if end is not None and end <= self.today:
            cla.care_end(actor=c.worker, person=c.person, on=end, rec=rec)

    def _care_life(
        self, c: Child, start: dt.date, last: dt.date, segments: list[tuple[dt.date, str]]
    ) -> None:
        """Reviews (20 working days, 3 months, then 6-monthly) with IRO contacts, health
        checks, SDQs, wellbeing, missing episodes and Reg 28 visits over the period."""
        born = c.born
        assert born is not None
        rng = self.rng
        review = _weekday_before(_wd(start, 20) - dt.timedelta(days=rng.randint(0, 6)))
        count = 0
        while review <= last:
            late = rng.random() < 0.05
            held = _weekday(review + dt.timedelta(days=rng.randint(1, 10))) if late else review
            if held > last:
                break
            cla.review_record(
                actor=c.worker,
                person=c.person,
                review_date=held,
                participation="PN0" if held < add_years(born, 4)
                else _pick(rng, (("PN1", 40), ("PN2", 10), ("PN3", 8), ("PN4", 8), ("PN5", 14),
                                 ("PN6", 10), ("PN7", 10))),
            )  # fmt: skip
            if rng.random() < 0.8:
                cla.iro_contact_add(actor=c.worker, person=c.person, contact_date=held,
                                    iro_name="Independent reviewing officer")  # fmt: skip
            count += 1
            step = 3 if count == 1 else 6
            review = _weekday_before(_months(held, step) - dt.timedelta(days=rng.randint(0, 12)))
        # health: initial assessment before the first review, then 6-monthly under 5,
        # yearly after; dental and immunisations yearly; SDQ yearly for 4 to 16
        check = _wd(start, rng.randint(5, 19))
        while check <= last:
            cla.health_check_add(actor=c.worker, person=c.person, kind=HEALTH, check_date=check)
            under_5 = _age(born, check) < 5
            if _age(born, check) >= 1:
                dental = check + dt.timedelta(days=rng.randint(5, 60))
                if dental <= last:
                    cla.health_check_add(
                        actor=c.worker, person=c.person, kind=DENTAL, check_date=dental
                    )
                cla.health_check_add(
                    actor=c.worker, person=c.person, kind=HealthCheck.Kind.IMMUNISATIONS,
                    check_date=check, up_to_date=rng.random() < 0.88,
                )  # fmt: skip
            age = _age(born, check)
            if age >= 10:
                misuse = rng.random() < 0.05
                received = (rng.random() < 0.6) if misuse else None
                cla.wellbeing_add(
                    actor=c.worker, person=c.person, recorded_on=check, substance_misuse=misuse,
                    intervention_received=received,
                    intervention_offered=(rng.random() < 0.7) if received is False else None,
                    convicted=rng.random() < 0.03,
                )  # fmt: skip
            check = _weekday_before(
                _months(check, 6 if under_5 else 12) - dt.timedelta(days=rng.randint(0, 20))
            )
        # SDQ: once each collection year (April to March) for children 4 to 16, in the
        # spring or summer round most councils run, or soon after they come into care
        year = start.year if start.month >= 4 else start.year - 1
        while dt.date(year, 4, 1) <= last:
            sdq_day = max(
                _wd(start, rng.randint(10, 30)),
                dt.date(year, 4, 1) + dt.timedelta(days=rng.randint(10, 150)),
            )
            year += 1
            age = _age(born, sdq_day)
            if sdq_day > last or sdq_day >= dt.date(year, 4, 1) or not 3 <= age <= 17:
                continue
            if age in {3, 17}:  # SDQ1: under 4 or over 16
                cla.sdq_add(actor=c.worker, person=c.person, sdq_date=sdq_day, reason="SDQ1")
            elif rng.random() < 0.88:
                cla.sdq_add(actor=c.worker, person=c.person, sdq_date=sdq_day,
                            score=min(40, max(0, int(rng.gauss(14, 7)))))  # fmt: skip
            else:
                cla.sdq_add(actor=c.worker, person=c.person, sdq_date=sdq_day,
                            reason=rng.choice(["SDQ2", "SDQ4", "SDQ5"]))  # fmt: skip
        # missing and away: teenagers
        if _age(born, last) >= 12 and rng.random() < 0.3:
            times = rng.randint(1, 6)
            earliest = max(start, add_years(born, 11))
            days = sorted({self._day_between(earliest, last) for _ in range(times)})
            previous_end: dt.date | None = None
            for day in days:
                if previous_end is not None and day <= previous_end:
                    continue
                back = min(last, day + dt.timedelta(days=rng.choice([0, 0, 1, 1, 2, 3])))
                # back before the placement they went missing from ends (SSDA903 rules 575,
                # 577: a missing period from a placement that ended has ended)
                moves = [s for s, _ in segments if s > day]
                if moves and back >= moves[0]:
                    back = moves[0] - dt.timedelta(days=1)
                if back < day:
                    continue
                missing = rng.random() < 0.75
                offered = (
                    True if missing and rng.random() < 0.9 else (None if not missing else False)
                )
                cla.missing_record(
                    actor=c.worker, person=c.person, kind="M" if missing else "A",
                    start_date=day, end_date=back, rhi_offered=offered,
                    rhi_accepted=(rng.random() < 0.6) if offered else None,
                )  # fmt: skip
                previous_end = back
        # Reg 28 visits in the current placement only (earlier placements' visits are history
        # that the visits' work items no longer need)
        if last >= self.today:
            since = segments[-1][0]
            open_codes = {i.item_type.code for i in cla.open_items(c.person, cla.VISIT_ITEMS)}
            code = "cla-visit-long-term" if "cla-visit-long-term" in open_codes else "cla-visit"
            self._visits(
                c, code, since, self.today, 90 if code.endswith("term") else 40, CLA_VISITS_WINDOW
            )

    def sw_episodes(self, c: Child, since: dt.date, current_from: dt.date | None) -> None:
        """The worker before the current one, from ``since`` (the start of care: the DfE
        validator's SW12STG2 flags a social worker episode that starts before the period of
        care in the year) until the current worker took over (who left, a restructure…); then
        the social worker episodes derived from the allocations."""
        team_workers = [w for w in self.workers.get(c.team.pk, []) if w.pk != c.worker.pk]
        if current_from is not None and team_workers:
            begin = max(since, SW_EPISODES_FROM, current_from - dt.timedelta(days=900))
            if begin < current_from - dt.timedelta(days=30):
                previous = work.allocation_start(
                    actor=None, person=c.person, team=c.team,
                    worker=self.rng.choice(team_workers), start_date=begin,
                    reason="Allocated",
                )  # fmt: skip
                work.allocation_end(
                    actor=None, allocation=previous, end_date=current_from,
                    reason=_pick(self.rng, SW_REASONS),
                )  # fmt: skip
        cla.sw_episodes_from_allocations(actor=c.worker, person=c.person)

    def _upn(self, c: Child) -> None:
        """A child of school age in care has a UPN (SSDA903 rule 442; the virtual school
        finds it if the record had none)."""
        born = c.born
        if (
            born is None
            or _age(born, self.today) < 5
            or selectors_children.seed_has_upn(person=c.person)
        ):
            return
        while True:
            value = self.upn_issuer.upn(VIRTUAL_SCHOOL, self.today.year)
            if not selectors_children.seed_upn_taken(value=value):
                break
        identifier_add(actor=c.worker, person=c.person, kind=PersonIdentifier.Kind.UPN, value=value)

    # --- care leavers ---------------------------------------------------------------------

    def _accommodation(self, age: int) -> str:
        """OC3 ACCOM: the kind of accommodation and whether it is suitable (1) or not (2);
        staying put with former foster carers (Z) from 18 (903 rule 3001)."""
        letters = "BCDEGHKRSTUVWXYZ" if age >= rules_cla.STAYING_PUT_FROM_AGE else "BCDEGHKRSTUVWXY"
        letter = self.rng.choice(letters)
        suitable = "1" if letter not in "SX" and self.rng.random() < 0.88 else "2"
        return letter + suitable

    def leaver_contacts(self, c: Child, left: dt.date) -> None:
        """Contacts with a care leaver: around each birthday from 17 (OC3), and one lately."""
        born = c.born
        assert born is not None
        days: list[dt.date] = []
        for years in range(17, 22):
            birthday = add_years(born, years)
            if left < birthday <= self.today:
                days.append(birthday + dt.timedelta(days=self.rng.randint(-25, 25)))
        days.append(self.today - dt.timedelta(days=self.rng.randint(1, 50)))
        for day in sorted({d for d in days if left < d <= self.today}):
            age = _age(born, day)
            roll = self.rng.random()
            in_touch = (
                "YES"
                if roll < 0.86
                else ("NO" if roll < 0.93 else self.rng.choice(["REFU", "NREQ"]))
            )
            yes = in_touch == "YES"
            cla.care_leaver_contact_add(
                actor=c.worker,
                person=c.person,
                eligibility=CareLeaverContact.Eligibility.FORMER_RELEVANT
                if age >= 18 else CareLeaverContact.Eligibility.RELEVANT,
                contact_date=day,
                in_touch=in_touch,
                accommodation=self._accommodation(age) if yes else "",
                activity=self.rng.choice(["F1", "P1", "F2", "P2", "F4", "P4", "G4", "G5", "G6"])
                if yes else "",
                pathway_plan_review_date=day + dt.timedelta(days=182),
                personal_adviser="Personal adviser, Leaving Care Team",
            )  # fmt: skip


# --- The phase ------------------------------------------------------------------------------


class Phase:
    def __init__(self, size: str, seed: int, today: dt.date) -> None:
        self.size = size
        self.today = today
        self.rng = synthetic.rng_for(seed, f"{size}:children")
        self.summary = ChildrenSeedSummary()
        self.made: Counter[str] = Counter()
        self.children_teams = selectors_children.seed_children_teams()
        ids = set(self.children_teams)
        self.cases = [c for c in selectors.seed_open_cases(on=today) if c.team_id in ids]
        self.managers = selectors.seed_team_managers(team_ids=ids, on=today)
        self.workers = selectors_children.seed_team_workers(team_ids=ids, on=today)
        self.users = selectors.seed_users(
            user_ids={c.worker_id for c in self.cases if c.worker_id is not None}
        )
        for user in [*self.users.values(), *self.managers.values()]:
            _signed_in(user)
        for pool in self.workers.values():
            for user in pool:
                _signed_in(user)
        self.people = selectors_children.seed_people(person_ids={c.person_id for c in self.cases})
        postcodes = sorted({p.postcode for p in self.people.values() if p.postcode})
        self.writer = Writer(
            self.rng, today, selectors_children.seed_visit_types(), postcodes, self.workers
        )
        self.by_kind: dict[str, list[Team]] = {}
        for team in sorted(self.children_teams.values(), key=lambda t: t.name):
            if team.pk in self.workers and team.pk in self.managers:
                self.by_kind.setdefault(team_kind(team.name), []).append(team)

    def _run(self, label: str, action: Callable[[], None]) -> bool:
        try:
            with memo_scope(), transaction.atomic():
                action()
        except ValidationError as exc:
            self.summary.refused += 1
            if len(self.summary.refusals) < 20:
                self.summary.refusals.append(f"{label}: {exc}")
            return False
        return True

    # --- children on the caseloads --------------------------------------------------------

    def open_journeys(self, progress: Progress) -> None:
        caps = dict(COUNTY_CAP) if self.size == "county" else None
        total = len(self.cases)
        for done, case in enumerate(self.cases, start=1):
            person = self.people[case.person_id]
            team = self.children_teams[case.team_id]
            manager = self.managers.get(team.pk)
            if manager is None:
                continue
            kind = self._choose(team, person)
            bucket = {"cla": "cla", "adoption": "cla", "cp": "cp", "cin": "cin"}.get(kind, "other")
            if caps is not None:
                if caps[bucket] <= 0:
                    continue
                caps[bucket] -= 1
            worker = self.users.get(case.worker_id) if case.worker_id else None
            allocated_from = case.allocated_from
            if worker is None and kind in {"cla", "adoption", "leaver"}:
                pool = self.workers.get(team.pk, [])
                if pool:  # every child looked after has a social worker
                    worker = self.rng.choice(pool)
                    allocated_from = max(case.start_date, self.today - dt.timedelta(days=60))
                    work.allocation_start(
                        actor=None, person=person, team=team, worker=worker,
                        start_date=allocated_from, reason="Allocated",
                    )  # fmt: skip
                    self.summary.allocated += 1
            child = Child(person, team, worker or manager, manager, kind)
            if self._run(
                f"{kind} {person.la_number}", partial(self._journey, child, allocated_from)
            ):
                self.summary.open_journeys += 1
                self.summary.children += 1
            if done % 20 == 0 or done == total:
                progress("children's histories", done, total)

    def _choose(self, team: Team, person: Person) -> str:
        team_is = team_kind(team.name)
        kind = _share(self.rng, TEAM_MIX[team_is])
        born = person.date_of_birth
        if born is None:
            return "prebirth"
        age = _age(born, self.today)
        if team_is in LOOKED_AFTER_TEAMS:
            # every size has at least one young person who has left care and one child
            # placed for adoption, where the caseload has a child of the age
            if not self.made["leaver"] and age >= 16:
                kind = "leaver"
            elif not self.made["adoption"] and 2 <= age < 6:
                kind = "adoption"
        if kind == "leaver" and age < 16:
            kind = "cla"
        if kind == "adoption" and age >= 6:
            kind = "cla"
        if kind in {"cla", "leaver", "adoption"} and (self.today - born).days < 60:
            kind = "cp"
        self.made[kind] += 1
        return kind

    def _start(self, c: Child, earliest: dt.date, latest: dt.date) -> dt.date:
        born = c.born
        low = max(earliest, self.today - dt.timedelta(days=365 * YEARS))
        if born is not None:
            low = max(low, born - dt.timedelta(days=120))
        return _weekday_before(self.writer._day_between(low, max(low, latest)))

    def _earlier(self, c: Child, before: dt.date) -> None:
        """For some children, an earlier referral that had closed before ``before``."""
        if self.rng.random() >= EARLIER_REFERRAL_SHARE or c.born is None:
            return
        kind = _share(self.rng, (("nfa", 0.6), ("cin", 0.3), ("contact", 0.1)))
        gap = {"nfa": 200, "cin": 620, "contact": 30}[kind]
        low = max(c.born, self.today - dt.timedelta(days=365 * YEARS))
        latest = before - dt.timedelta(days=gap)
        if latest <= low:
            return
        first = _weekday_before(self.writer._day_between(low, latest))
        if first >= low:
            self.writer.closed_referral(c, first, kind)

    def _journey(self, c: Child, allocated_from: dt.date | None) -> None:
        w, today, rng = self.writer, self.today, self.rng
        kind = c.kind
        if kind == "contact":
            w.contact(c, _weekday_before(today - dt.timedelta(days=rng.randint(0, 1))))
        elif kind in {"assessment", "prebirth"}:
            day = _weekday_before(today - dt.timedelta(days=rng.randint(1, 75)))
            expected = c.person.expected_date_of_birth
            if kind == "prebirth" and expected is not None:
                # no referral more than 40 weeks before the birth is due (CIN rule 8606)
                earliest = _weekday(expected - dt.timedelta(days=279))
                if earliest > today:
                    w.contact(c, _weekday_before(today - dt.timedelta(days=rng.randint(0, 1))))
                    return
                day = max(day, earliest)
            self._earlier(c, day)
            episode = w.referral(c, day)
            w.assessment(c, episode, "", done=False)
        elif kind == "s47":
            day = _weekday_before(today - dt.timedelta(days=rng.randint(10, 30)))
            self._earlier(c, day)
            episode = w.referral(c, day)
            _, done = w.assessment(c, episode, "strategy-discussion", days=rng.randint(3, 6))
            discussion = _wd(done, rng.randint(0, 1))
            if discussion <= today:
                cin.strategy_discussion_record(
                    actor=c.worker, episode=episode, discussion_date=discussion,
                    attendees=ATTENDEES, start_s47=True,
                )  # fmt: skip
                # the enquiry is under way
                cin.s47_start(actor=c.worker, episode=episode, start_date=discussion,
                              strategy_discussion=episode.strategy_discussions.get())  # fmt: skip
        elif kind == "cin":
            day = self._start(c, today - dt.timedelta(days=700), today - dt.timedelta(days=70))
            self._earlier(c, day)
            episode = w.referral(c, day, "N2" if team_kind(c.team.name) == "disabled" else "")
            if rng.random() < 0.25:  # stepped down from a CP plan
                _, done = w.assessment(c, episode, "strategy-discussion", days=rng.randint(5, 15))
                plan, conference = w.protection(c, episode, _wd(done, rng.randint(0, 1)))
                if plan is not None:
                    until = min(
                        today - dt.timedelta(days=20), _months(conference, rng.randint(3, 9))
                    )
                    end = w.cp_plan_life(c, plan, until, end=True)
                    if end == plan.start_date:
                        end = min(today, _wd(plan.start_date, 25))
                        cin.cp_plan_update(actor=c.worker, plan=plan, end_date=end)
                    w.cin_plan(c, episode, end, None)
                    return
                done = min(today, _wd(conference, 2))
            else:
                _, done = w.assessment(c, episode, "cin-plan")
            if done <= today:
                w.cin_plan(c, episode, done, None)
        elif kind == "cp":
            day = self._start(c, today - dt.timedelta(days=540), today - dt.timedelta(days=50))
            self._earlier(c, day)
            episode = w.referral(c, day)
            _, done = w.assessment(c, episode, "strategy-discussion", days=rng.randint(4, 15))
            plan, conference = w.protection(c, episode, _wd(done, rng.randint(0, 1)))
            if plan is not None:
                w.cp_plan_life(c, plan, today, end=False)
                w._visits(c, "cp-visit", plan.start_date, today, 13, VISITS_WINDOW)
        elif kind in {"cla", "adoption"}:
            self._looked_after(c, allocated_from, adoption=kind == "adoption")
        elif kind == "leaver":
            self._leaver_on_caseload(c, allocated_from)

    def _looked_after(self, c: Child, allocated_from: dt.date | None, *, adoption: bool) -> None:
        w, today, rng = self.writer, self.today, self.rng
        born = c.born
        assert born is not None
        age = _age(born, today)
        uasc = not adoption and (
            (15 <= age <= 17 and c.person.sex == "M" and rng.random() < 0.35)
            or (13 <= age <= 17 and not self.made["uasc"])  # at least one, at every size
        )
        if uasc:
            self.made["uasc"] += 1
        if uasc:
            start = self._start(c, add_years(born, 12), today - dt.timedelta(days=30))
            episode = w.referral(c, start, "N8")
            w.assessment(c, episode, "cin-plan", days=rng.randint(10, 30))
            w.care(c, start, ls="V2", need="N8", uasc=True)
            w.sw_episodes(c, start, allocated_from)
            return
        latest = today - dt.timedelta(days=30)
        if adoption:
            latest = today - dt.timedelta(days=450)
        start = self._start(c, max(born, today - dt.timedelta(days=365 * YEARS)), latest)
        start = max(start, born)
        route = _share(rng, (("cp", 0.55), ("s20", 0.3), ("emergency", 0.15)))
        if adoption:
            route = "cp"
        need = "N1" if route != "s20" else _pick(rng, NEEDS)
        if route == "cp":
            referral = start - dt.timedelta(days=rng.randint(90, 270))
            if referral < born - dt.timedelta(days=200):
                referral = born - dt.timedelta(days=100)
            referral = _weekday_before(
                max(referral, self.today - dt.timedelta(days=365 * YEARS + 200))
            )
            self._earlier(c, referral)
            episode = w.referral(c, referral, "N1")
            _, done = w.assessment(c, episode, "strategy-discussion", days=rng.randint(4, 15))
            plan, conference = w.protection(c, episode, _wd(done, rng.randint(0, 1)))
            if plan is not None and conference < start - dt.timedelta(days=20):
                w.cp_plan_life(c, plan, start - dt.timedelta(days=5), end=False)
                if conference >= PRE_PROCEEDINGS_FROM:
                    cin.pre_proceedings_save(
                        actor=c.worker, episode=episode,
                        start_date=conference + dt.timedelta(days=7),
                        letter_before_proceedings_sent=conference + dt.timedelta(days=7),
                        fgdm_offered=True, fgdm_facilitated=rng.random() < 0.7,
                        initial_meeting_date=conference + dt.timedelta(days=14),
                        review_meetings=rng.randint(0, 3), outcome="proceedings",
                        court_application_date=start - dt.timedelta(days=2),
                    )  # fmt: skip
                cin.cp_plan_update(actor=c.worker, plan=plan, end_date=start)
            elif plan is not None:
                start = max(start, _wd(conference, 2))
                if start > today:
                    return  # on a child protection plan for now
                cin.cp_plan_update(actor=c.worker, plan=plan, end_date=start)
            ls = "C1"
        else:
            referral = start - dt.timedelta(days=rng.randint(0, 20))
            self._earlier(c, referral)
            episode = w.referral(c, referral, need)
            w.assessment(c, episode, "cin-plan", days=rng.randint(10, 40))
            ls = "V2" if route == "s20" else rng.choice(["L1", "L2"])
        start = max(start, episode.referral_date)
        if start > today:
            return
        w.care(c, start, ls=ls, need=need, adoption=adoption)
        w.sw_episodes(c, start, allocated_from)

    def _leaver_on_caseload(self, c: Child, allocated_from: dt.date | None) -> None:
        """A 17-year-old who left care at 16 or 17 (a relevant child): open to the team."""
        w, rng = self.writer, self.rng
        born = c.born
        assert born is not None
        start = self._start(c, add_years(born, 12), add_years(born, 15))
        episode = w.referral(c, start, _pick(rng, NEEDS))
        w.assessment(c, episode, "cin-plan", days=rng.randint(10, 40))
        left = min(
            self.today - dt.timedelta(days=30),
            add_years(born, 16) + dt.timedelta(days=rng.randint(30, 300)),
        )
        w.care(c, start, ls="V2", need=episode.primary_need or "N1", end=left,
               rec=rng.choice(["E5", "E6", "E5"]))  # fmt: skip
        w.sw_episodes(c, start, allocated_from)
        w.close(c, episode, left, "RC7")
        w.leaver_contacts(c, left)

    # --- children and young people known before --------------------------------------------

    def known_before(self, progress: Progress) -> None:
        born_after = add_years(self.today, -22)
        people = selectors_children.seed_known_young_people(
            born_after=born_after, limit=COUNTY_CAP["known"] if self.size == "county" else None
        )
        total = len(people)
        for done, person in enumerate(people, start=1):
            born = person.date_of_birth
            assert born is not None
            age = _age(born, self.today)
            if age >= 17:
                if age <= 21 and self.rng.random() < CARE_LEAVER_SHARE:
                    self._care_leaver(person)
            elif self.rng.random() < KNOWN_SHARE:
                self._closed_history(person)
            if done % 20 == 0 or done == total:
                progress("known children's histories", done, total)

    def _team_for(self, *kinds: str) -> Team | None:
        for kind in kinds:
            teams = self.by_kind.get(kind)
            if teams:
                return self.rng.choice(teams)
        return None

    def _closed_history(self, person: Person) -> None:
        kind = _share(self.rng, CLOSED_MIX)
        born = person.date_of_birth
        assert born is not None
        if kind == "adopted" and _age(born, self.today) > 9:
            kind = "cla"
        kinds = {
            "contact": ("front_door", "assessment", "cin_cp"),
            "nfa": ("assessment", "front_door", "cin_cp"),
            "cin": ("cin", "cin_cp", "disabled"),
            "cp": ("cp", "cin_cp"),
            "cla": ("cic", "cic_leaving"),
            "adopted": ("fostering_adoption", "cic", "cic_leaving"),
        }[kind]
        team = self._team_for(*kinds)
        if team is None:
            return
        worker = self.rng.choice(self.workers[team.pk])
        child = Child(person, team, worker, self.managers[team.pk], kind)
        low = max(born, self.today - dt.timedelta(days=365 * YEARS))
        # long enough ago for the history to have closed by today
        days = {"contact": 30, "nfa": 150, "cin": 560, "cp": 800}.get(kind, 420)
        latest = self.today - dt.timedelta(days=days)
        if low >= latest:
            return
        start = _weekday_before(self.writer._day_between(low, latest))
        if start < born:
            return

        def history() -> None:
            involvement = work.involvement_start(
                actor=None, person=person, team=team, start_date=start
            )
            allocation = work.allocation_start(
                actor=None, person=person, team=team, worker=worker, start_date=start,
                reason="Allocated",
            )  # fmt: skip
            if kind in {"cla", "adopted"}:
                closed = self._closed_care(child, start, adopted=kind == "adopted")
            else:
                closed = self.writer.closed_referral(child, start, kind)
            closed = min(max(closed, start), self.today)
            work.allocation_end(actor=None, allocation=allocation, end_date=closed,
                                reason="CHCHAN")  # fmt: skip
            work.involvement_end(actor=worker, involvement=involvement, end_date=closed,
                                 reason="Case closed")  # fmt: skip

        if self._run(f"closed {kind} {person.la_number}", history):
            self.summary.closed_histories += 1
            self.summary.children += 1

    def _closed_care(self, c: Child, start: dt.date, *, adopted: bool) -> dt.date:
        w, rng = self.writer, self.rng
        episode = w.referral(c, start, "N1")
        w.assessment(c, episode, "cin-plan", days=rng.randint(10, 40))
        care_start = _wd(start, rng.randint(25, 60))
        # adopted: the order, the match and the placement take over a year (too recent a
        # start ends otherwise)
        if adopted and _months(care_start, 18) < self.today:
            end = _months(care_start, rng.randint(22, 30))
            if end >= self.today:
                end = self.today - dt.timedelta(days=10)
            w.care(c, care_start, ls="C1", need="N1", end=end, rec=rng.choice(["E11", "E12"]),
                   adoption=True)  # fmt: skip
            self._sw(c, care_start)
            w.close(c, episode, end, "RC1")
            return end
        end = min(self.today - dt.timedelta(days=30), _months(care_start, rng.randint(4, 30)))
        rec, reason = _pick(
            rng,
            (("E4A|RC7", 45), ("E45|RC4", 15), ("E46|RC4", 5), ("E41|RC3", 10), ("E13|RC7", 10),
             ("E4B|RC7", 10), ("E3|RC5", 5)),
        ).split("|")  # fmt: skip
        w.care(c, care_start, ls="V2", need="N1",
               end=end, rec=rec)  # fmt: skip
        self._sw(c, care_start)
        w.close(c, episode, end, reason)
        return end

    def _sw(self, c: Child, care_start: dt.date) -> None:
        if care_start >= SW_EPISODES_FROM:
            cla.sw_episodes_from_allocations(actor=c.worker, person=c.person)

    def _care_leaver(self, person: Person) -> None:
        """A young person aged 17 to 21 who left care at 18 (or 16 or 17): open to the leaving
        care team, with a personal adviser's contacts."""
        team = self._team_for("leaving", "cic_leaving", "cic")
        born = person.date_of_birth
        if team is None or born is None:
            return
        worker = self.rng.choice(self.workers[team.pk])
        child = Child(person, team, worker, self.managers[team.pk], "care-leaver")
        at_18 = add_years(born, 18)
        left = at_18 if at_18 <= self.today - dt.timedelta(days=20) else None
        if left is None:
            return
        start = max(
            add_years(born, 13) + dt.timedelta(days=self.rng.randint(0, 3 * 365)),
            dt.date(2019, 4, 1),
        )
        start = _weekday_before(start)
        if start >= left - dt.timedelta(days=200):
            start = _weekday_before(left - dt.timedelta(days=400))
        rec = _pick(self.rng, (("E5", 30), ("E6", 10), ("E17", 25), ("E8", 10), ("E4A", 5)))

        def history() -> None:
            work.involvement_start(actor=None, person=person, team=team, start_date=start)
            work.allocation_start(
                actor=None, person=person, team=team, worker=worker, start_date=start,
                reason="Allocated",
            )  # fmt: skip
            w, rng = self.writer, self.rng
            episode = w.referral(child, start, _pick(rng, NEEDS))
            w.assessment(child, episode, "cin-plan", days=rng.randint(10, 40))
            care_start = _wd(start, rng.randint(5, 30))
            w.care(child, care_start, ls="V2",
                   need=episode.primary_need or "N1", end=left, rec=rec)  # fmt: skip
            self._sw(child, care_start)
            w.close(child, episode, left, "RC6" if self.rng.random() < 0.1 else "RC7")
            w.leaver_contacts(child, left)

        if self._run(f"care leaver {person.la_number}", history):
            self.summary.care_leavers_opened += 1
            self.summary.allocated += 1
            self.summary.children += 1


def children_seed(
    *, size: str, seed: int, today: dt.date | None = None, progress: Progress = _no_progress
) -> ChildrenSeedSummary:
    """Children's histories for the children's teams' caseloads and the children known
    before, through the children's services."""
    started = time.monotonic()
    today = today or timezone.localdate()
    phase = Phase(size, seed, today)
    phase.open_journeys(progress)
    phase.known_before(progress)
    phase.summary.counts = selectors_children.seed_children_counts(on=today)
    phase.summary.journeys = dict(sorted(phase.made.items()))
    phase.summary.seconds = round(time.monotonic() - started, 1)
    return phase.summary
