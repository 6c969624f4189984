"""The CIN census return (XML), built from the child in need journey's records.

``cin_census_build`` writes the ``Message`` the DfE's CIN validator reads (children.md §4):
``Header`` (collection details and the council's source details, from settings), then one
``Child`` for every child with a child in need episode open at any point in the collection
year, restricted and sealed records included. Everything is reported **as at the reference
date** (31 March): what was recorded later is left out (an assessment authorised in April is
reported as not yet complete; a plan ended in April as open), and activity that was over before
the year began is not reported (an assessment authorised, an enquiry concluded or a plan ended
before 1 April), which is what the validator's "within the census year" rules ask for.

Conventions the validator reads (csc-validator-be-cin 0.1.13, ADR 0013):
- dates ``YYYY-MM-DD``; booleans ``1``/``0`` (rule 8740 reads only ``0`` as false and rule 2885
  only ``1`` as true, while every other rule reads both forms);
- an initial conference that follows a section 47 enquiry is on the ``Section47`` block only;
  ``CINdetails/DateOfInitialCPC`` is kept for a conference with no enquiry (a child moving in
  on another council's plan), so no conference is reported twice (rule 2884);
- element order as in the DfE's specification; the census layout changes by year
  (``LAYOUTS``: ``GenderCurrent`` until 2023/24, ``Sex`` from 2024/25, the
  ``PreProceedingsandFGDM`` block from 2026/27).

Beside the XML it writes ``<out>.kith-sources.json``: for each child, the path of their page in
Kith, and for each row of each table as the validator numbers them (``ROW_ID``: the row's
position in that table, counted over the whole file in document order), the page where that
data is corrected. Data that cannot go into the return as it is (no ethnicity or disability
recorded, a code not on the census list, a merged record...) is reported as a ``Problem``
naming the child and the record; the build never stops for it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

import kith
from kith.children.models import (
    Assessment,
    CINEpisode,
    CINPlan,
    CPPlan,
    PreProceedings,
    Section47,
)
from kith.core import codelists
from kith.people.models import Person, PersonIdentifier
from kith.returns import selectors_cin
from kith.returns.building import (
    BuildResult,
    Progress,
    audit_return_built,
    no_progress,
    require_returns_module,
)
from kith.returns.periods import period

COLLECTION = "cin"
SOURCES_SUFFIX = ".kith-sources.json"


@dataclass(frozen=True)
class Layout:
    """What the census asks for, from the collection year ``first_year`` on."""

    first_year: int
    sex_element: str  # "GenderCurrent" (1 male, 2 female, 0 not known) or "Sex" (M/F/U)
    pre_proceedings: bool  # the PreProceedingsandFGDM block


# The census layouts by collection year (named by the March the year ends in).
LAYOUTS = (
    Layout(2023, "GenderCurrent", pre_proceedings=False),
    Layout(2025, "Sex", pre_proceedings=False),  # 2024/25: Sex replaces GenderCurrent (4180)
    Layout(2027, "Sex", pre_proceedings=True),  # 2026/27: pre-proceedings and FGDM
)
GENDER_CURRENT = {"M": "1", "F": "2", "U": "0"}

# The validator's tables (CINTable names) that Kith can point back to, in the order it fills
# them. Header rows come from settings, not the record.
TABLES = (
    "ChildIdentifiers",
    "ChildCharacteristics",
    "Disabilities",
    "CINdetails",
    "Assessments",
    "AssessmentFactorsList",
    "CINplanDates",
    "Section47",
    "ChildProtectionPlans",
    "Reviews",
)

# The DfE code lists (kith.core.codelists) each coded field is checked against.
REFERRAL_SOURCE = "cin_referral_source"
NEED = "cin_need_codes"
CLOSURE_REASON = "cin_reason_for_closure"
CATEGORY = "cin_category_of_abuse"
FACTORS = "cin_assessment_factors"
DISABILITY = "cin_disability"
ETHNICITY = "ssda903_ethnic"


def layout_for(year: int) -> Layout:
    found = [layout for layout in LAYOUTS if layout.first_year <= year]
    if not found:
        raise ValueError(
            f"The CIN census can be built for {LAYOUTS[0].first_year} onwards, not {year}"
        )
    return found[-1]


def sources_path(out: Path) -> Path:
    """Where the sources file of the return written to ``out`` goes."""
    return out.with_name(out.name + SOURCES_SUFFIX)


@dataclass(frozen=True)
class Problem:
    """Something in the record that could not go into the return as it is."""

    child: str  # LAchildID
    record: str  # which record, in words
    message: str
    fix_at: str  # the page where it is corrected

    def __str__(self) -> str:
        return f"child {self.child}, {self.record}: {self.message} (fix at {self.fix_at})"


@dataclass
class CinCensusResult(BuildResult):
    problems: list[Problem] = field(default_factory=list)
    sources: Path | None = None


@dataclass(frozen=True)
class Header:
    year: int
    reference_date: dt.date
    source_level: str
    lea: str
    software_code: str
    release: str
    serial_no: str
    generated_at: dt.datetime


def header_for(year: int, generated_at: dt.datetime | None = None) -> Header:
    """The header from the council's settings; a clear message if one is not usable."""
    lea = str(settings.KITH_COUNCIL_LA_CODE).strip()
    if not re.fullmatch(r"\d{3}", lea):
        raise ImproperlyConfigured(
            f"KITH_COUNCIL_LA_CODE must be the council's 3-digit DfE LA code, not {lea!r}"
        )
    values = {
        "KITH_CIN_SOURCE_LEVEL": str(settings.KITH_CIN_SOURCE_LEVEL).strip(),
        "KITH_RETURNS_SOFTWARE_CODE": str(settings.KITH_RETURNS_SOFTWARE_CODE).strip(),
        "KITH_CIN_SERIAL_NO": str(settings.KITH_CIN_SERIAL_NO).strip(),
    }
    empty = [name for name, value in values.items() if not value]
    if empty:
        raise ImproperlyConfigured(f"{', '.join(empty)} must not be empty")
    when = timezone.localtime(generated_at or timezone.now()).replace(microsecond=0)
    return Header(
        year=year,
        reference_date=period(year)[1],
        source_level=values["KITH_CIN_SOURCE_LEVEL"],
        lea=lea,
        software_code=values["KITH_RETURNS_SOFTWARE_CODE"],
        release=kith.__version__,
        serial_no=values["KITH_CIN_SERIAL_NO"],
        generated_at=when,
    )


# --- Writing elements ---


def _date(day: dt.date) -> str:
    return day.isoformat()


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _add(parent: ET.Element, tag: str, value: object = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if isinstance(value, dt.date):
        element.text = _date(value)
    elif value is not None:
        element.text = str(value)
    return element


def _maybe(parent: ET.Element, tag: str, value: object) -> None:
    """The element only when there is a value (an absent field is left out, not empty)."""
    if value is not None and value != "":
        _add(parent, tag, value)


def _by(day: dt.date | None, end: dt.date) -> dt.date | None:
    """A date as known at the reference date: dates after it had not happened yet."""
    return day if day is not None and day <= end else None


class _Builder:
    """Builds one return: the XML tree, the sources map and the problems found."""

    def __init__(self, header: Header, layout: Layout) -> None:
        self.header = header
        self.layout = layout
        self.start, self.end = period(header.year)
        self.rows: dict[str, dict[str, str]] = {table: {} for table in TABLES}
        self.children: dict[str, str] = {}
        self.problems: list[Problem] = []
        self.counts: Counter[str] = Counter()
        self._codes: dict[str, set[str]] = {}
        self.root = ET.Element("Message")
        self._header()
        self.children_element = ET.SubElement(self.root, "Children")

    # sources and problems

    def _row(self, table: str, path: str) -> None:
        self.rows[table][str(len(self.rows[table]))] = path

    def _problem(self, child: str, record: str, message: str, fix_at: str) -> None:
        self.problems.append(Problem(child, record, message, fix_at))

    def _valid(self, list_name: str, code: str) -> bool:
        if list_name not in self._codes:
            self._codes[list_name] = {c for c, _ in codelists.choices(list_name, self.end)}
        return code in self._codes[list_name]

    def _check(
        self, child: str, record: str, list_name: str, what: str, code: str, fix_at: str
    ) -> None:
        if code and not self._valid(list_name, code):
            self._problem(
                child,
                record,
                f"{what} {code!r} is not on the CIN census list in force on "
                f"{_date(self.end)}; it is reported as recorded",
                fix_at,
            )

    # paths in Kith

    @staticmethod
    def _person_path(person_id: uuid.UUID) -> str:
        return reverse("people:person", args=[person_id])

    @staticmethod
    def _tab(person_id: uuid.UUID, anchor: str, pk: uuid.UUID) -> str:
        return f"{reverse('children:cin', args=[person_id])}#{anchor}-{pk}"

    # blocks

    def _header(self) -> None:
        h = self.header
        header = ET.SubElement(self.root, "Header")
        details = ET.SubElement(header, "CollectionDetails")
        _add(details, "Collection", "CIN")
        _add(details, "Year", h.year)
        _add(details, "ReferenceDate", h.reference_date)
        source = ET.SubElement(header, "Source")
        _add(source, "SourceLevel", h.source_level)
        _add(source, "LEA", h.lea)
        _add(source, "SoftwareCode", h.software_code)
        _add(source, "Release", h.release)
        _add(source, "SerialNo", h.serial_no)
        _add(source, "DateTime", h.generated_at.strftime("%Y-%m-%dT%H:%M:%S"))

    def child(self, record: selectors_cin.CensusChild) -> bool:
        person = record.person
        child_id = str(person.la_number)
        page = self._person_path(person.pk)
        if person.merged_into_id is not None:
            self._problem(
                child_id,
                "the person's record",
                "this record was merged into another, yet child in need episodes are still "
                "recorded on it; they are left out of the return",
                page,
            )
            return False
        episodes = [e for e in record.episodes if self._episode_in_year(e.episode)]
        if not episodes:
            return False
        # Built apart and added whole: a record this code cannot read leaves no half a child
        # in the return (nor rows in the sources file), and is named as a problem.
        rows = {table: len(found) for table, found in self.rows.items()}
        counts = self.counts.copy()
        problems = len(self.problems)
        element = ET.Element("Child")
        try:
            self._identifiers(element, child_id, person, record.identifiers)
            self._characteristics(element, child_id, person)
            for view in episodes:
                self._episode(element, child_id, person, view)
        except Exception as error:  # any record, however malformed, is reported
            self.rows = {t: dict(list(found.items())[: rows[t]]) for t, found in self.rows.items()}
            self.counts = counts
            del self.problems[problems:]
            self._problem(
                child_id,
                "the child's records",
                f"could not be read ({type(error).__name__}: {error}); the child is left out "
                "of the return",
                page,
            )
            return False
        self.children_element.append(element)
        self.children[child_id] = page
        self.counts["children"] += 1
        return True

    def _episode_in_year(self, episode: CINEpisode) -> bool:
        if episode.referral_date > self.end:
            return False
        last = episode.closure_date or (episode.referral_date if episode.referral_nfa else None)
        return last is None or last >= self.start

    def _identifiers(
        self,
        child: ET.Element,
        child_id: str,
        person: Person,
        identifiers: list[PersonIdentifier],
    ) -> None:
        details = reverse("people:details", args=[person.pk])
        self._row("ChildIdentifiers", details)
        block = ET.SubElement(child, "ChildIdentifiers")
        _add(block, "LAchildID", child_id)
        upns = [i.value for i in identifiers if i.kind == PersonIdentifier.Kind.UPN]
        former = [i.value for i in identifiers if i.kind == PersonIdentifier.Kind.FORMER_UPN]
        for kind, values in (("UPN", upns), ("former UPN", former)):
            if len(values) > 1:
                self._problem(
                    child_id,
                    "identifiers",
                    f"{len(values)} current {kind}s are recorded; the first, {values[0]}, is "
                    "reported: end the others",
                    details,
                )
        _maybe(block, "UPN", upns[0] if upns else None)
        _maybe(block, "FormerUPN", former[0] if former else None)
        born = _by(person.date_of_birth, self.end)
        expected = None
        if born is None:
            # Unborn at the reference date: the expected date, or the birth that came after.
            expected = person.expected_date_of_birth or person.date_of_birth
        if born is None and expected is None:
            self._problem(
                child_id,
                "personal details",
                "neither a date of birth nor an expected date of birth is recorded",
                reverse("people:edit", args=[person.pk]) + "#id_date_of_birth-day",
            )
        _maybe(block, "PersonBirthDate", born)
        _maybe(block, "ExpectedPersonBirthDate", expected)
        sex = "U" if born is None else (person.sex or "U")
        if self.layout.sex_element == "GenderCurrent":
            _add(block, "GenderCurrent", GENDER_CURRENT.get(sex, "0"))
        else:
            _add(block, "Sex", sex)
        _maybe(block, "PersonDeathDate", _by(person.date_of_death, self.end))

    def _characteristics(self, child: ET.Element, child_id: str, person: Person) -> None:
        edit = reverse("people:edit", args=[person.pk])
        self._row("ChildCharacteristics", f"{edit}#id_ethnicity")
        block = ET.SubElement(child, "ChildCharacteristics")
        if person.ethnicity:
            self._check(
                child_id,
                "personal details",
                ETHNICITY,
                "ethnicity",
                person.ethnicity,
                f"{edit}#id_ethnicity",
            )
            _add(block, "Ethnicity", person.ethnicity)
        else:
            self._problem(
                child_id, "personal details", "no ethnicity is recorded", f"{edit}#id_ethnicity"
            )
        codes = [str(c) for c in person.disabilities or []]
        if not codes and _by(person.date_of_birth, self.end) is not None:
            self._problem(
                child_id,
                "personal details",
                "no disability is recorded (record NONE for a child with none)",
                f"{edit}#id_disabilities",
            )
        if codes:
            disabilities = ET.SubElement(block, "Disabilities")
            for code in codes:
                self._check(
                    child_id,
                    "personal details",
                    DISABILITY,
                    "disability",
                    code,
                    f"{edit}#id_disabilities",
                )
                _add(disabilities, "Disability", code)
                self._row("Disabilities", f"{edit}#id_disabilities")

    def _episode(
        self,
        child: ET.Element,
        child_id: str,
        person: Person,
        view: selectors_cin.CensusEpisode,
    ) -> None:
        episode = view.episode
        here = self._tab(person.pk, "episode", episode.pk)
        record = f"child in need episode referred {_date(episode.referral_date)}"
        self._row("CINdetails", here)
        self.counts["episodes"] += 1
        block = ET.SubElement(child, "CINdetails")
        _add(block, "CINreferralDate", episode.referral_date)
        self._check(
            child_id, record, REFERRAL_SOURCE, "referral source", episode.referral_source, here
        )
        _maybe(block, "ReferralSource", episode.referral_source)
        self._check(child_id, record, NEED, "primary need", episode.primary_need, here)
        _maybe(block, "PrimaryNeedCode", episode.primary_need)
        closed = _by(episode.closure_date, self.end)
        if closed is not None:
            self._check(
                child_id, record, CLOSURE_REASON, "reason for closure", episode.closure_reason, here
            )
            _add(block, "CINclosureDate", closed)
            _maybe(block, "ReasonForClosure", episode.closure_reason)
        # Conferences with no enquiry before them (transfer in) are reported here; those that
        # follow an enquiry are on its Section47 block (rule 2884).
        own = [
            c
            for c in view.conferences
            if c.section47_id is None and self.start <= c.conference_date <= self.end
        ]
        if own:
            _add(block, "DateOfInitialCPC", own[-1].conference_date)
            for other in own[:-1]:
                self._problem(
                    child_id,
                    record,
                    f"the census has room for one initial conference without a section 47 "
                    f"enquiry per episode: the one on {_date(other.conference_date)} is left "
                    f"out, {_date(own[-1].conference_date)} is reported",
                    here,
                )
        _add(block, "ReferralNFA", _flag(episode.referral_nfa))
        for assessment in view.assessments:
            self._assessment(block, child_id, person, assessment)
        for plan in view.cin_plans:
            self._cin_plan(block, person, plan)
        held = {c.section47_id: c.conference_date for c in view.conferences if c.section47_id}
        for enquiry in view.enquiries:
            self._section47(block, person, enquiry, held.get(enquiry.pk))
        for cp_plan in view.cp_plans:
            self._cp_plan(block, child_id, person, cp_plan, view.reviews.get(cp_plan.pk, []))
        if self.layout.pre_proceedings:
            for pp in view.pre_proceedings:
                self._pre_proceedings(block, person, pp)

    def _assessment(self, block: ET.Element, child_id: str, person: Person, a: Assessment) -> None:
        if a.start_date > self.end or (
            a.authorisation_date is not None and a.authorisation_date < self.start
        ):
            return
        authorised = _by(a.authorisation_date, self.end)
        if authorised is None:
            here = reverse("children:cin-assessment", args=[person.pk, a.pk])
        else:
            here = self._tab(person.pk, "assessment", a.pk)
        self._row("Assessments", here)
        self.counts["assessments"] += 1
        element = ET.SubElement(block, "Assessments")
        _add(element, "AssessmentActualStartDate", a.start_date)
        _maybe(element, "AssessmentInternalReviewDate", _by(a.internal_review_date, self.end))
        _maybe(element, "AssessmentAuthorisationDate", authorised)
        if authorised is not None:
            factors = ET.SubElement(element, "FactorsIdentifiedAtAssessment")
            for code in a.factors or []:
                self._check(
                    child_id,
                    f"assessment started {_date(a.start_date)}",
                    FACTORS,
                    "assessment factor",
                    str(code),
                    here,
                )
                _add(factors, "AssessmentFactors", code)
                self._row("AssessmentFactorsList", here)

    def _cin_plan(self, block: ET.Element, person: Person, plan: CINPlan) -> None:
        if plan.start_date > self.end or (plan.end_date is not None and plan.end_date < self.start):
            return
        ended = _by(plan.end_date, self.end)
        if plan.end_date is None:
            here = reverse("children:cin-plan-end", args=[person.pk, plan.pk])
        else:
            here = self._tab(person.pk, "cin-plan", plan.pk)
        self._row("CINplanDates", here)
        self.counts["cin_plans"] += 1
        element = ET.SubElement(block, "CINPlanDates")
        _add(element, "CINPlanStartDate", plan.start_date)
        _maybe(element, "CINPlanEndDate", ended)

    def _section47(
        self, block: ET.Element, person: Person, s47: Section47, conference: dt.date | None
    ) -> None:
        """An enquiry is reported until it is concluded: by its conference, or by its end with
        no conference needed. One concluded before the year began is not reported."""
        concluded = conference if conference is not None else None
        if concluded is None and s47.icpc_not_required:
            concluded = s47.end_date
        if s47.start_date > self.end or (concluded is not None and concluded < self.start):
            return
        if s47.end_date is None:
            here = reverse("children:cin-s47-end", args=[person.pk, s47.pk])
        else:
            here = self._tab(person.pk, "s47", s47.pk)
        self._row("Section47", here)
        self.counts["section47"] += 1
        element = ET.SubElement(block, "Section47")
        _add(element, "S47ActualStartDate", s47.start_date)
        _maybe(element, "InitialCPCtarget", s47.icpc_target_date)
        _maybe(element, "DateOfInitialCPC", _by(conference, self.end))
        not_required = s47.icpc_not_required and _by(s47.end_date, self.end) is not None
        _add(element, "ICPCnotRequired", _flag(not_required))

    def _cp_plan(
        self,
        block: ET.Element,
        child_id: str,
        person: Person,
        plan: CPPlan,
        reviews: Iterable[Any],
    ) -> None:
        if plan.start_date > self.end or (plan.end_date is not None and plan.end_date < self.start):
            return
        here = self._tab(person.pk, "cp-plan", plan.pk)
        record = f"child protection plan from {_date(plan.start_date)}"
        self._row("ChildProtectionPlans", here)
        self.counts["cp_plans"] += 1
        element = ET.SubElement(block, "ChildProtectionPlans")
        _add(element, "CPPstartDate", plan.start_date)
        _maybe(element, "CPPendDate", _by(plan.end_date, self.end))
        for what, code in (
            ("initial category of abuse", plan.initial_category),
            ("latest category of abuse", plan.latest_category),
        ):
            self._check(child_id, record, CATEGORY, what, code, here)
        _maybe(element, "InitialCategoryOfAbuse", plan.initial_category)
        _maybe(element, "LatestCategoryOfAbuse", plan.latest_category)
        _add(element, "NumberOfPreviousCPP", plan.previous_plans)
        for review in reviews:
            if self.start <= review.review_date <= self.end:
                self._row("Reviews", here)
                self.counts["reviews"] += 1
                _add(ET.SubElement(element, "Reviews"), "CPPreviewDate", review.review_date)

    def _pre_proceedings(self, block: ET.Element, person: Person, pp: PreProceedings) -> None:
        decided = pp.step_decision_date
        if pp.start_date > self.end or (decided is not None and decided < self.start):
            return
        self.counts["pre_proceedings"] += 1
        end = self.end
        element = ET.SubElement(block, "PreProceedingsandFGDM")
        _add(element, "PPStartDate", pp.start_date)
        _maybe(element, "LBPSentDate", _by(pp.letter_before_proceedings_sent, end))
        if pp.fgdm_offered is not None:
            _add(element, "FGDMMeetingOffer", _flag(pp.fgdm_offered))
        if pp.fgdm_facilitated is not None:
            _add(element, "FGDMMeetingFac", _flag(pp.fgdm_facilitated))
        _maybe(element, "InitialPPMeetingDate", _by(pp.initial_meeting_date, end))
        _add(element, "ReviewMeetingsCount", pp.review_meetings)
        _maybe(element, "StepDecisionDate", _by(decided, end))
        if pp.outcome and (decided is None or decided <= end):
            _add(element, "PPOutcome", pp.outcome)
        _maybe(element, "CourtAppDate", _by(pp.court_application_date, end))
        _maybe(element, "LetterInitCPDate", _by(pp.letter_initial_cp_date, end))

    # output

    def xml(self) -> bytes:
        ET.indent(self.root, space="  ")
        body = ET.tostring(self.root, encoding="unicode")
        return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()

    def sources(self) -> bytes:
        document = {"children": self.children, "rows": self.rows}
        return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def _write(path: Path, content: bytes) -> Path:
    """Write beside the target, to be moved into place once everything is written."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    temporary.write_bytes(content)
    return temporary


def cin_census_build(
    *,
    actor: Any,
    year: int,
    out: Path,
    progress: Progress = no_progress,
    generated_at: dt.datetime | None = None,
) -> CinCensusResult:
    """Build the CIN census for the collection year ``year`` (``2026``: April 2025 – March
    2026) into ``out``, with its sources file beside it (``sources_path(out)``).

    Only a user whose role grants the Returns module may build it. ``generated_at`` fixes the
    header's DateTime (tests); otherwise it is now. Both files are written under temporary
    names and moved into place whole; one audit entry names every child in the return.
    """
    require_returns_module(actor)
    layout = layout_for(year)
    start, end = period(year)
    if start > timezone.localdate():
        raise ValueError(f"The {year} collection year starts on {_date(start)}: nothing to return")
    header = header_for(year, generated_at)
    out = Path(out)
    if not out.parent.is_dir():
        raise ValueError(f"There is no folder {out.parent} to write the return to")
    if out.is_dir():
        raise ValueError(f"{out} is a folder: give the name of the XML file to write")
    builder = _Builder(header, layout)
    with transaction.atomic():
        children = selectors_cin.cin_census_children(start=start, end=end)
        total = len(children)
        progress(0, total)
        included: list[uuid.UUID] = []
        for done, record in enumerate(children, start=1):
            if builder.child(record):
                included.append(record.person.pk)
            progress(done, total)
        sources = sources_path(out)
        written: list[tuple[Path, Path]] = []
        try:
            for target, content in ((out, builder.xml()), (sources, builder.sources())):
                written.append((_write(target, content), target))
            audit_return_built(
                actor=actor, collection=COLLECTION, period=str(year), person_ids=included
            )
            for temporary, target in written:
                os.replace(temporary, target)
        finally:
            for temporary, _ in written:
                temporary.unlink(missing_ok=True)
    counts = dict(builder.counts)
    counts["problems"] = len(builder.problems)
    return CinCensusResult(
        files=[out, sources],
        children=len(included),
        counts=counts,
        problems=builder.problems,
        sources=sources,
    )
