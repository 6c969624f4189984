"""Hand-built children for the CIN census tests, each recorded through the children's services
as a worker would, one per part of the census (see ``build_cases``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kith.accounts.models import Team
from kith.children import services_cin as cin
from kith.children.models import CINEpisode, Section47
from kith.people import services as people
from kith.people.identifiers import upn_check_letter
from kith.people.models import Person
from tests import factories

D = dt.date
BORN = D(2014, 3, 3)


def upn(serial: int) -> str:
    """A UPN with a real LA code (886) and a right check letter."""
    body = f"88620151{serial:04d}"
    return upn_check_letter(body) + body


def child(
    given: str,
    *,
    born: dt.date | None = BORN,
    sex: str = "F",
    ethnicity: str = "WBRI",
    disabilities: tuple[str, ...] = ("NONE",),
    upn_serial: int = 0,
    **details: object,
) -> Person:
    person = factories.person(
        given,
        "Census",
        date_of_birth=born,
        sex=sex,
        ethnicity=ethnicity,
        disabilities=list(disabilities),
        **details,
    )
    if upn_serial:
        people.identifier_add(actor=None, person=person, kind="upn", value=upn(upn_serial))
    return person


def referral(
    team: Team, person: Person, on: dt.date, *, source: str = "1A", need: str = "N1", **kw: object
) -> CINEpisode:
    return cin.referral_record(
        actor=None,
        person=person,
        team=team,
        referral_date=on,
        referral_source=source,
        primary_need=need,
        **kw,  # type: ignore[arg-type]
    )


def assessment(
    episode: CINEpisode,
    start: dt.date,
    authorised: dt.date | None = None,
    factors: tuple[str, ...] = ("2A",),
    outcome: str = "cin-plan",
) -> object:
    done = cin.assessment_start(
        actor=None, episode=episode, start_date=start, child_seen_date=start
    )
    if authorised is not None:
        done = cin.assessment_update(
            actor=None,
            assessment=done,
            authorisation_date=authorised,
            factors=list(factors),
            outcome=outcome,
        )
    return done


def s47(episode: CINEpisode, on: dt.date) -> Section47:
    discussion = cin.strategy_discussion_record(
        actor=None, episode=episode, discussion_date=on, attendees="Police, health", start_s47=True
    )
    return cin.s47_start(actor=None, episode=episode, start_date=on, strategy_discussion=discussion)


def close(episode: CINEpisode, on: dt.date, reason: str) -> CINEpisode:
    return cin.episode_close(actor=None, episode=episode, closure_date=on, closure_reason=reason)


@dataclass
class Cases:
    team: Team
    children: dict[str, Person] = field(default_factory=dict)

    def ids(self) -> dict[str, str]:
        return {name: str(p.la_number) for name, p in self.children.items()}


def build_cases() -> Cases:
    """The census's parts, one child each (2025/26 unless said):

    - ``nfa``: a referral with no further action;
    - ``before``: an episode begun in 2024/25 whose assessment was authorised then (not
      reported) and whose CIN plan ended, and the episode closed (RC5), in the year;
    - ``after``: referred in February 2026; its assessment authorised in April and the episode
      closed (RC8) in May, after the reference date, so both are reported open;
    - ``rc8`` and ``rc9``: closed after assessment (factor 21; to early help);
    - ``s47``: an enquiry that needed no conference, then a CIN plan; two disabilities;
    - ``cp``: a previous plan in an episode closed in 2024 (not reported, but counted), then
      S47, ICPC and a CP plan with two reviews in the year and one after it that ended it; and
      pre-proceedings (only in 2026/27 returns);
    - ``transfer``: a conference with no enquiry (moved in on another council's plan);
    - ``unborn``: referred before birth, its assessment still open on 31 March (authorised in
      April); born in May, after the reference date;
    - ``pp``: 2026/27: pre-proceedings with a family group decision meeting.
    """
    team = factories.team("Safeguarding Census")
    cases = Cases(team)
    c = cases.children

    c["nfa"] = child("Nadia", born=D(2012, 9, 14), upn_serial=1)
    referral(team, c["nfa"], D(2025, 5, 12), source="5A", need="", referral_nfa=True)

    c["before"] = child("Ben", sex="M", born=D(2013, 1, 20), ethnicity="APKN", upn_serial=2)
    e = referral(team, c["before"], D(2024, 11, 4), source="3A", need="N3")
    assessment(e, D(2024, 11, 5), D(2024, 12, 16), factors=("4A", "5A"))
    plan = cin.cin_plan_start(actor=None, episode=e, start_date=D(2024, 12, 17))
    cin.cin_plan_end(actor=None, plan=plan, end_date=D(2025, 6, 30))
    close(e, D(2025, 7, 14), "RC5")

    c["after"] = child("Aiden", sex="M", born=D(2019, 2, 11), ethnicity="MWBC", upn_serial=3)
    e = referral(team, c["after"], D(2026, 2, 2), source="2A", need="N4")
    assessment(e, D(2026, 2, 3), D(2026, 4, 20), factors=("21",), outcome="nfa")
    close(e, D(2026, 5, 11), "RC8")

    c["rc8"] = child("Rosa", born=D(2016, 5, 5), ethnicity="BAFR", upn_serial=4)
    e = referral(team, c["rc8"], D(2025, 6, 2), source="1B", need="N5")
    assessment(e, D(2025, 6, 3), D(2025, 7, 10), factors=("21",), outcome="nfa")
    close(e, D(2025, 7, 11), "RC8")

    c["rc9"] = child("Reece", sex="M", born=D(2011, 12, 1), ethnicity="WIRI", upn_serial=5)
    e = referral(team, c["rc9"], D(2025, 8, 4), source="4", need="N6")
    assessment(e, D(2025, 8, 4), D(2025, 9, 12), factors=("8B", "18B"), outcome="early-help")
    close(e, D(2025, 9, 15), "RC9")

    c["s47"] = child("Sami", sex="M", born=D(2015, 7, 30), disabilities=("MOB", "LD"), upn_serial=6)
    e = referral(team, c["s47"], D(2025, 9, 1), source="1C", need="N2")
    assessment(e, D(2025, 9, 1), D(2025, 10, 10), factors=("6B", "7A"))
    enquiry = s47(e, D(2025, 9, 3))
    cin.s47_complete(
        actor=None,
        s47=enquiry,
        end_date=D(2025, 9, 19),
        outcome="s17-services",
        icpc_required=False,
    )
    cin.cin_plan_start(actor=None, episode=e, start_date=D(2025, 10, 13))

    c["cp"] = child("Chloe", born=D(2017, 10, 9), ethnicity="MWAS", upn_serial=7)
    old = referral(team, c["cp"], D(2024, 1, 8), source="5B", need="N1")
    assessment(old, D(2024, 1, 8), D(2024, 2, 16), factors=("3A",))
    enquiry = s47(old, D(2024, 1, 9))
    conference = cin.icpc_record(
        actor=None,
        episode=old,
        conference_date=D(2024, 1, 29),
        cp_plan=True,
        section47=enquiry,
        initial_category="NEG",
    )
    cin.cp_review_record(
        actor=None,
        plan=conference.plan,
        review_date=D(2024, 7, 30),
        continue_plan=False,
        quorate=True,
    )
    close(old, D(2024, 9, 2), "RC7")
    e = referral(team, c["cp"], D(2025, 4, 14), source="5B", need="N1")
    assessment(e, D(2025, 4, 14), D(2025, 5, 23), factors=("3A", "3B", "2B"))
    enquiry = s47(e, D(2025, 4, 15))
    conference = cin.icpc_record(
        actor=None,
        episode=e,
        conference_date=D(2025, 5, 6),
        cp_plan=True,
        section47=enquiry,
        initial_category="PHY",
    )
    cp_plan = conference.plan
    cin.cp_review_record(
        actor=None,
        plan=cp_plan,
        review_date=D(2025, 8, 5),
        continue_plan=True,
        quorate=True,
        latest_category="MUL",
    )
    cin.cp_review_record(
        actor=None, plan=cp_plan, review_date=D(2026, 1, 27), continue_plan=True, quorate=True
    )
    cin.cp_review_record(
        actor=None, plan=cp_plan, review_date=D(2026, 7, 14), continue_plan=False, quorate=True
    )
    cin.pre_proceedings_save(
        actor=None,
        episode=e,
        start_date=D(2026, 2, 9),
        letter_before_proceedings_sent=D(2026, 2, 10),
        fgdm_offered=True,
        fgdm_facilitated=False,
        review_meetings=1,
        step_decision_date=D(2026, 7, 14),
        outcome="step-down",
    )

    c["transfer"] = child("Theo", sex="M", born=D(2018, 4, 22), ethnicity="CHNE", upn_serial=8)
    e = referral(team, c["transfer"], D(2025, 10, 6), source="9", need="N1")
    assessment(e, D(2025, 10, 6), D(2025, 11, 14), factors=("1B",))
    cin.icpc_record(
        actor=None,
        episode=e,
        conference_date=D(2025, 10, 8),
        cp_plan=True,
        transfer_in=True,
        initial_category="EMO",
    )

    c["unborn"] = child(
        "Baby",
        born=None,
        sex="U",
        ethnicity="NOBT",
        disabilities=(),
        expected_date_of_birth=D(2026, 5, 20),
    )
    e = referral(team, c["unborn"], D(2026, 1, 12), source="3B", need="N1")
    assessment(e, D(2026, 1, 13), D(2026, 4, 24), factors=("1A",))
    people.person_update(
        actor=None,
        person=c["unborn"],
        date_of_birth=D(2026, 5, 18),
        sex="F",
        expected_date_of_birth=None,
        disabilities=["NONE"],
    )

    c["pp"] = child("Priya", born=D(2020, 6, 6), ethnicity="AIND", upn_serial=9)
    e = referral(team, c["pp"], D(2026, 4, 13), source="1A", need="N1")
    assessment(e, D(2026, 4, 13), D(2026, 5, 22), factors=("2A", "2C"))
    cin.cin_plan_start(actor=None, episode=e, start_date=D(2026, 5, 26))
    cin.pre_proceedings_save(
        actor=None,
        episode=e,
        start_date=D(2026, 6, 1),
        letter_before_proceedings_sent=D(2026, 6, 3),
        fgdm_offered=True,
        fgdm_facilitated=True,
        initial_meeting_date=D(2026, 6, 15),
        review_meetings=2,
        step_decision_date=D(2026, 9, 14),
        outcome="proceedings",
        court_application_date=D(2026, 9, 21),
    )
    for person in c.values():
        person.refresh_from_db()
    return cases
