"""The SSDA903 (children looked after) return, built from the record "as at" 31 March.

Nothing is typed for the return: every row comes from the typed records of the children's
services (episodes already derived by ``kith.children.services_cla``), read whole through
``selectors_ssda903`` — restricted and sealed children included, as the return is statutory.
``ssda903_build`` writes the twelve tables as CSV files with exactly the column sets the DfE
validator (csc-validator-be-903) recognises, dates DD/MM/YYYY, or one EXPSSDA903 XML file;
beside them ``kith-sources.json`` says, for each child and each row, where in Kith its data is
corrected (read by ``kith returns validate`` and the Returns page).

Who is in which table (DfE SSDA903 guide and the validator's rules, ADR 0012):
- Episodes: every episode open at any time in the year, those begun in earlier years included;
  an episode still open at 31 March (or ending after it) is shown open.
- Header: every child with an episode in the year, and every care leaver in OC3.
- OC2: children looked after continuously for 12 months at 31 March (the validator's test: no
  period started after 1 April, none ended before 31 March, no short-break episode).
- OC3: young people whose 17th–21st birthday fell in the year, who were not looked after on
  it, whose care ended after 16 with 13 weeks looked after since 14 (relevant / former
  relevant), and not by adoption, death or transfer to another LA; the latest contact from
  three months before to one month after the birthday.
- AD1: children adopted in the year (episode ending E11/E12). PlacedAdoption: decisions that a
  child should be placed for adoption open in the year. PrevPerm: children who started to be
  looked after in the year. UASC: children with an episode in the year who were ever
  unaccompanied asylum seekers (DUC = the day it ceased, else their 18th birthday).
- Reviews, Missing, SWEpisodes, DoLo: the child's rows in the year, for children with an
  episode in the year; anything ending after 31 March is shown open.
Data that cannot go into the return (a missing date of birth, a child of school age with no
UPN, no previous permanence for a child new to care…) is named in ``problems``: child, record,
what is wrong and where to correct it. The build never stops on it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kith.children.models import CareEpisode, CareLeaverContact, HealthCheck
from kith.children.services_cla import sw_id_for
from kith.core import codelists
from kith.returns import sources
from kith.returns.building import (
    BuildResult,
    Progress,
    audit_return_built,
    no_progress,
    require_returns_module,
)
from kith.returns.periods import period
from kith.returns.selectors_ssda903 import ChildRecords, ssda903_children

COLLECTION = "ssda903"

# The column sets the validator recognises a table by (lac_validator/config.py), in its order.
TABLES: dict[str, tuple[str, ...]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "Episodes": (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "OC2": (
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ),
    "OC3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "AD1": (
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ),
    "PlacedAdoption": ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    "PrevPerm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "Missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "SWEpisodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    "DoLo": ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
}
FILE_NAMES = {
    "Header": "header.csv",
    "Episodes": "episodes.csv",
    "Reviews": "reviews.csv",
    "UASC": "uasc.csv",
    "OC2": "oc2.csv",
    "OC3": "oc3.csv",
    "AD1": "ad1.csv",
    "PlacedAdoption": "placed_for_adoption.csv",
    "PrevPerm": "previous_permanence.csv",
    "Missing": "missing.csv",
    "SWEpisodes": "sw_episodes.csv",
    "DoLo": "dolo.csv",
}
XML_NAME = "ssda903.xml"
# Tables the DfE validator reads from the XML form (it reads no SWEpisodes or DoLo from XML).
XML_TABLES = (
    "Header",
    "Episodes",
    "UASC",
    "Reviews",
    "OC2",
    "OC3",
    "AD1",
    "PlacedAdoption",
    "PrevPerm",
    "Missing",
)

SHORT_BREAKS = frozenset({"V3", "V4"})
ADOPTED = frozenset({"E11", "E12"})
# A care leaver in OC3 did not leave care by adoption, death or transfer to another LA.
NOT_CARE_LEAVERS = frozenset({"E11", "E12", "E2", "E3"})
NO_ACTIVITY = frozenset({"DIED", "RHOM"})
OC3_AGES = range(17, 22)
SW_FIRST_CONTACT = "FCONTA"
SW_OTHER = "OTHERS"
UN_NOT_SCHOOL_AGE = "UN1"
UN_NEWLY_LOOKED_AFTER = "UN4"


@dataclass(frozen=True)
class Problem:
    """Data that could not be put in the return as it should be: whose, which record, what is
    wrong and where in Kith it is corrected."""

    child: str
    record: str
    message: str
    fix_at: str

    def __str__(self) -> str:
        return f"child {self.child}: {self.record}: {self.message} (fix at: {self.fix_at})"


@dataclass
class Row:
    values: dict[str, str]
    fix_at: str


@dataclass
class Ssda903Return:
    year: int
    start: dt.date
    end: dt.date
    tables: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in TABLES})
    children: dict[str, str] = field(default_factory=dict)  # CHILD -> child's page
    person_ids: list[object] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    uasc_paths: dict[str, str] = field(default_factory=dict)  # CHILD -> where UASC is changed


@dataclass
class Ssda903Result(BuildResult):
    problems: list[Problem] = field(default_factory=list)


# --- Formatting --------------------------------------------------------------------------------


def _d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _flag(value: bool | None) -> str:
    return "" if value is None else ("1" if value else "0")


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return dt.date(day.year + years, 3, 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    return dt.date(year, month, 28)


def _age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# --- Paths in Kith where each table's data is corrected ---------------------------------------


class _Paths:
    def __init__(self, person_id: object) -> None:
        self.person_id = person_id

    def child(self) -> str:
        return reverse("people:person", args=[self.person_id])

    def details(self, anchor: str = "") -> str:
        path = reverse("people:edit", args=[self.person_id])
        return f"{path}#{anchor}" if anchor else path

    def identifiers(self) -> str:
        return reverse("people:identifier-add", args=[self.person_id])

    def looked_after(self, anchor: str = "") -> str:
        path = reverse("children:looked-after", args=[self.person_id])
        return f"{path}#{anchor}" if anchor else path


# --- Building the tables -----------------------------------------------------------------------


class _Child:
    """One child's rows, worked out from their records."""

    def __init__(self, records: ChildRecords, ret: Ssda903Return) -> None:
        self.r = records
        self.ret = ret
        self.person = records.person
        self.id = str(records.person.la_number)
        self.dob = records.person.date_of_birth
        self.paths = _Paths(records.person.pk)
        self.start, self.end = ret.start, ret.end
        self.episodes = [e for e in records.episodes if self._open_in_year(e)]

    # helpers
    def _open_in_year(self, episode: CareEpisode) -> bool:
        return episode.decom <= self.end and (episode.dec is None or episode.dec >= self.start)

    def _overlaps(self, start: dt.date | None, end: dt.date | None) -> bool:
        return start is not None and start <= self.end and (end is None or end >= self.start)

    def _as_at(self, day: dt.date | None) -> dt.date | None:
        """A date after 31 March is not yet known on 31 March."""
        return day if day is not None and day <= self.end else None

    def problem(self, record: str, message: str, fix_at: str) -> None:
        self.ret.problems.append(Problem(self.id, record, message, fix_at))

    def add(self, table: str, fix_at: str, **values: str) -> None:
        row = {"CHILD": self.id}
        if "DOB" in TABLES[table]:
            row["DOB"] = _d(self.dob)
        row.update(values)
        self.ret.tables[table].append(Row({c: row.get(c, "") for c in TABLES[table]}, fix_at))

    # tables
    def build(self) -> None:
        oc3 = self.oc3()
        if not self.episodes and oc3 is None:
            return
        self.header(care_leaver_only=not self.episodes)
        if self.episodes:
            self.episode_rows()
            self.uasc()
            self.reviews()
            self.oc2()
            self.adoption()
            self.previous_permanence()
            self.missing()
            self.sw_episodes()
            self.dolo()
        if oc3 is not None:
            self.add("OC3", self.paths.looked_after("cla-care-leaver"), **oc3)
        self.ret.children[self.id] = self.paths.child()
        self.ret.uasc_paths[self.id] = self.paths.looked_after()
        self.ret.person_ids.append(self.person.pk)

    def header(self, *, care_leaver_only: bool) -> None:
        person = self.person
        fix = self.paths.details()
        if self.dob is None:
            self.problem("date of birth", "no date of birth is recorded", self.paths.details())
        ethnic = person.ethnicity.strip().upper()
        if not ethnic:
            self.problem("ethnicity", "no ethnicity is recorded (ETHNIC)", self.paths.details())
        mother, mc_dob = "", ""
        needs_mother = any(e.ls not in SHORT_BREAKS for e in self.episodes)
        if person.sex == "F" and needs_mother and not care_leaver_only:
            ceased = [e.dec for e in self.episodes if e.dec and e.rec != "X1" and e.dec <= self.end]
            latest = self.episodes[-1]
            as_at = (
                self.end
                if latest.dec is None or latest.dec > self.end
                else max(ceased or [self.end])
            )
            born = [day for day in self.r.children_born if day <= as_at]
            mother = "1" if born else "0"
            mc_dob = _d(born[0]) if born else ""
        self.add(
            "Header",
            fix,
            SEX=person.sex,
            DOB=_d(self.dob),
            ETHNIC=ethnic,
            UPN="" if care_leaver_only and not self.r.upn else self.upn(),
            MOTHER=mother,
            MC_DOB=mc_dob,
        )

    def upn(self) -> str:
        if self.r.upn:
            return self.r.upn.strip().upper()
        if self.episodes and all(e.ls in SHORT_BREAKS for e in self.episodes):
            return ""  # not asked for children on short breaks only (rule 442)
        if self.dob is not None:
            # Rule 209: a child is of school age once 4 on 31 August before the year began.
            reference = dt.date(self.start.year - 1, 8, 31)
            if _add_years(self.dob, 4) > reference:
                return UN_NOT_SCHOOL_AGE
        week_before_end = self.end - dt.timedelta(days=7)
        started_in_year = any(e.rne == "S" and e.decom >= self.start for e in self.episodes)
        if started_in_year and all(e.decom < week_before_end for e in self.episodes):
            return UN_NEWLY_LOOKED_AFTER
        self.problem(
            "UPN",
            "no unique pupil number is recorded for a child of school age (rule 442)",
            self.paths.identifiers(),
        )
        return ""

    def episode_rows(self) -> None:
        fix = self.paths.looked_after("cla-episodes")
        # An unaccompanied asylum-seeking child, now or before, has no home postcode: the
        # distance from home is not asked for them (rule 406).
        uasc = any(s.start_date <= self.end for s in self.r.uasc)
        for e in self.episodes:
            dec = self._as_at(e.dec)
            # Short breaks (V3/V4): no placement location (rules 214, 398, 420).
            located = e.ls not in SHORT_BREAKS
            self.add(
                "Episodes",
                fix,
                DECOM=_d(e.decom),
                RNE=e.rne,
                LS=e.ls,
                CIN=e.cin,
                PLACE=e.place,
                PLACE_PROVIDER=e.place_provider,
                DEC=_d(dec),
                REC=e.rec if dec else "",
                REASON_PLACE_CHANGE=e.reason_place_change if dec else "",
                HOME_POST=e.home_post if located and not uasc else "",
                PL_POST=e.pl_post if located else "",
                URN=e.urn if located else "",
            )

    def uasc(self) -> None:
        statuses = [s for s in self.r.uasc if s.start_date <= self.end]
        if not statuses:
            return
        latest = statuses[-1]
        ceased = self._as_at(latest.ceased_date)
        if ceased is None and self.dob is not None:
            ceased = _add_years(self.dob, 18)
        self.add(
            "UASC",
            self.paths.looked_after(),
            SEX=self.person.sex,
            DUC=_d(ceased),
        )

    def reviews(self) -> None:
        fix = self.paths.looked_after("cla-reviews")
        for review in self.r.reviews:
            if review.cancelled or not self.start <= review.review_date <= self.end:
                continue
            if not review.participation:
                self.problem(
                    f"review of {_d(review.review_date)}",
                    "how the child took part (PN0–PN7) is not recorded",
                    fix,
                )
            self.add(
                "Reviews",
                fix,
                REVIEW=_d(review.review_date),
                REVIEW_CODE=review.participation,
            )

    def continuously_looked_after(self) -> bool:
        """The validator's test (CONTINUOUSLY_LOOKED_AFTER): in care during the year, with no
        period started after 1 April, none ended before 31 March, and no short-break episode."""
        for e in self.episodes:
            dec = self._as_at(e.dec)
            if e.rne == "S" and self.start < e.decom <= self.end:
                return False
            if dec is not None and e.rec != "X1" and self.start <= dec < self.end:
                return False
            if e.ls in SHORT_BREAKS:
                return False
        return bool(self.episodes)

    def oc2(self) -> None:
        if not self.continuously_looked_after():
            return
        fix = self.paths.looked_after("cla-health")
        year_start, end = self.start, self.end

        def in_year(day: dt.date) -> bool:
            return year_start <= day <= end

        checks = [c for c in self.r.health_checks if c.check_date <= end]

        def latest(kind: str) -> Any:
            found = [c for c in checks if c.kind == kind]
            return found[-1] if found else None

        age = _age_on(self.dob, end) if self.dob else None
        values: dict[str, str] = {}
        # SDQ: children 4 or over at 31 March and not yet 17 on 1 April.
        if self.dob and _add_years(self.dob, 4) <= end and _add_years(self.dob, 17) >= year_start:
            sdqs = [s for s in self.r.sdq_scores if in_year(s.sdq_date)]
            if sdqs:
                sdq = sdqs[-1]
                values["SDQ_SCORE"] = "" if sdq.score is None else str(sdq.score)
                values["SDQ_REASON"] = "" if sdq.score is not None else sdq.reason
            elif _add_years(self.dob, 4) <= year_start and _add_years(self.dob, 17) > end:
                self.problem(
                    "SDQ",
                    "no strengths and difficulties questionnaire (score or reason) in the year",
                    fix,
                )
        wellbeing = [w for w in self.r.wellbeing if in_year(w.recorded_on)]
        if age is not None and age >= 10:
            values["CONVICTED"] = _flag(any(w.convicted for w in wellbeing))
        assessment = latest(HealthCheck.Kind.HEALTH_ASSESSMENT)
        # Up to date: under 5s every six months, older children every year.
        due_after = _add_months(end, -6 if age is not None and age < 5 else -12)
        values["HEALTH_ASSESSMENT"] = _flag(
            assessment is not None and assessment.check_date > due_after
        )
        if age is not None and age < 5:
            development = latest(HealthCheck.Kind.DEVELOPMENT_CHECK)
            values["HEALTH_CHECK"] = _flag(
                development is not None and in_year(development.check_date)
            )
        dental = latest(HealthCheck.Kind.DENTAL_CHECK)
        values["TEETH_CHECK"] = _flag(dental is not None and in_year(dental.check_date))
        immunisations = latest(HealthCheck.Kind.IMMUNISATIONS)
        values["IMMUNISATIONS"] = _flag(
            immunisations is not None and bool(immunisations.up_to_date)
        )
        misuse = [w for w in wellbeing if w.substance_misuse]
        values["SUBSTANCE_MISUSE"] = _flag(bool(misuse))
        if misuse:
            last = misuse[-1]
            if last.intervention_received is None:
                self.problem(
                    f"wellbeing record of {_d(last.recorded_on)}",
                    "whether an intervention for substance misuse was received is not recorded",
                    fix,
                )
            values["INTERVENTION_RECEIVED"] = _flag(last.intervention_received)
            if last.intervention_received is False:
                values["INTERVENTION_OFFERED"] = _flag(last.intervention_offered)
        self.add("OC2", fix, **values)

    def oc3(self) -> dict[str, str] | None:
        """The young person's OC3 row, if they are a care leaver the return covers."""
        if self.dob is None or not self.r.care_leaver_contacts:
            return None
        birthday = next(
            (
                b
                for b in (_add_years(self.dob, age) for age in OC3_AGES)
                if self.start <= b <= self.end
            ),
            None,
        )
        if birthday is None:
            return None
        episodes = self.r.episodes
        if any(e.decom <= birthday and (e.dec is None or e.dec >= birthday) for e in episodes):
            # looked after on the birthday, even if leaving care that day: not yet a care
            # leaver (rules 1007, 1016)
            return None
        before = [e for e in episodes if e.dec is not None and e.dec < birthday]
        fix = self.paths.looked_after("cla-care-leaver")
        latest_contact = self.r.care_leaver_contacts[-1]
        if latest_contact.eligibility == CareLeaverContact.Eligibility.QUALIFYING:
            return None
        if not before:
            self.problem(
                "care leaver",
                f"recorded as a care leaver, but no period of care ending before their "
                f"{_age_on(self.dob, birthday)}th birthday ({_d(birthday)}) is recorded",
                self.paths.looked_after(),
            )
            return None
        if before[-1].rec in NOT_CARE_LEAVERS:
            return None
        if not self._relevant(episodes):
            self.problem(
                "care leaver",
                "recorded as a care leaver, but the episodes show under 13 weeks looked after "
                "since 14 or care ending before 16 (not a relevant or former relevant child)",
                fix,
            )
            return None
        window = (_add_months(birthday, -3), _add_months(birthday, 1))
        contacts = [
            c for c in self.r.care_leaver_contacts if window[0] <= c.contact_date <= window[1]
        ]
        age = _age_on(self.dob, birthday)
        if not contacts and window[1] >= timezone.localdate():
            return None  # built before the time for the contact is over: nothing to report yet
        if not contacts:
            self.problem(
                "care leaver",
                f"no contact recorded from {_d(window[0])} to {_d(window[1])}, around their "
                f"{age}th birthday",
                fix,
            )
            return None
        contact = contacts[-1]
        if contact.in_touch in NO_ACTIVITY:  # died, returned home: 0 for both (rule 344)
            return {"IN_TOUCH": contact.in_touch, "ACTIV": "0", "ACCOM": "0"}
        # Not in touch, refused or no longer needed: what is not known is 0 (rules 153, 132,
        # 133: all three given); in touch, both are known (entry rule 345).
        return {
            "IN_TOUCH": contact.in_touch,
            "ACTIV": contact.activity or "0",
            "ACCOM": contact.accommodation or "0",
        }

    def _relevant(self, episodes: list[CareEpisode]) -> bool:
        """13 weeks (91 days) looked after since 14, and a day since 16 (rule 1001)."""
        assert self.dob is not None
        at_14, at_16 = _add_years(self.dob, 14), _add_years(self.dob, 16)
        since_14 = since_16 = 0
        for e in episodes:
            if e.ls in SHORT_BREAKS:
                continue
            end = e.dec or self.end
            since_14 += max(0, (end - max(e.decom, at_14)).days)
            since_16 += max(0, (end - max(e.decom, at_16)).days)
        return since_14 >= 91 and since_16 >= 1

    def adoption(self) -> None:
        fix = self.paths.looked_after("cla-adoption")
        adopted = [
            e
            for e in self.episodes
            if e.rec in ADOPTED and e.dec and self.start <= e.dec <= self.end
        ]
        records = [a for a in self.r.adoption if a.adm_decision_date <= self.end]
        if adopted:
            if not records:
                self.problem(
                    f"episode ending {_d(adopted[-1].dec)}",
                    "adopted, but no adoption record (decision, match, adopters) is recorded",
                    fix,
                )
            else:
                a = records[-1]
                self.add(
                    "AD1",
                    fix,
                    DATE_INT=_d(a.adm_decision_date),
                    DATE_MATCH=_d(self._as_at(a.matched_date)),
                    FOSTER_CARE=a.foster_care,
                    NB_ADOPTR=a.nb_adoptr,
                    SEX_ADOPTR=a.sex_adoptr,
                    LS_ADOPTR=a.ls_adoptr,
                )
        for a in records:
            ceased = a.decision_reversed_date or a.placed_ceased_date
            if ceased is not None and ceased < self.start:
                continue
            ceased = self._as_at(ceased)
            self.add(
                "PlacedAdoption",
                fix,
                DATE_PLACED=_d(a.adm_decision_date),
                DATE_PLACED_CEASED=_d(ceased),
                REASON_PLACED_CEASED=a.placed_ceased_reason if ceased else "",
            )

    def previous_permanence(self) -> None:
        started = [e for e in self.episodes if e.rne == "S" and e.decom >= self.start]
        if not started:
            return
        fix = self.paths.looked_after()
        if not self.r.previous_permanence:
            self.problem(
                f"period of care from {_d(started[-1].decom)}",
                "no previous permanence (PREV_PERM) is recorded for a child who started to be "
                "looked after in the year (rule 630)",
                fix,
            )
            return
        p = self.r.previous_permanence[-1]
        self.add(
            "PrevPerm", fix, PREV_PERM=p.prev_perm, LA_PERM=p.la_perm, DATE_PERM=_d(p.date_perm)
        )

    def missing(self) -> None:
        fix = self.paths.looked_after("cla-missing")
        for m in self.r.missing:
            if not self._overlaps(m.start_date, m.end_date):
                continue
            self.add(
                "Missing",
                fix,
                MISSING=m.kind,
                MIS_START=_d(m.start_date),
                MIS_END=_d(self._as_at(m.end_date)),
            )

    def sw_episodes(self) -> None:
        """SW_REASON says why an episode began: FCONTA for the child's first social worker,
        else why the previous one changed (recorded on it when it ended; OTHERS if not)."""
        fix = self.paths.looked_after("cla-sw-episodes")
        rows: list[tuple[str, dt.date, dt.date | None, str]] = [
            (s.sw_id, s.start_date, s.end_date, s.reason) for s in self.r.sw_episodes
        ]
        if not rows:
            # Not derived yet: the same derivation as services_cla.sw_episodes_from_allocations.
            for a in self.r.allocations:
                reason = ""
                if a.end_date is not None:
                    code = a.end_reason.strip().upper()
                    valid = code and codelists.is_valid("ssda903_sw_reason", code, a.end_date)
                    reason = code if valid else "OTHERS"
                rows.append((sw_id_for(a.worker), a.start_date, a.end_date, reason))
        # A worker allocated before the child came into care in the year is their social
        # worker from that day as far as the return goes (the validator's SW12STG2 refuses a
        # social worker episode starting before a period of care the return shows starting).
        care_starts = [e.decom for e in self.episodes if e.rne == "S" and e.ls not in SHORT_BREAKS]
        floor = max(care_starts, default=None)
        # nor one starting after the child left care (the episodes all ended by then), and
        # the one in place then is shown open (SW17STG2: the last episode has no end)
        ends = [self._as_at(e.dec) for e in self.episodes]
        known = [day for day in ends if day is not None]
        ceiling = max(known) if known and len(known) == len(ends) else None
        began_because = SW_FIRST_CONTACT
        before = len(self.ret.tables["SWEpisodes"])
        for sw_id, start, end, changed in sorted(rows, key=lambda r: r[1]):
            reason, began_because = began_because, changed or SW_OTHER
            if ceiling is not None and start > ceiling:
                continue
            if floor is not None and start < floor:
                if end is not None and end < floor:
                    continue
                start = floor
            if not self._overlaps(start, end):
                continue
            if ceiling is not None and end is not None and end >= ceiling:
                # their worker when care ended (the allocation may end that day too): the last
                # episode stays open (SW17STG2)
                end = None
            self.add(
                "SWEpisodes",
                fix,
                SW_ID=sw_id,
                SW_DECOM=_d(start),
                SW_DEC=_d(self._as_at(end)),
                SW_REASON=reason,
            )
        if len(self.ret.tables["SWEpisodes"]) == before:
            self.problem(
                "social worker",
                "no social worker episode or allocation in the year (SWEpisodes)",
                fix,
            )

    def dolo(self) -> None:
        fix = self.paths.looked_after()
        for order in self.r.dolo:
            if self._overlaps(order.start_date, order.end_date):
                self.add(
                    "DoLo",
                    fix,
                    DOLO_START=_d(order.start_date),
                    DOLO_END=_d(self._as_at(order.end_date)),
                )


def ssda903_tables(
    children: list[ChildRecords], *, year: int, progress: Progress = no_progress
) -> Ssda903Return:
    """The return's rows, from the children's records (no database access)."""
    start, end = period(year)
    ret = Ssda903Return(year=year, start=start, end=end)
    ordered = sorted(children, key=lambda c: c.person.la_number)
    total = len(ordered)
    progress(0, total)
    for done, records in enumerate(ordered, start=1):
        child = _Child(records, ret)
        try:
            child.build()
        except Exception as error:  # one child's odd data never stops the return
            _drop_child(ret, child.id)
            ret.problems.append(
                Problem(
                    child.id,
                    "records",
                    f"could not be put in the return ({type(error).__name__}: {error})",
                    child.paths.looked_after(),
                )
            )
        progress(done, total)
    return ret


def _drop_child(ret: Ssda903Return, child_id: str) -> None:
    for name, rows in ret.tables.items():
        ret.tables[name] = [r for r in rows if r.values["CHILD"] != child_id]
    ret.children.pop(child_id, None)
    ret.uasc_paths.pop(child_id, None)


# --- Writing -----------------------------------------------------------------------------------


def _csv_line(values: Iterable[str]) -> str:
    out = []
    for value in values:
        text = str(value)
        if any(ch in text for ch in ',"\n\r'):
            text = '"' + text.replace('"', '""') + '"'
        out.append(text)
    return ",".join(out) + "\n"


def _write_csvs(ret: Ssda903Return, out_dir: Path) -> list[Path]:
    files = []
    for table, columns in TABLES.items():
        lines = [_csv_line(columns)]
        lines += [_csv_line(row.values[c] for c in columns) for row in ret.tables[table]]
        files.append(sources.write_atomically(out_dir / FILE_NAMES[table], "".join(lines)))
    return files


def _element(parent: ET.Element, tag: str, value: str) -> None:
    """Blank fields are empty elements, never left out: the validator's XML reader fills a
    field missing from an element with the same field found elsewhere in the child's record
    (an open episode would get the previous one's DEC and REC)."""
    ET.SubElement(parent, tag).text = value or None


def ssda903_xml(ret: Ssda903Return) -> ET.Element:
    """The EXPSSDA903 form: CHILD > HEADER (the child's Header, UASC, OC3 and AD1 fields, with
    AREVIEW, AMISSING, OC2, PERMANENCE and AD_PLACED inside) and EPISODE elements (placement
    type as PL). Social worker episodes and DoLOs follow as SWEPISODE and DOLO elements."""
    root = ET.Element("EXPSSDA903")
    by_child: dict[tuple[str, str], list[dict[str, str]]] = {}
    for name, table_rows in ret.tables.items():
        for row in table_rows:
            by_child.setdefault((name, row.values["CHILD"]), []).append(row.values)

    def rows_of(table: str, child_id: str) -> list[dict[str, str]]:
        return by_child.get((table, child_id), [])

    def fields(element: ET.Element, values: dict[str, str], skip: Iterable[str] = ()) -> None:
        for name, value in values.items():
            if name not in {"CHILD", "DOB", *skip}:
                _element(element, name, value)

    for header in (r.values for r in ret.tables["Header"]):
        child_id = header["CHILD"]
        child = ET.SubElement(root, "CHILD")
        head = ET.SubElement(child, "HEADER")
        _element(head, "CHILDID", child_id)
        for name in ("SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"):
            _element(head, name, header[name])
        uasc = rows_of("UASC", child_id)
        _element(head, "UASC", "1" if uasc else "0")
        for values in uasc:
            _element(head, "DUC", values["DUC"])
        for table in ("OC3", "AD1"):
            for values in rows_of(table, child_id):
                fields(head, values)
        for table, tag in (
            ("Reviews", "AREVIEW"),
            ("Missing", "AMISSING"),
            ("OC2", "OC2"),
            ("PrevPerm", "PERMANENCE"),
            ("PlacedAdoption", "AD_PLACED"),
        ):
            for values in rows_of(table, child_id):
                fields(ET.SubElement(head, tag), values)
        for values in rows_of("Episodes", child_id):
            episode = ET.SubElement(child, "EPISODE")
            for name, value in values.items():
                if name != "CHILD":
                    _element(episode, "PL" if name == "PLACE" else name, value)
        for table, tag in (("SWEpisodes", "SWEPISODE"), ("DoLo", "DOLO")):
            for values in rows_of(table, child_id):
                fields(ET.SubElement(child, tag), values)
    ET.indent(root)
    return root


def _write_xml(ret: Ssda903Return, out_dir: Path) -> list[Path]:
    path = out_dir / XML_NAME
    document = ET.tostring(ssda903_xml(ret), encoding="unicode", xml_declaration=True)
    return [sources.write_atomically(path, document + "\n")]


def _rows_for_sources(ret: Ssda903Return, *, as_xml: bool) -> dict[str, dict[str, str]]:
    """Row ids as the validator reports them: each table's row number (from 0) in file order.
    From XML, every child has a UASC row (its UASC flag), and SWEpisodes and DoLo are not read."""
    rows: dict[str, dict[str, str]] = {}
    for table in XML_TABLES if as_xml else tuple(TABLES):
        if as_xml and table == "UASC":
            rows[table] = {
                str(i): ret.uasc_paths[r.values["CHILD"]]
                for i, r in enumerate(ret.tables["Header"])
            }
        else:
            rows[table] = {str(i): r.fix_at for i, r in enumerate(ret.tables[table])}
    return rows


def _clear_previous_build(out_dir: Path) -> None:
    """A re-run replaces the last build: our own file names only, never anything else."""
    xml_sources = sources.sources_path(out_dir / XML_NAME).name
    for name in [*FILE_NAMES.values(), XML_NAME, sources.SOURCES_FILE, xml_sources]:
        with contextlib.suppress(FileNotFoundError):
            (out_dir / name).unlink()


def ssda903_build(
    *,
    actor: Any,
    year: int,
    out_dir: Path,
    progress: Progress = no_progress,
    as_xml: bool = False,
) -> Ssda903Result:
    """Build the SSDA903 for the collection year ending 31 March ``year`` into ``out_dir``:
    twelve CSV files (or ``ssda903.xml``) and ``kith-sources.json``. One audit entry names
    every child in it. Only users whose role grants the Returns module may build it."""
    require_returns_module(actor)
    out_dir.mkdir(parents=True, exist_ok=True)
    start, end = period(year)
    with transaction.atomic():
        children = ssda903_children(user=actor, start=start, end=end)
        ret = ssda903_tables(children, year=year, progress=progress)
        _clear_previous_build(out_dir)
        files = _write_xml(ret, out_dir) if as_xml else _write_csvs(ret, out_dir)
        rows = _rows_for_sources(ret, as_xml=as_xml)
        written = [
            sources.write_sources(out_dir / sources.SOURCES_FILE, children=ret.children, rows=rows)
        ]
        if as_xml:  # also beside the file, for `validate ssda903 DIR/ssda903.xml`
            written.append(
                sources.write_sources(
                    sources.sources_path(files[0]), children=ret.children, rows=rows
                )
            )
        audit_return_built(
            actor=actor,
            collection=COLLECTION,
            period=f"{start.isoformat()}/{end.isoformat()}",
            person_ids=ret.person_ids,
        )
    return Ssda903Result(
        files=[*files, *written],
        children=len(ret.tables["Header"]),
        counts={table: len(rows) for table, rows in ret.tables.items()},
        problems=ret.problems,
    )
