"""The CIN census's single-record rules, checked when a record of the child in need journey is
typed (``kith.children.validation``). Codes and logic follow the DfE's CIN validator
(csc-validator-be-cin 0.1.13, rule sets cin2022_23 to cin2025_26); messages are in plain words.

Kinds, and what each entry carries (``values``: the record as it would be saved; ``context``:
what the service looked up):

- ``cin_episode``: referral and closure fields; context ``others`` (the child's other
  episodes), ``activity`` (``Activity`` of this episode; empty when adding).
- ``cin_assessment``: context ``episode``, ``others`` (the child's other assessments).
- ``cin_s47``: context ``episode``, ``others`` (the child's other enquiries).
- ``cin_icpc``: context ``episode``, ``section47`` (or None).
- ``cin_cp_plan``: context ``episode``, ``conference`` (or None), ``others`` (other CP plans),
  ``cin_plans`` (the child's CIN plans).
- ``cin_cp_review``: context ``plan``, ``cin_plans``.
- ``cin_plan``: context ``episode``, ``others`` (other CIN plans), ``cp_plans``.

A rule the validator runs over a whole return (counts, percentages, continuity with last
year) cannot be checked on one entry and is left to ``kith returns validate``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from kith.children.validation import CIN, Entry, rule
from kith.core import codelists

FACTORS = "cin_assessment_factors"
SEX_FROM = dt.date(2024, 4, 1)  # CIN census 2024/25: Sex (M/F/U) replaces GenderCurrent
CLOSED_AFTER_ASSESSMENT = {"RC8", "RC9"}


@dataclass
class Activity:
    """What an episode holds, for the rules about closing it."""

    assessments: list[Any] = field(default_factory=list)
    enquiries: list[Any] = field(default_factory=list)
    conferences: list[Any] = field(default_factory=list)
    cp_plans: list[Any] = field(default_factory=list)
    cin_plans: list[Any] = field(default_factory=list)

    def dates(self) -> list[dt.date]:
        found: list[dt.date | None] = []
        for a in self.assessments:
            found += [a.start_date, a.authorisation_date]
        for s in self.enquiries:
            found.append(s.start_date)
        for c in self.conferences:
            found.append(c.conference_date)
        for p in self.cp_plans:
            found.append(p.end_date)
        for p in self.cin_plans:
            found += [p.start_date, p.end_date]
        return [d for d in found if d is not None]


def _today() -> dt.date:
    return timezone.localdate()


def _future(day: dt.date | None) -> bool:
    return day is not None and day > _today()


def _weekend(day: dt.date | None) -> bool:
    return day is not None and day.weekday() >= 5


def _overlaps(
    start: dt.date, end: dt.date | None, others: Iterable[tuple[dt.date, dt.date | None]]
) -> bool:
    """Whether [start, end] shares a day with any other period (open ends run on)."""
    last = end or dt.date.max
    return any(s <= last and start <= (e or dt.date.max) for s, e in others)


def _episode_closed_before(entry: Entry, *days: dt.date | None) -> bool:
    episode = entry.get("episode")
    closed = getattr(episode, "closure_date", None)
    return closed is not None and any(d is not None and d > closed for d in days)


def _nfa(entry: Entry) -> bool:
    return bool(getattr(entry.get("episode"), "referral_nfa", False))


def _closed_after_assessment(entry: Entry) -> bool:
    return getattr(entry.get("episode"), "closure_reason", "") in CLOSED_AFTER_ASSESSMENT


# --- Contact (front door): its source is the referral source a referral inherits ---


@rule(
    "cin_contact",
    "8866",
    source=CIN,
    fields="source",
    message="Select a valid source of referral",
)
def _contact_source(e: Entry) -> bool:
    return not e.source or not codelists.is_valid("cin_referral_source", e.source, e.received_on)


# --- Referral / CIN episode (CINdetails) ---

EPISODE = "cin_episode"


@rule(
    EPISODE,
    "8600",
    source=CIN,
    fields="referral_date",
    message="The referral date cannot be in the future",
)
def _referral_future(e: Entry) -> bool:
    return _future(e.referral_date)


@rule(
    EPISODE,
    "8866",
    source=CIN,
    fields="referral_source",
    message="Select a valid source of referral",
)
def _referral_source(e: Entry) -> bool:
    return not e.referral_source or not codelists.is_valid(
        "cin_referral_source", e.referral_source, e.referral_date
    )


@rule(
    EPISODE, "8650", source=CIN, fields="primary_need", message="The primary need code is not valid"
)
def _primary_need(e: Entry) -> bool:
    return bool(e.primary_need) and not codelists.is_valid(
        "cin_need_codes", e.primary_need, e.referral_date
    )


@rule(
    EPISODE,
    "8610",
    source=CIN,
    fields="primary_need",
    message="Select the primary need: the referral led to further action",
)
def _primary_need_missing(e: Entry) -> bool:
    return not e.referral_nfa and not e.primary_need


@rule(
    EPISODE,
    "8640",
    source=CIN,
    fields="closure_reason",
    message="The reason for closure is not valid",
)
def _closure_reason(e: Entry) -> bool:
    return bool(e.closure_reason) and not codelists.is_valid(
        "cin_reason_for_closure", e.closure_reason, e.closure_date or e.referral_date
    )


@rule(EPISODE, "8805", source=CIN, fields="closure_reason", message="Select the reason for closure")
def _closure_without_reason(e: Entry) -> bool:
    return e.closure_date is not None and not e.closure_reason


@rule(EPISODE, "8810", source=CIN, fields="closure_date", message="Enter the closure date")
def _reason_without_closure(e: Entry) -> bool:
    return bool(e.closure_reason) and e.closure_date is None


@rule(
    EPISODE,
    "8630",
    source=CIN,
    fields="closure_date",
    message="The closure date cannot be before the referral date",
)
def _closure_before_referral(e: Entry) -> bool:
    return e.closure_date is not None and e.closure_date < e.referral_date


@rule(
    EPISODE,
    "8620",
    source=CIN,
    fields="closure_date",
    message="The closure date cannot be in the future",
)
def _closure_future(e: Entry) -> bool:
    return _future(e.closure_date)


@rule(
    EPISODE,
    "8815",
    source=CIN,
    fields="referral_date",
    message="The child already has an open child in need episode: close it first",
)
def _second_open_episode(e: Entry) -> bool:
    if e.closure_date is not None or e.referral_nfa:
        return False
    return any(o.closure_date is None and not o.referral_nfa for o in e.get("others", []))


@rule(
    EPISODE,
    "8820",
    source=CIN,
    fields="referral_date",
    message="The dates of this episode overlap another of the child's episodes",
)
def _episodes_overlap(e: Entry) -> bool:
    # An open referral with no further action lasts its one day.
    others = [
        (o.referral_date, o.closure_date or (o.referral_date if o.referral_nfa else None))
        for o in e.get("others", [])
    ]
    end = e.closure_date or (e.referral_date if e.referral_nfa else None)
    return _overlaps(e.referral_date, end, others)


@rule(
    EPISODE,
    "8606",
    source=CIN,
    fields="referral_date",
    message="The referral date is more than 40 weeks before the child's (expected) date of birth",
)
def _referral_long_before_birth(e: Entry) -> bool:
    person = e.person
    born = getattr(person, "date_of_birth", None) or getattr(person, "expected_date_of_birth", None)
    return born is not None and e.referral_date < born - dt.timedelta(days=280)


@rule(
    EPISODE,
    "8555Q",
    source=CIN,
    fields="referral_date",
    message="The referral date is after the child's date of death",
)
def _referral_after_death(e: Entry) -> bool:
    died = getattr(e.person, "date_of_death", None)
    return died is not None and e.referral_date > died


@rule(
    EPISODE,
    "8750",
    source=CIN,
    fields="person",
    message="An unborn child's sex must be recorded as not known (U) on their record",
    effective_from=SEX_FROM,
)
def _unborn_sex(e: Entry) -> bool:
    person = e.person
    return bool(getattr(person, "is_unborn", False)) and getattr(person, "sex", "U") != "U"


@rule(
    EPISODE,
    "8525Q",
    source=CIN,
    fields="person",
    message="The child's record must have a date of birth or an expected date of birth, not both",
)
def _birth_and_expected_birth(e: Entry) -> bool:
    person = e.person
    born = getattr(person, "date_of_birth", None)
    expected = getattr(person, "expected_date_of_birth", None)
    return (born is None) == (expected is None)


def _activity(e: Entry) -> Activity:
    found = e.get("activity")
    return found if isinstance(found, Activity) else Activity()


@rule(
    EPISODE,
    "2990",
    source=CIN,
    fields="closure_reason",
    message="RC8 and RC9 are for cases closed after assessment: this episode has a section 47 "
    "enquiry, conference, child protection plan or CIN plan",
)
def _closed_after_assessment_with_activity(e: Entry) -> bool:
    a = _activity(e)
    return e.closure_reason in CLOSED_AFTER_ASSESSMENT and bool(
        a.enquiries or a.conferences or a.cp_plans or a.cin_plans
    )


@rule(
    EPISODE,
    "8825Q",
    source=CIN,
    fields="closure_reason",
    message="RC8 and RC9 are for cases closed after assessment: this episode has no assessment",
)
def _closed_after_assessment_without_one(e: Entry) -> bool:
    return e.closure_reason in CLOSED_AFTER_ASSESSMENT and not _activity(e).assessments


@rule(
    EPISODE,
    "8831",
    source=CIN,
    fields="referral_nfa",
    message="A referral with no further action cannot have assessments, enquiries or conferences",
)
def _nfa_with_activity(e: Entry) -> bool:
    a = _activity(e)
    return bool(e.referral_nfa) and bool(a.assessments or a.enquiries or a.conferences)


@rule(
    EPISODE,
    "8832",
    source=CIN,
    fields="referral_nfa",
    message="A referral with no further action cannot have a child protection plan",
)
def _nfa_with_cp_plan(e: Entry) -> bool:
    return bool(e.referral_nfa) and bool(_activity(e).cp_plans)


@rule(
    EPISODE,
    "4000",
    source=CIN,
    fields="referral_nfa",
    message="A referral with no further action cannot have a CIN plan",
)
def _nfa_with_cin_plan(e: Entry) -> bool:
    return bool(e.referral_nfa) and bool(_activity(e).cin_plans)


@rule(
    EPISODE,
    "8565",
    source=CIN,
    fields="closure_date",
    message="The closure date is before something recorded on the episode",
)
def _closed_before_activity(e: Entry) -> bool:
    return e.closure_date is not None and any(d > e.closure_date for d in _activity(e).dates())


@rule(
    EPISODE,
    "8867",
    source=CIN,
    fields="closure_date",
    message="Complete (authorise) the episode's assessment before closing it",
)
def _closed_with_open_assessment(e: Entry) -> bool:
    return e.closure_date is not None and any(
        a.authorisation_date is None for a in _activity(e).assessments
    )


@rule(
    EPISODE,
    "8868",
    source=CIN,
    fields="closure_date",
    message="Record the initial conference, or that none is needed, for the section 47 enquiry "
    "before closing the episode",
)
def _closed_with_open_s47(e: Entry) -> bool:
    if e.closure_date is None:
        return False
    held = {c.section47_id for c in _activity(e).conferences if c.section47_id}
    return any(s.pk not in held and not s.icpc_not_required for s in _activity(e).enquiries)


# --- Child and family assessment (Assessments) ---

ASSESSMENT = "cin_assessment"


@rule(
    ASSESSMENT,
    "1103",
    source=CIN,
    fields="start_date",
    message="The assessment cannot start before the referral date",
)
def _assessment_before_referral(e: Entry) -> bool:
    return e.start_date < e.episode.referral_date


@rule(
    ASSESSMENT,
    "8608",
    source=CIN,
    fields="authorisation_date",
    message="The authorisation date cannot be before the assessment started",
)
def _authorised_before_start(e: Entry) -> bool:
    return e.authorisation_date is not None and e.authorisation_date < e.start_date


@rule(
    ASSESSMENT,
    "8696",
    source=CIN,
    fields="authorisation_date",
    message="The authorisation date cannot be in the future",
)
def _authorised_future(e: Entry) -> bool:
    return _future(e.authorisation_date)


@rule(
    ASSESSMENT,
    "8896",
    source=CIN,
    fields="start_date",
    message="The episode already has an assessment not yet completed",
)
def _second_open_assessment(e: Entry) -> bool:
    if e.authorisation_date is not None:
        return False
    return any(
        o.authorisation_date is None and o.episode_id == e.episode.pk for o in e.get("others", [])
    )


@rule(
    ASSESSMENT,
    "8863Q",
    source=CIN,
    fields="start_date",
    message="Another of the child's assessments was going on when this one started",
)
def _assessment_during_another(e: Entry) -> bool:
    # Within the episode, on or between another completed assessment's start and authorisation
    # (one still open is rule 8896's).
    return any(
        o.episode_id == e.episode.pk
        and o.authorisation_date is not None
        and o.start_date <= e.start_date <= o.authorisation_date
        for o in e.get("others", [])
    )


@rule(
    ASSESSMENT,
    "8869",
    source=CIN,
    fields="factors",
    message="Factor 21 (no factors identified) cannot be chosen with any other factor",
)
def _no_factors_alone(e: Entry) -> bool:
    return "21" in e.factors and len(e.factors) > 1


@rule(ASSESSMENT, "8898", source=CIN, fields="factors", message="Choose each factor once")
def _factor_twice(e: Entry) -> bool:
    return len(set(e.factors)) != len(e.factors)


@rule(
    ASSESSMENT,
    "8897Q",
    source=CIN,
    fields="factors",
    message="Choose the factors identified at assessment (or 21, no factors), from the list in "
    "force on the authorisation date",
)
def _factors_missing_or_invalid(e: Entry) -> bool:
    if e.authorisation_date is None:
        return False
    if not e.factors:
        return True
    return any(not codelists.is_valid(FACTORS, f, e.authorisation_date) for f in e.factors)


@rule(
    ASSESSMENT,
    "8614",
    source=CIN,
    fields="factors",
    message="Factors are recorded only when the assessment is completed (authorised)",
)
def _factors_before_completion(e: Entry) -> bool:
    return e.authorisation_date is None and bool(e.factors)


@rule(
    ASSESSMENT,
    "8945Q",
    source=CIN,
    fields="factors",
    message="Factor 18A is no longer used: choose 18B or 18C",
    effective_from=dt.date(2024, 4, 1),
)
def _factor_18a(e: Entry) -> bool:
    return "18A" in e.factors


@rule(
    ASSESSMENT,
    "8950Q",
    source=CIN,
    fields="factors",
    message="Factor 19A is no longer used: choose 19B or 19C",
    effective_from=dt.date(2024, 4, 1),
)
def _factor_19a(e: Entry) -> bool:
    return "19A" in e.factors


@rule(
    ASSESSMENT,
    "8831",
    source=CIN,
    fields="start_date",
    message="The referral was recorded as no further action: it cannot have an assessment",
)
def _assessment_on_nfa(e: Entry) -> bool:
    return _nfa(e)


@rule(
    ASSESSMENT,
    "8565",
    source=CIN,
    fields="start_date",
    message="The episode was closed before these dates",
)
def _assessment_after_closure(e: Entry) -> bool:
    return _episode_closed_before(e, e.start_date, e.authorisation_date)


# --- Section 47 enquiry (Section47) ---

S47 = "cin_s47"


@rule(
    S47,
    "2889",
    source=CIN,
    fields="start_date",
    message="The section 47 enquiry cannot start before the referral date",
)
def _s47_before_referral(e: Entry) -> bool:
    return e.start_date < e.episode.referral_date


def _s47_open(s: Any) -> bool:
    return (
        s.end_date is None and not s.icpc_not_required and not getattr(s, "has_conference", False)
    )


@rule(
    S47,
    "8890",
    source=CIN,
    fields="start_date",
    message="Another section 47 enquiry for the child was still going on when this one started",
)
def _s47_during_another(e: Entry) -> bool:
    # Within the episode, on or between another enquiry's start and its conference (or, with
    # no conference and one still needed, any day after its start).
    for o in e.get("others", []):
        if o.episode_id != e.episode.pk or e.start_date < o.start_date:
            continue
        held = getattr(o, "conference_date", None)
        if held is not None and e.start_date <= held:
            return True
        if held is None and not o.icpc_not_required:
            return True
    return False


@rule(
    S47,
    "8839",
    source=CIN,
    fields="start_date",
    message="The episode already has a section 47 enquiry without a conference or a decision "
    "that none is needed",
)
def _second_open_s47(e: Entry) -> bool:
    if e.end_date is not None or e.icpc_not_required:
        return False
    return any(_s47_open(o) and o.episode_id == e.episode.pk for o in e.get("others", []))


@rule(
    S47,
    "8870Q",
    source=CIN,
    fields="icpc_target_date",
    message="The target date for the initial conference should not be a weekend",
)
def _target_weekend(e: Entry) -> bool:
    return _weekend(e.get("icpc_target_date"))


@rule(
    S47,
    "8831",
    source=CIN,
    fields="start_date",
    message="The referral was recorded as no further action: it cannot have a section 47 enquiry",
)
def _s47_on_nfa(e: Entry) -> bool:
    return _nfa(e)


@rule(
    S47,
    "2990",
    source=CIN,
    fields="start_date",
    message="The episode was closed after assessment (RC8/RC9): it cannot have a section 47 "
    "enquiry",
)
def _s47_on_rc8(e: Entry) -> bool:
    return _closed_after_assessment(e)


@rule(
    S47,
    "8565",
    source=CIN,
    fields="start_date",
    message="The episode was closed before these dates",
)
def _s47_after_closure(e: Entry) -> bool:
    return _episode_closed_before(e, e.start_date)


# --- Initial child protection conference (DateOfInitialCPC) ---

ICPC = "cin_icpc"


@rule(
    ICPC,
    "8875",
    source=CIN,
    fields="conference_date",
    message="The conference cannot be on a weekend",
)
def _icpc_weekend(e: Entry) -> bool:
    return _weekend(e.conference_date)


@rule(
    ICPC,
    "8870Q",
    source=CIN,
    fields="target_date",
    message="The target date for the initial conference should not be a weekend",
)
def _icpc_target_weekend(e: Entry) -> bool:
    return _weekend(e.get("target_date"))


@rule(
    ICPC,
    "1104",
    source=CIN,
    fields="conference_date",
    message="The conference cannot be before the referral date",
)
def _icpc_before_referral(e: Entry) -> bool:
    return e.conference_date < e.episode.referral_date


@rule(
    ICPC,
    "8615",
    source=CIN,
    fields="conference_date",
    message="The conference cannot be before the section 47 enquiry started",
)
def _icpc_before_s47(e: Entry) -> bool:
    s47 = e.get("section47")
    return s47 is not None and e.conference_date < s47.start_date


@rule(
    ICPC,
    "8715",
    source=CIN,
    fields="conference_date",
    message="The conference date cannot be in the future",
)
def _icpc_future(e: Entry) -> bool:
    return _future(e.conference_date)


@rule(
    ICPC,
    "8831",
    source=CIN,
    fields="conference_date",
    message="The referral was recorded as no further action: it cannot have a conference",
)
def _icpc_on_nfa(e: Entry) -> bool:
    return _nfa(e)


@rule(
    ICPC,
    "2990",
    source=CIN,
    fields="conference_date",
    message="The episode was closed after assessment (RC8/RC9): it cannot have a conference",
)
def _icpc_on_rc8(e: Entry) -> bool:
    return _closed_after_assessment(e)


@rule(
    ICPC,
    "8565",
    source=CIN,
    fields="conference_date",
    message="The episode was closed before this date",
)
def _icpc_after_closure(e: Entry) -> bool:
    return _episode_closed_before(e, e.conference_date)


# --- Child protection plan (ChildProtectionPlans) ---

CP_PLAN = "cin_cp_plan"


@rule(
    CP_PLAN,
    "8905",
    source=CIN,
    fields="initial_category",
    message="Select a valid initial category of abuse",
)
def _initial_category(e: Entry) -> bool:
    return not e.initial_category or not codelists.is_valid(
        "cin_category_of_abuse", e.initial_category, e.start_date
    )


@rule(
    CP_PLAN,
    "8910",
    source=CIN,
    fields="latest_category",
    message="Select a valid latest category of abuse",
)
def _latest_category(e: Entry) -> bool:
    return not e.latest_category or not codelists.is_valid(
        "cin_category_of_abuse", e.latest_category, e.end_date or _today()
    )


@rule(
    CP_PLAN,
    "1105",
    source=CIN,
    fields="start_date",
    message="The plan cannot start before the referral date",
)
def _cpp_before_referral(e: Entry) -> bool:
    return e.start_date < e.episode.referral_date


@rule(
    CP_PLAN, "8925", source=CIN, fields="end_date", message="The plan cannot end before it started"
)
def _cpp_end_before_start(e: Entry) -> bool:
    return e.end_date is not None and e.end_date < e.start_date


@rule(
    CP_PLAN,
    "8840",
    source=CIN,
    fields="end_date",
    message="A child protection plan cannot start and end on the same day",
)
def _cpp_same_day(e: Entry) -> bool:
    return e.end_date is not None and e.end_date == e.start_date


@rule(
    CP_PLAN,
    "8935",
    source=CIN,
    fields="start_date",
    message="The child already has an open child protection plan",
)
def _second_open_cpp(e: Entry) -> bool:
    return e.end_date is None and any(o.end_date is None for o in e.get("others", []))


@rule(
    CP_PLAN,
    "8940",
    source=CIN,
    fields="start_date",
    message="The plan's dates overlap another of the child's child protection plans",
)
def _cpp_overlap(e: Entry) -> bool:
    return _overlaps(
        e.start_date, e.end_date, [(o.start_date, o.end_date) for o in e.get("others", [])]
    )


@rule(
    CP_PLAN,
    "2885",
    source=CIN,
    fields="start_date",
    message="The plan must start on the day of the initial conference that decided on it",
)
def _cpp_not_on_icpc(e: Entry) -> bool:
    conference = e.get("conference")
    return conference is not None and e.start_date != conference.conference_date


@rule(
    CP_PLAN,
    "8915",
    source=CIN,
    fields="start_date",
    message="The plan cannot start after the child's date of death",
)
def _cpp_after_death(e: Entry) -> bool:
    died = getattr(e.person, "date_of_death", None)
    return died is not None and e.start_date > died


@rule(
    CP_PLAN,
    "8920",
    source=CIN,
    fields="end_date",
    message="The plan cannot end after the child's date of death",
)
def _cpp_ends_after_death(e: Entry) -> bool:
    died = getattr(e.person, "date_of_death", None)
    return died is not None and e.end_date is not None and e.end_date > died


@rule(
    CP_PLAN, "8720", source=CIN, fields="start_date", message="The plan cannot start in the future"
)
def _cpp_future(e: Entry) -> bool:
    return _future(e.start_date)


@rule(CP_PLAN, "8930", source=CIN, fields="end_date", message="The plan cannot end in the future")
def _cpp_end_future(e: Entry) -> bool:
    return _future(e.end_date)


@rule(
    CP_PLAN,
    "8832",
    source=CIN,
    fields="start_date",
    message="The referral was recorded as no further action: it cannot have a child protection "
    "plan",
)
def _cpp_on_nfa(e: Entry) -> bool:
    return _nfa(e)


@rule(
    CP_PLAN,
    "2990",
    source=CIN,
    fields="start_date",
    message="The episode was closed after assessment (RC8/RC9): it cannot have a child "
    "protection plan",
)
def _cpp_on_rc8(e: Entry) -> bool:
    return _closed_after_assessment(e)


@rule(
    CP_PLAN,
    "4001",
    source=CIN,
    fields="start_date",
    message="End the child's CIN plan first: it cannot run at the same time as a child "
    "protection plan",
)
def _cpp_with_cin_plan(e: Entry) -> bool:
    # The CIN plan may end on the day the CP plan starts.
    return any(
        p.start_date < (e.end_date or dt.date.max) and e.start_date < (p.end_date or dt.date.max)
        for p in e.get("cin_plans", [])
    )


# --- Child protection review (CPPreviewDate) ---

CP_REVIEW = "cin_cp_review"


@rule(
    CP_REVIEW,
    "8841",
    source=CIN,
    fields="review_date",
    message="A review must be after the day the plan started",
)
def _review_on_or_before_start(e: Entry) -> bool:
    return e.review_date <= e.plan.start_date


@rule(
    CP_REVIEW,
    "4003",
    source=CIN,
    fields="review_date",
    message="A child protection review cannot fall while the child has an open CIN plan",
)
def _review_during_cin_plan(e: Entry) -> bool:
    if e.get("ends_plan"):  # a review that ends the plan may fall on a CIN plan's days
        return False
    return any(
        p.start_date <= e.review_date and (p.end_date is None or e.review_date < p.end_date)
        for p in e.get("cin_plans", [])
    )


# --- CIN plan (CINPlanDates) ---

CIN_PLAN = "cin_plan"


@rule(
    CIN_PLAN,
    "4000",
    source=CIN,
    fields="start_date",
    message="The referral was recorded as no further action: it cannot have a CIN plan",
)
def _cin_plan_on_nfa(e: Entry) -> bool:
    return _nfa(e)


@rule(
    CIN_PLAN,
    "4011",
    source=CIN,
    fields="end_date",
    message="The CIN plan cannot end before it started",
)
def _cin_plan_end_before_start(e: Entry) -> bool:
    return e.end_date is not None and e.end_date < e.start_date


@rule(
    CIN_PLAN,
    "4012Q",
    source=CIN,
    fields="end_date",
    message="The CIN plan should not start and end on the same day",
)
def _cin_plan_same_day(e: Entry) -> bool:
    return e.end_date is not None and e.end_date == e.start_date


@rule(
    CIN_PLAN,
    "4004",
    source=CIN,
    fields="start_date",
    message="The child already has an open CIN plan",
)
def _second_open_cin_plan(e: Entry) -> bool:
    return e.end_date is None and any(o.end_date is None for o in e.get("others", []))


@rule(
    CIN_PLAN,
    "4014",
    source=CIN,
    fields="start_date",
    message="The CIN plan's dates overlap another of the child's CIN plans",
)
def _cin_plan_overlap(e: Entry) -> bool:
    return _overlaps(
        e.start_date, e.end_date, [(o.start_date, o.end_date) for o in e.get("others", [])]
    )


@rule(
    CIN_PLAN,
    "4015",
    source=CIN,
    fields="start_date",
    message="The CIN plan cannot start before the referral date",
)
def _cin_plan_before_referral(e: Entry) -> bool:
    return e.start_date < e.episode.referral_date


@rule(
    CIN_PLAN,
    "4001",
    source=CIN,
    fields="start_date",
    message="A CIN plan cannot run at the same time as a child protection plan",
)
def _cin_plan_with_cpp(e: Entry) -> bool:
    return any(
        p.start_date < (e.end_date or dt.date.max) and e.start_date < (p.end_date or dt.date.max)
        for p in e.get("cp_plans", [])
    )


@rule(
    CIN_PLAN,
    "4008",
    source=CIN,
    fields="start_date",
    message="The CIN plan cannot start after the child's date of death",
)
def _cin_plan_after_death(e: Entry) -> bool:
    died = getattr(e.person, "date_of_death", None)
    return died is not None and e.start_date > died


@rule(
    CIN_PLAN,
    "4009Q",
    source=CIN,
    fields="end_date",
    message="The CIN plan should not end after the child's date of death",
)
def _cin_plan_ends_after_death(e: Entry) -> bool:
    died = getattr(e.person, "date_of_death", None)
    return died is not None and e.end_date is not None and e.end_date > died


@rule(
    CIN_PLAN,
    "4010",
    source=CIN,
    fields="start_date",
    message="The CIN plan cannot start in the future",
)
def _cin_plan_future(e: Entry) -> bool:
    return _future(e.start_date)


@rule(
    CIN_PLAN, "4013", source=CIN, fields="end_date", message="The CIN plan cannot end in the future"
)
def _cin_plan_end_future(e: Entry) -> bool:
    return _future(e.end_date)


@rule(
    CIN_PLAN,
    "2990",
    source=CIN,
    fields="start_date",
    message="The episode was closed after assessment (RC8/RC9): it cannot have a CIN plan",
)
def _cin_plan_on_rc8(e: Entry) -> bool:
    return _closed_after_assessment(e)


@rule(
    CIN_PLAN,
    "8565",
    source=CIN,
    fields="start_date",
    message="The episode was closed before these dates",
)
def _cin_plan_after_closure(e: Entry) -> bool:
    return _episode_closed_before(e, e.start_date, e.end_date)
