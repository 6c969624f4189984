"""Ofsted's Annex A (ILACS): lists 1–11 as one Excel workbook, for any date range.

Column headers are those of the Annex A template as the regional tools read it (LIIA's
``Annex_A_schema.yml``); dates are Excel dates shown DD/MM/YYYY. Allocated Team and Worker come
from the child's allocations (``kith.work``) as at the row's date (the end of the range, or the
day the record ended if earlier); where there is none the cell says "Unallocated", so
unallocated children stand out. List 11 (adopters) has no records in Kith yet: it keeps its
headers, and the Notes sheet says why it is empty, as it says what each list holds.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Font

from kith.returns.building import (
    BuildResult,
    Progress,
    audit_return_built,
    no_progress,
    require_returns_module,
)
from kith.returns.selectors_annex_a import (
    AnnexARecords,
    annex_a_records,
    team_names,
    worker_names,
)

COLLECTION = "annex-a"
UNALLOCATED = "Unallocated"
DATE_FORMAT = "DD/MM/YYYY"

CHILD = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]
DISABILITY = "Does the Child have a Disability"
ALLOCATED = ["Allocated Team", "Allocated Worker"]

# The lists, their sheet names and column headers: the one place they are written down.
LISTS: dict[int, tuple[str, list[str]]] = {
    1: ("Contacts", [*CHILD, "Date of Contact", "Contact Source"]),
    2: (
        "Early help",
        [
            *CHILD,
            "Assessment start date",
            "Assessment completion date",
            "Organisation completing assessment",
        ],
    ),
    3: (
        "Referrals",
        [
            *CHILD,
            "Date of referral",
            "Referral Source",
            "Referral NFA?",
            "Number of Referrals in Last 12 Months",
            *ALLOCATED,
        ],
    ),
    4: (
        "Assessments",
        [
            *CHILD,
            DISABILITY,
            "Continuous Assessment Start Date",
            "Child Seen During Continuous Assessment",
            "Continuous Assessment Date of Authorisation",
            "Was the child assessed as requiring LA children's social care support?",
            *ALLOCATED,
        ],
    ),
    5: (
        "Section 47",
        [
            *CHILD,
            DISABILITY,
            "Strategy discussion initiating Section 47 Enquiry Start Date",
            "Was an Initial Child Protection Conference deemed unnecessary?",
            "Date of Initial Child Protection Conference",
            "Did the Initial Child Protection Conference Result in a Child Protection Plan",
            "Number of Section 47 Enquiries in the last 12 months",
            "Number of ICPCs in the last 12 months",
            *ALLOCATED,
        ],
    ),
    6: (
        "Children in need",
        [
            *CHILD,
            DISABILITY,
            "CIN Start Date",
            "Primary Need Code",
            "Date Child Was Last Seen",
            "CIN Closure Date",
            "Reason for Closure",
            "Case Status",
            *ALLOCATED,
        ],
    ),
    7: (
        "Child protection",
        [
            *CHILD,
            DISABILITY,
            "Child Protection Plan Start Date",
            "Initial Category of Abuse",
            "Latest Category of Abuse",
            "Date of the Last Statutory Visit",
            "Was the Child Seen Alone?",
            "Date of latest review conference",
            "Child Protection Plan End Date",
            "Subject to Emergency Protection Order or Protected Under Police Powers in Last "
            "Six Months (Y/N)",
            "Number of Previous Child Protection Plans",
            *ALLOCATED,
        ],
    ),
    8: (
        "Children in care",
        [
            *CHILD,
            "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
            DISABILITY,
            "Date Started to be Looked After",
            "Child's Category of Need",
            "Is this a second or subsequent period of being a Looked After Child within the "
            "last 12 months (Y/N)",
            "Start date of current legal status",
            "Child's Legal Status",
            "Date of Latest Statutory Review",
            "Date of Last Social Work Visit",
            "What is the permanence plan for this child?",
            "Date of Last IRO Visit / Contact to the Child",
            "Date of Last Health Assessment",
            "Date of Last Dental Check",
            "Number of Placements in the Last 12 months",
            "Date Ceased to be Looked After",
            "Reason Ceased to be Looked After",
            "Start Date of Most Recent Placement",
            "Placement Type",
            "Placement Provider",
            "Placement postcode",
            "URN of Placement",
            "Placement Location",
            "LA of Placement",
            "Number of Episodes the Child has been 'Missing' from their Placement in the last "
            "12 months",
            "Number of Episodes the Child has been 'Absent' from their Placement in the last "
            "12 months",
            "Was the child offered a Return Interview after their last missing episode (Y/N)?",
            "Did the child accept a Return Interview after their last missing episode (Y/N)?",
            *ALLOCATED,
        ],
    ),
    9: (
        "Care leavers",
        [
            *CHILD,
            "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
            DISABILITY,
            *ALLOCATED,
            "Allocated Personal Advisor",
            "Eligibility Category",
            "Latest Pathway Plan Review Date",
            "LA in Touch",
            "Latest Date of Contact",
            "Type of Accommodation",
            "Suitability of Accommodation",
            "Activity Status",
        ],
    ),
    10: (
        "Adoption",
        [
            "Child Unique ID",
            "Family identifier",
            "Gender",
            "Ethnicity",
            "Date of Birth",
            "Age of Child (Years)",
            DISABILITY,
            "Date the Child Entered Care",
            "Date of Decision that Child Should be Placed for Adoption",
            "Date of Placement Order",
            "Date of Matching Child and Prospective Adopters",
            "Date Placed for Adoption",
            "Date of Adoption Order",
            "Date of Decision that Child Should No Longer be Placed for Adoption",
            "Reason Why Child No Longer Placed for Adoption",
            "Date the child was placed for fostering in FFA or concurrent planning placement",
        ],
    ),
    11: (
        "Adopters",
        [
            "Individual adopter identifier",
            "Family identifier",
            "Gender",
            "Ethnicity",
            "Disability",
            "Is the (prospective) adopter fostering for adoption?",
            "Date enquiry received",
            "Date Stage 1 started",
            "Date Stage 1 ended",
            "Date Stage 2 started",
            "Date Stage 2 ended",
            "Date application submitted",
            "Date application approved",
            "Date adopter matched with child(ren)",
            "Date child/children placed with adopter(s)",
            "No. of children placed",
            "Date of Adoption Order",
            "Date of leaving adoption process",
            "Reason for leaving adoption process",
        ],
    ),
}

# What each list holds, for the Notes sheet; a list Kith has no records for says why.
NOTES: dict[int, str] = {
    1: "Contacts received in the range.",
    2: "Early help episodes open at any time in the range.",
    3: "Referrals made in the range.",
    4: "Child and family assessments open at any time in the range.",
    5: "Section 47 enquiries started in the range.",
    6: "Child in need episodes open at any time in the range (referrals closed with no "
    "further action left out). Case status as at the end of the range or the closure date.",
    7: "Child protection plans open at any time in the range.",
    8: "Periods of care open at any time in the range. Placement Location and LA of "
    "Placement are left blank: Kith does not yet work out a placement's local authority "
    "from its postcode.",
    9: "Care leavers: each young person's latest care leaver contact on or before the end "
    "of the range, aged 25 or under then.",
    10: "Children with an agency decision that they should be placed for adoption made by "
    "the end of the range and not reversed before it began.",
    11: "Empty: Kith does not record prospective adopters (enquiries, stage 1 and 2, "
    "approval) yet, so this list cannot be made from the record.",
}

GENDER = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"}
CASE_STATUS_LAC = "a) Looked after child"
CASE_STATUS_CP = "b) Child Protection plan"
CASE_STATUS_CIN = "c) Child in need plan"
CASE_STATUS_ASSESSMENT = "d) Open assessment"
CASE_STATUS_CLOSED = "e) Closed episode"
CASE_STATUS_OPEN = "Open episode: no plan or assessment"
EMERGENCY_LEGAL_STATUSES = {"L1", "L2"}
FFA_PLACEMENTS = {"U2", "U5"}
ADOPTED = {"E11", "E12"}
CARE_LEAVER_MAX_AGE = 25
CP_VISITS = {"cp-visit"}
CLA_VISITS = {"cla-visit", "cla-visit-long-term"}
ELIGIBILITY = {
    "relevant": "a) Relevant child",
    "former_relevant": "b) Former relevant child",
    "qualifying": "c) Qualifying care leaver",
    "eligible": "d) Eligible child",
}


def _yes_no(value: bool | None) -> str:
    if value is None:
        return "Unknown"
    return "Yes" if value else "No"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_on(born: dt.date | None, on: dt.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _covers(start: dt.date, end: dt.date | None, day: dt.date) -> bool:
    return start <= day and (end is None or end >= day)


def _overlaps(start: dt.date, end: dt.date | None, first: dt.date, last: dt.date) -> bool:
    return start <= last and (end is None or end >= first)


def _latest(rows: Iterable[Any], attr: str, on: dt.date) -> Any:
    found = None
    for row in rows:
        value = getattr(row, attr)
        if value is not None and value <= on:
            found = row
    return found


@dataclass
class _Allocated:
    team: str
    worker: str


class _Sheets:
    """Fills the lists from the records."""

    def __init__(self, records: AnnexARecords, actor: Any) -> None:
        self.r = records
        self.to = records.date_to
        team_ids = {a.team_id for rows in records.allocations.values() for a in rows}
        team_ids |= {i.team_id for rows in records.involvements.values() for i in rows}
        worker_ids = {a.worker_id for rows in records.allocations.values() for a in rows}
        self.teams = team_names(user=actor, team_ids=team_ids)
        self.workers = worker_names(user=actor, worker_ids=worker_ids)
        self.unallocated = 0

    # --- columns every list shares ------------------------------------------------------
    def child(self, person_id: uuid.UUID) -> list[Any]:
        person = self.r.people[person_id]
        return [
            str(person.la_number),
            GENDER.get(person.sex, GENDER["U"]),
            person.ethnicity,
            person.date_of_birth,
            age_on(person.date_of_birth, self.to),
        ]

    def disability(self, person_id: uuid.UUID) -> str:
        codes = [c for c in (self.r.people[person_id].disabilities or []) if c]
        if not codes:
            return "Unknown"
        return "No" if codes == ["NONE"] else "Yes"

    def allocated(self, person_id: uuid.UUID, on: dt.date) -> list[str]:
        """Team and worker allocated to the child on ``on``; "Unallocated" where nobody is."""
        day = min(on, self.to)
        allocation = next(
            (
                a
                for a in reversed(self.r.allocations.get(person_id, []))
                if _covers(a.start_date, a.end_date, day)
            ),
            None,
        )
        if allocation is not None:
            return [
                self.teams.get(allocation.team_id, ""),
                self.workers.get(allocation.worker_id, ""),
            ]
        self.unallocated += 1
        involvement = next(
            (
                i
                for i in reversed(self.r.involvements.get(person_id, []))
                if _covers(i.start_date, i.end_date, day)
            ),
            None,
        )
        team = self.teams.get(involvement.team_id, UNALLOCATED) if involvement else UNALLOCATED
        return [team, UNALLOCATED]

    def _last_visit(self, person_id: uuid.UUID, kinds: set[str] | None, on: dt.date) -> Any:
        visits = [
            v
            for v in self.r.visits.get(person_id, [])
            if (kinds is None or v.visit_type.code in kinds)
            and v.actual_date is not None
            and v.actual_date <= on
        ]
        return visits[-1] if visits else None

    # --- the lists ----------------------------------------------------------------------
    def list1(self) -> list[list[Any]]:
        return [[*self.child(c.person_id), c.received_at.date(), c.source] for c in self.r.contacts]

    def list2(self) -> list[list[Any]]:
        return [
            [*self.child(e.person_id), e.start_date, e.end_date, e.organisation]
            for e in self.r.early_help
        ]

    def list3(self) -> list[list[Any]]:
        rows = []
        for e in self.r.referrals:
            year_before = _years_before(e.referral_date, 1)
            count = sum(
                1
                for other in self.r.all_referrals.get(e.person_id, [])
                if year_before < other.referral_date <= e.referral_date
            )
            rows.append(
                [
                    *self.child(e.person_id),
                    e.referral_date,
                    e.referral_source,
                    "Yes" if e.referral_nfa else "No",
                    count,
                    *self.allocated(e.person_id, e.referral_date),
                ]
            )
        return rows

    def list4(self) -> list[list[Any]]:
        rows = []
        for a in self.r.assessments:
            needs_support = "" if a.authorisation_date is None else "No" if a.outcome_nfa else "Yes"
            rows.append(
                [
                    *self.child(a.person_id),
                    self.disability(a.person_id),
                    a.start_date,
                    "Yes" if a.child_seen_date else "No",
                    a.authorisation_date,
                    needs_support,
                    *self.allocated(a.person_id, a.authorisation_date or self.to),
                ]
            )
        return rows

    def list5(self) -> list[list[Any]]:
        rows = []
        for s in self.r.enquiries:
            start = s.strategy_discussion.discussion_date if s.strategy_discussion else None
            start = start or s.start_date
            conference = next(
                (c for c in self.r.conferences.get(s.person_id, []) if c.section47_id == s.pk),
                None,
            )
            year_before = _years_before(s.start_date, 1)
            enquiries = sum(
                1
                for o in self.r.all_enquiries.get(s.person_id, [])
                if year_before < o.start_date <= s.start_date
            )
            conferences = sum(
                1
                for c in self.r.conferences.get(s.person_id, [])
                if year_before < c.conference_date <= s.start_date
            )
            rows.append(
                [
                    *self.child(s.person_id),
                    self.disability(s.person_id),
                    start,
                    "Yes" if s.icpc_not_required else "No",
                    conference.conference_date if conference else None,
                    _yes_no(conference.cp_plan) if conference else "",
                    enquiries,
                    conferences,
                    *self.allocated(s.person_id, s.end_date or self.to),
                ]
            )
        return rows

    def case_status(self, episode: Any, on: dt.date) -> str:
        if episode.closure_date is not None and episode.closure_date <= self.to:
            return CASE_STATUS_CLOSED
        pid = episode.person_id
        if any(_covers(p.start_date, p.end_date, on) for p in self.r.all_periods.get(pid, [])):
            return CASE_STATUS_LAC
        if any(_covers(p.start_date, p.end_date, on) for p in self.r.all_cp_plans.get(pid, [])):
            return CASE_STATUS_CP
        if any(_covers(p.start_date, p.end_date, on) for p in self.r.cin_plans.get(pid, [])):
            return CASE_STATUS_CIN
        open_assessment = any(
            a.episode_id == episode.pk and _covers(a.start_date, a.authorisation_date, on)
            for a in self.r.assessments
        )
        return CASE_STATUS_ASSESSMENT if open_assessment else CASE_STATUS_OPEN

    def list6(self) -> list[list[Any]]:
        rows = []
        for e in self.r.cin_episodes:
            on = min(e.closure_date or self.to, self.to)
            seen = [
                v
                for v in self.r.visits.get(e.person_id, [])
                if v.seen and v.actual_date is not None and e.referral_date <= v.actual_date <= on
            ]
            closed = e.closure_date if e.closure_date and e.closure_date <= self.to else None
            rows.append(
                [
                    *self.child(e.person_id),
                    self.disability(e.person_id),
                    e.referral_date,
                    e.primary_need,
                    seen[-1].actual_date if seen else None,
                    closed,
                    e.closure_reason if closed else "",
                    self.case_status(e, on),
                    *self.allocated(e.person_id, on),
                ]
            )
        return rows

    def list7(self) -> list[list[Any]]:
        rows = []
        for p in self.r.cp_plans:
            on = min(p.end_date or self.to, self.to)
            visit = self._last_visit(p.person_id, CP_VISITS, on)
            review = _latest(
                (r for r in self.r.cp_reviews.get(p.person_id, []) if r.plan_id == p.pk),
                "review_date",
                on,
            )
            six_months_before = on - dt.timedelta(days=183)
            emergency = any(
                s.code in EMERGENCY_LEGAL_STATUSES
                and _overlaps(s.start_date, s.end_date, six_months_before, on)
                for s in self.r.legal_statuses.get(p.person_id, [])
            )
            ended = p.end_date if p.end_date and p.end_date <= self.to else None
            rows.append(
                [
                    *self.child(p.person_id),
                    self.disability(p.person_id),
                    p.start_date,
                    p.initial_category,
                    p.latest_category,
                    visit.actual_date if visit else None,
                    _yes_no(visit.seen_alone) if visit else "",
                    review.review_date if review else None,
                    ended,
                    "Yes" if emergency else "No",
                    p.previous_plans,
                    *self.allocated(p.person_id, on),
                ]
            )
        return rows

    def list8(self) -> list[list[Any]]:
        rows = []
        for period in self.r.care_periods:
            pid = period.person_id
            on = min(period.end_date or self.to, self.to)
            year_before = _years_before(on, 1)
            uasc = any(
                _overlaps(u.start_date, u.ceased_date, year_before, on)
                for u in self.r.uasc.get(pid, [])
            )
            episodes = [e for e in self.r.episodes.get(pid, []) if e.period_id == period.pk]
            current_episode = _latest(episodes, "decom", on)
            earlier = [
                p
                for p in self.r.all_periods.get(pid, [])
                if p.pk != period.pk
                and p.end_date is not None
                and _years_before(period.start_date, 1) <= p.end_date <= period.start_date
            ]
            statuses = [s for s in self.r.legal_statuses.get(pid, []) if s.period_id == period.pk]
            status = _latest(statuses, "start_date", on)
            review = _latest(
                (
                    r
                    for r in self.r.reviews.get(pid, [])
                    if r.period_id == period.pk and not r.cancelled
                ),
                "review_date",
                on,
            )
            visit = self._last_visit(pid, CLA_VISITS, on)
            iro = _latest(self.r.iro_contacts.get(pid, []), "contact_date", on)
            checks = self.r.health_checks.get(pid, [])
            health = _latest((c for c in checks if c.kind == "health_assessment"), "check_date", on)
            dental = _latest((c for c in checks if c.kind == "dental_check"), "check_date", on)
            placements = self.r.placements.get(pid, [])
            in_last_year = sum(
                1 for p in placements if _overlaps(p.start_date, p.end_date, year_before, on)
            )
            placement = _latest(
                (p for p in placements if p.period_id == period.pk), "start_date", on
            )
            missing = [
                m
                for m in self.r.missing.get(pid, [])
                if _overlaps(m.start_date, m.end_date, year_before, on)
            ]
            last_missing = _latest(
                (m for m in self.r.missing.get(pid, []) if m.kind == "M"), "start_date", on
            )
            ceased = period.end_date if period.end_date and period.end_date <= self.to else None
            rows.append(
                [
                    *self.child(pid),
                    "Yes" if uasc else "No",
                    self.disability(pid),
                    period.start_date,
                    current_episode.cin if current_episode else "",
                    "Yes" if earlier else "No",
                    status.start_date if status else None,
                    status.code if status else "",
                    review.review_date if review else None,
                    visit.actual_date if visit else None,
                    period.permanence_plan,
                    iro.contact_date if iro else None,
                    health.check_date if health else None,
                    dental.check_date if dental else None,
                    in_last_year,
                    ceased,
                    period.end_reason if ceased else "",
                    placement.start_date if placement else None,
                    placement.place if placement else "",
                    placement.place_provider if placement else "",
                    placement.postcode if placement else "",
                    placement.urn if placement else "",
                    "",
                    "",
                    sum(1 for m in missing if m.kind == "M"),
                    sum(1 for m in missing if m.kind == "A"),
                    _yes_no(last_missing.rhi_offered) if last_missing else "",
                    _yes_no(last_missing.rhi_accepted) if last_missing else "",
                    *self.allocated(pid, on),
                ]
            )
        return rows

    def list9(self) -> list[list[Any]]:
        rows = []
        for pid, contact in self.r.care_leavers.items():
            if pid not in self.r.people:
                continue
            age = age_on(self.r.people[pid].date_of_birth, self.to)
            if age is not None and age > CARE_LEAVER_MAX_AGE:
                continue
            rows.append(
                [
                    *self.child(pid),
                    "Yes" if self.r.uasc.get(pid) else "No",
                    self.disability(pid),
                    *self.allocated(pid, self.to),
                    contact.personal_adviser or UNALLOCATED,
                    ELIGIBILITY.get(contact.eligibility, contact.eligibility),
                    contact.pathway_plan_review_date,
                    contact.in_touch,
                    contact.contact_date,
                    contact.accommodation[:1],
                    {"1": "a) Suitable", "2": "b) Unsuitable"}.get(contact.accommodation[1:], ""),
                    contact.activity,
                ]
            )
        return rows

    def list10(self) -> list[list[Any]]:
        rows = []
        for a in self.r.adoptions:
            pid = a.person_id
            periods = self.r.all_periods.get(pid, [])
            entered = _latest(periods, "start_date", a.adm_decision_date) or (
                periods[0] if periods else None
            )
            adopted = next(
                (p.end_date for p in periods if p.end_reason in ADOPTED and p.end_date), None
            )
            ffa = next(
                (p.start_date for p in self.r.placements.get(pid, []) if p.place in FFA_PLACEMENTS),
                None,
            )
            rows.append(
                [
                    str(self.r.people[pid].la_number),
                    "",
                    *self.child(pid)[1:],
                    self.disability(pid),
                    entered.start_date if entered else None,
                    a.adm_decision_date,
                    a.placement_order_date,
                    a.matched_date,
                    a.placed_date,
                    adopted,
                    a.decision_reversed_date,
                    a.placed_ceased_reason if a.decision_reversed_date else "",
                    ffa,
                ]
            )
        return rows

    def list11(self) -> list[list[Any]]:
        return []


def _write_sheet(workbook: Workbook, number: int, rows: Sequence[Sequence[Any]]) -> None:
    _title, headers = LISTS[number]
    sheet = workbook.create_sheet(f"List {number}")
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = min(max(len(header), 12), 40)


def annex_a_build(
    *,
    actor: Any,
    date_from: dt.date,
    date_to: dt.date,
    out: Path,
    progress: Progress = no_progress,
) -> BuildResult:
    """Write Annex A lists 1–11 for ``date_from``–``date_to`` to the workbook ``out``."""
    require_returns_module(actor)
    if date_from > date_to:
        raise ValueError(
            f"The range starts after it ends: {date_from:%d/%m/%Y} is after {date_to:%d/%m/%Y}"
        )
    if out.suffix.lower() != ".xlsx":
        raise ValueError(f"Annex A is an Excel workbook: the file name must end .xlsx, not {out}")
    total = len(LISTS) + 1
    progress(0, total)
    records = annex_a_records(user=actor, date_from=date_from, date_to=date_to)
    progress(1, total)
    sheets = _Sheets(records, actor)
    workbook = Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "Notes"
    notes.append(["Ofsted Annex A", f"{date_from:%d/%m/%Y} to {date_to:%d/%m/%Y}"])
    notes.append(["List", "Sheet", "Rows", "What it holds"])
    for cell in notes[2]:
        cell.font = Font(bold=True)
    counts: dict[str, int] = {}
    fill: dict[int, Callable[[], list[list[Any]]]] = {n: getattr(sheets, f"list{n}") for n in LISTS}
    for number in LISTS:
        rows = fill[number]()
        _write_sheet(workbook, number, rows)
        counts[f"List {number}"] = len(rows)
        notes.append(
            [f"List {number}: {LISTS[number][0]}", f"List {number}", len(rows), NOTES[number]]
        )
        progress(number + 1, total)
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["D"].width = 100
    counts["unallocated rows"] = sheets.unallocated
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    workbook.save(partial)
    partial.replace(out)
    with transaction.atomic():
        audit_return_built(
            actor=actor,
            collection=COLLECTION,
            period=f"{date_from.isoformat()}..{date_to.isoformat()}",
            person_ids=sorted(str(pid) for pid in records.people),
        )
    return BuildResult(files=[out], children=len(records.people), counts=counts)
