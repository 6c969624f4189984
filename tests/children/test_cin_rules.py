"""Every CIN census rule checked on entry, one test each, named by its rule code: the entry is
fine, then one change breaks that rule (and the rule names itself in the message)."""

import datetime as dt
import inspect
import sys
from types import SimpleNamespace as NS
from typing import Any

import pytest
from django.utils import timezone

from kith.children import rules_cin, validation
from kith.children.validation import Entry

pytestmark = pytest.mark.django_db

D = dt.date
MONDAY = D(2025, 6, 2)
SATURDAY = D(2025, 6, 7)
FUTURE = timezone.localdate() + dt.timedelta(days=10)
TAGS = {
    "cin_contact": "contact",
    "cin_episode": "episode",
    "cin_assessment": "assessment",
    "cin_s47": "s47",
    "cin_icpc": "icpc",
    "cin_cp_plan": "cp_plan",
    "cin_cp_review": "cp_review",
    "cin_plan": "cin_plan",
}


def child(**kw: Any) -> NS:
    kw.setdefault("date_of_birth", D(2016, 4, 2))
    kw.setdefault("expected_date_of_birth", None)
    kw.setdefault("date_of_death", None)
    kw.setdefault("sex", "F")
    kw["is_unborn"] = kw["date_of_birth"] is None and kw["expected_date_of_birth"] is not None
    return NS(**kw)


def episode(**kw: Any) -> NS:
    base = {
        "pk": 1,
        "referral_date": D(2025, 5, 1),
        "referral_nfa": False,
        "closure_date": None,
        "closure_reason": "",
    }
    return NS(**(base | kw))


def codes(kind: str, values: dict, person: Any = None, context: dict | None = None) -> set[str]:
    entry = Entry(values, person=person or child(), on=MONDAY, context=context or {})
    return {p.rule.code for p in validation.problems(kind, entry)}


def check(
    kind: str,
    code: str,
    fine: dict,
    broken: dict,
    *,
    person=None,
    ctx=None,
    broken_person=None,
    broken_ctx=None,
) -> None:
    ctx = ctx or {}
    assert code not in codes(kind, fine, person, ctx)
    found = codes(kind, fine | broken, broken_person or person, ctx | (broken_ctx or {}))
    assert code in found, found
    rule = next(r for r in validation.catalogue() if r.kind == kind and r.code == code)
    assert rule.label == f"CIN census rule {code}"


# --- Contact ---


def test_rule_8866_contact_source_must_be_a_valid_referral_source():
    check("cin_contact", "8866", {"source": "1A", "received_on": MONDAY}, {"source": "1Z"})


# --- Episode ---

EP = {
    "referral_date": MONDAY,
    "referral_source": "1A",
    "primary_need": "N1",
    "referral_nfa": False,
    "closure_date": None,
    "closure_reason": "",
}
CLOSED = {"closure_date": D(2025, 6, 20), "closure_reason": "RC7"}


def activity(**kw: Any) -> rules_cin.Activity:
    return rules_cin.Activity(**kw)


def test_rule_8600_episode_referral_date_not_in_future():
    check("cin_episode", "8600", EP, {"referral_date": FUTURE})


def test_rule_8866_episode_referral_source_valid():
    check("cin_episode", "8866", EP, {"referral_source": "11"})


def test_rule_8650_episode_primary_need_valid():
    check("cin_episode", "8650", EP, {"primary_need": "N10"})


def test_rule_8610_episode_primary_need_needed_unless_nfa():
    check(
        "cin_episode",
        "8610",
        EP | {"primary_need": "", "referral_nfa": True},
        {"referral_nfa": False},
    )


def test_rule_8640_episode_closure_reason_valid():
    check("cin_episode", "8640", EP | CLOSED, {"closure_reason": "RC10"})


def test_rule_8805_episode_closure_date_needs_a_reason():
    check("cin_episode", "8805", EP | CLOSED, {"closure_reason": ""})


def test_rule_8810_episode_closure_reason_needs_a_date():
    check("cin_episode", "8810", EP | CLOSED, {"closure_date": None})


def test_rule_8630_episode_closure_not_before_referral():
    check("cin_episode", "8630", EP | CLOSED, {"closure_date": D(2025, 5, 30)})


def test_rule_8620_episode_closure_not_in_future():
    check("cin_episode", "8620", EP | CLOSED, {"closure_date": FUTURE})


def test_rule_8815_episode_only_one_open():
    nfa = episode(referral_nfa=True)
    check("cin_episode", "8815", EP, {}, ctx={"others": [nfa]}, broken_ctx={"others": [episode()]})


def test_rule_8820_episode_dates_do_not_overlap():
    before = episode(referral_date=D(2025, 1, 6), closure_date=D(2025, 5, 30))
    check("cin_episode", "8820", EP, {"referral_date": D(2025, 5, 29)}, ctx={"others": [before]})
    # an open referral with no further action lasts its one day
    nfa = episode(referral_date=D(2025, 5, 1), referral_nfa=True)
    assert "8820" not in codes("cin_episode", EP, context={"others": [nfa]})


def test_rule_8606_episode_referral_not_more_than_40_weeks_before_birth():
    unborn = child(date_of_birth=None, expected_date_of_birth=D(2025, 9, 1), sex="U")
    check("cin_episode", "8606", EP, {"referral_date": D(2024, 11, 1)}, person=unborn)


def test_rule_8555q_episode_referral_not_after_death():
    check("cin_episode", "8555Q", EP, {}, broken_person=child(date_of_death=D(2025, 5, 1)))


def test_rule_8750_episode_unborn_child_has_sex_u():
    unborn = child(date_of_birth=None, expected_date_of_birth=D(2025, 9, 1), sex="U")
    check(
        "cin_episode",
        "8750",
        EP,
        {},
        person=unborn,
        broken_person=child(date_of_birth=None, expected_date_of_birth=D(2025, 9, 1), sex="F"),
    )


def test_rule_8525q_episode_birth_or_expected_birth_not_both():
    both = child(expected_date_of_birth=D(2016, 4, 1))
    check("cin_episode", "8525Q", EP, {}, broken_person=both)
    assert "8525Q" in codes("cin_episode", EP, child(date_of_birth=None))


def test_rule_2990_episode_rc8_has_no_cp_activity():
    fine = {"activity": activity(assessments=[NS(start_date=MONDAY, authorisation_date=MONDAY)])}
    broken = {
        "activity": activity(
            assessments=fine["activity"].assessments,
            cin_plans=[NS(start_date=MONDAY, end_date=MONDAY)],
        )
    }
    check(
        "cin_episode",
        "2990",
        EP | CLOSED | {"closure_reason": "RC8"},
        {},
        ctx=fine,
        broken_ctx=broken,
    )


def test_rule_8825q_episode_rc8_or_rc9_needs_an_assessment():
    done = {"activity": activity(assessments=[NS(start_date=MONDAY, authorisation_date=MONDAY)])}
    check(
        "cin_episode",
        "8825Q",
        EP | CLOSED | {"closure_reason": "RC9"},
        {},
        ctx=done,
        broken_ctx={"activity": activity()},
    )


def test_rule_8831_episode_nfa_has_no_assessment_or_s47():
    a = activity(assessments=[NS(start_date=MONDAY, authorisation_date=None)])
    check("cin_episode", "8831", EP, {"referral_nfa": True}, ctx={"activity": a})


def test_rule_8832_episode_nfa_has_no_cp_plan():
    a = activity(cp_plans=[NS(end_date=None)])
    check("cin_episode", "8832", EP, {"referral_nfa": True}, ctx={"activity": a})


def test_rule_4000_episode_nfa_has_no_cin_plan():
    a = activity(cin_plans=[NS(start_date=MONDAY, end_date=None)])
    check("cin_episode", "4000", EP, {"referral_nfa": True}, ctx={"activity": a})


def test_rule_8565_episode_closure_after_all_activity():
    a = activity(enquiries=[NS(pk=3, start_date=D(2025, 6, 10), icpc_not_required=True)])
    check("cin_episode", "8565", EP | CLOSED, {"closure_date": D(2025, 6, 9)}, ctx={"activity": a})


def test_rule_8867_episode_closed_only_with_completed_assessments():
    open_one = NS(start_date=MONDAY, authorisation_date=None)
    check("cin_episode", "8867", EP, CLOSED, ctx={"activity": activity(assessments=[open_one])})


def test_rule_8868_episode_closed_only_with_s47_concluded():
    s47 = NS(pk=7, start_date=MONDAY, icpc_not_required=False)
    held = activity(enquiries=[s47], conferences=[NS(section47_id=7, conference_date=MONDAY)])
    check(
        "cin_episode",
        "8868",
        EP | CLOSED,
        {},
        ctx={"activity": held},
        broken_ctx={"activity": activity(enquiries=[s47])},
    )


# --- Assessment ---

AS = {"start_date": D(2025, 5, 6), "authorisation_date": None, "factors": []}
DONE = {"authorisation_date": D(2025, 6, 2), "factors": ["2A"]}


def ctx(**kw: Any) -> dict:
    return {"episode": episode(), "others": []} | kw


def test_rule_1103_assessment_not_before_referral():
    check("cin_assessment", "1103", AS, {"start_date": D(2025, 4, 30)}, ctx=ctx())


def test_rule_8608_assessment_authorised_not_before_start():
    check("cin_assessment", "8608", AS | DONE, {"authorisation_date": D(2025, 5, 5)}, ctx=ctx())


def test_rule_8696_assessment_authorisation_not_in_future():
    check("cin_assessment", "8696", AS | DONE, {"authorisation_date": FUTURE}, ctx=ctx())


def test_rule_8896_assessment_one_open_per_episode():
    other = NS(episode_id=1, start_date=D(2025, 5, 2), authorisation_date=None)
    check(
        "cin_assessment",
        "8896",
        AS | DONE,
        {"authorisation_date": None, "factors": []},
        ctx=ctx(others=[other]),
    )


def test_rule_8863q_assessment_not_started_during_another():
    other = NS(episode_id=1, start_date=D(2025, 5, 2), authorisation_date=D(2025, 5, 5))
    check("cin_assessment", "8863Q", AS, {"start_date": D(2025, 5, 5)}, ctx=ctx(others=[other]))
    elsewhere = NS(episode_id=2, start_date=D(2025, 5, 2), authorisation_date=D(2025, 5, 9))
    assert "8863Q" not in codes("cin_assessment", AS, context=ctx(others=[elsewhere]))


def test_rule_8869_assessment_factor_21_alone():
    check(
        "cin_assessment",
        "8869",
        AS | DONE | {"factors": ["21"]},
        {"factors": ["21", "2A"]},
        ctx=ctx(),
    )


def test_rule_8898_assessment_factor_once():
    check("cin_assessment", "8898", AS | DONE, {"factors": ["2A", "2A"]}, ctx=ctx())


def test_rule_8897q_assessment_completed_has_valid_factors():
    check("cin_assessment", "8897Q", AS | DONE, {"factors": []}, ctx=ctx())
    assert "8897Q" in codes("cin_assessment", AS | DONE | {"factors": ["99Z"]}, context=ctx())


def test_rule_8614_assessment_factors_only_when_complete():
    check("cin_assessment", "8614", AS, {"factors": ["2A"]}, ctx=ctx())


def test_rule_8945q_assessment_factor_18a_deprecated():
    check(
        "cin_assessment", "8945Q", AS | DONE | {"factors": ["18B"]}, {"factors": ["18A"]}, ctx=ctx()
    )


def test_rule_8950q_assessment_factor_19a_deprecated():
    check(
        "cin_assessment", "8950Q", AS | DONE | {"factors": ["19C"]}, {"factors": ["19A"]}, ctx=ctx()
    )


def test_rule_8831_assessment_not_on_nfa_referral():
    check(
        "cin_assessment",
        "8831",
        AS,
        {},
        ctx=ctx(),
        broken_ctx={"episode": episode(referral_nfa=True)},
    )


def test_rule_8565_assessment_not_after_episode_closed():
    closed = episode(closure_date=D(2025, 5, 10), closure_reason="RC7")
    check(
        "cin_assessment",
        "8565",
        AS | {"episode": closed},
        {"start_date": D(2025, 5, 11)},
        ctx=ctx(episode=closed),
    )


# --- Section 47 ---

S = {
    "start_date": D(2025, 5, 6),
    "end_date": None,
    "icpc_target_date": D(2025, 5, 27),
    "icpc_not_required": False,
}


def test_rule_2889_s47_not_before_referral():
    check("cin_s47", "2889", S, {"start_date": D(2025, 4, 30)}, ctx=ctx())


def test_rule_8890_s47_not_during_another():
    held = NS(
        episode_id=1,
        start_date=D(2025, 5, 2),
        end_date=D(2025, 5, 5),
        icpc_not_required=False,
        has_conference=True,
        conference_date=D(2025, 5, 5),
    )
    ongoing = NS(**(vars(held) | {"has_conference": False, "conference_date": None}))
    check("cin_s47", "8890", S, {}, ctx=ctx(others=[held]), broken_ctx={"others": [ongoing]})
    assert "8890" in codes("cin_s47", S | {"start_date": D(2025, 5, 5)}, context=ctx(others=[held]))
    elsewhere = NS(**(vars(ongoing) | {"episode_id": 2}))
    assert "8890" not in codes("cin_s47", S, context=ctx(others=[elsewhere]))


def test_rule_8839_s47_one_open_per_episode():
    other = NS(
        episode_id=1,
        start_date=D(2025, 5, 2),
        end_date=None,
        icpc_not_required=False,
        has_conference=False,
    )
    check(
        "cin_s47",
        "8839",
        S | {"icpc_not_required": True},
        {"icpc_not_required": False},
        ctx=ctx(others=[other]),
    )


def test_rule_8870q_s47_icpc_target_not_a_weekend():
    check("cin_s47", "8870Q", S, {"icpc_target_date": SATURDAY}, ctx=ctx())


def test_rule_8831_s47_not_on_nfa_referral():
    check("cin_s47", "8831", S, {}, ctx=ctx(), broken_ctx={"episode": episode(referral_nfa=True)})


def test_rule_2990_s47_not_on_episode_closed_after_assessment():
    check(
        "cin_s47",
        "2990",
        S,
        {},
        ctx=ctx(),
        broken_ctx={"episode": episode(closure_date=D(2025, 6, 1), closure_reason="RC8")},
    )


def test_rule_8565_s47_not_after_episode_closed():
    closed = episode(closure_date=D(2025, 5, 10), closure_reason="RC7")
    check("cin_s47", "8565", S, {"start_date": D(2025, 5, 12)}, ctx=ctx(episode=closed))


# --- Initial conference ---

IC = {"conference_date": D(2025, 5, 27), "target_date": D(2025, 5, 27), "transfer_in": False}
S47_ROW = NS(start_date=D(2025, 5, 6))


def test_rule_8875_icpc_not_on_a_weekend():
    check("cin_icpc", "8875", IC, {"conference_date": SATURDAY}, ctx=ctx(section47=S47_ROW))


def test_rule_8870q_icpc_target_not_a_weekend():
    check("cin_icpc", "8870Q", IC, {"target_date": D(2025, 5, 25)}, ctx=ctx(section47=S47_ROW))


def test_rule_1104_icpc_not_before_referral():
    check("cin_icpc", "1104", IC, {"conference_date": D(2025, 4, 30)}, ctx=ctx(section47=None))


def test_rule_8615_icpc_not_before_s47_start():
    check("cin_icpc", "8615", IC, {"conference_date": D(2025, 5, 5)}, ctx=ctx(section47=S47_ROW))


def test_rule_8715_icpc_not_in_future():
    check("cin_icpc", "8715", IC, {"conference_date": FUTURE}, ctx=ctx(section47=S47_ROW))


def test_rule_8831_icpc_not_on_nfa_referral():
    check(
        "cin_icpc",
        "8831",
        IC,
        {},
        ctx=ctx(section47=None),
        broken_ctx={"episode": episode(referral_nfa=True)},
    )


def test_rule_2990_icpc_not_on_episode_closed_after_assessment():
    check(
        "cin_icpc",
        "2990",
        IC,
        {},
        ctx=ctx(section47=None),
        broken_ctx={"episode": episode(closure_date=D(2025, 6, 1), closure_reason="RC9")},
    )


def test_rule_8565_icpc_not_after_episode_closed():
    check(
        "cin_icpc",
        "8565",
        IC,
        {},
        ctx=ctx(section47=None),
        broken_ctx={"episode": episode(closure_date=D(2025, 5, 20), closure_reason="RC7")},
    )


# --- CP plan ---

CP = {
    "start_date": D(2025, 5, 27),
    "end_date": None,
    "initial_category": "NEG",
    "latest_category": "NEG",
}


def cp_ctx(**kw: Any) -> dict:
    return {"episode": episode(), "conference": None, "others": [], "cin_plans": []} | kw


def test_rule_8905_cp_plan_initial_category_valid():
    check("cin_cp_plan", "8905", CP, {"initial_category": "XYZ"}, ctx=cp_ctx())


def test_rule_8910_cp_plan_latest_category_valid():
    check("cin_cp_plan", "8910", CP, {"latest_category": ""}, ctx=cp_ctx())


def test_rule_1105_cp_plan_not_before_referral():
    check("cin_cp_plan", "1105", CP, {"start_date": D(2025, 4, 30)}, ctx=cp_ctx())


def test_rule_8925_cp_plan_end_not_before_start():
    check(
        "cin_cp_plan",
        "8925",
        CP | {"end_date": D(2025, 6, 2)},
        {"end_date": D(2025, 5, 26)},
        ctx=cp_ctx(),
    )


def test_rule_8840_cp_plan_not_start_and_end_same_day():
    check(
        "cin_cp_plan",
        "8840",
        CP | {"end_date": D(2025, 6, 2)},
        {"end_date": D(2025, 5, 27)},
        ctx=cp_ctx(),
    )


def test_rule_8935_cp_plan_only_one_open():
    ended = NS(start_date=D(2024, 1, 2), end_date=D(2024, 6, 1))
    check(
        "cin_cp_plan",
        "8935",
        CP,
        {},
        ctx=cp_ctx(others=[ended]),
        broken_ctx={"others": [NS(start_date=D(2025, 1, 2), end_date=None)]},
    )


def test_rule_8940_cp_plan_dates_do_not_overlap():
    ended = NS(start_date=D(2024, 1, 2), end_date=D(2025, 5, 26))
    check("cin_cp_plan", "8940", CP, {"start_date": D(2025, 5, 20)}, ctx=cp_ctx(others=[ended]))


def test_rule_2885_cp_plan_starts_on_the_icpc_day():
    conference = NS(conference_date=D(2025, 5, 27))
    check(
        "cin_cp_plan", "2885", CP, {"start_date": D(2025, 5, 28)}, ctx=cp_ctx(conference=conference)
    )


def test_rule_8915_cp_plan_not_after_death():
    check(
        "cin_cp_plan",
        "8915",
        CP,
        {},
        ctx=cp_ctx(),
        broken_person=child(date_of_death=D(2025, 5, 20)),
    )


def test_rule_8920_cp_plan_not_ending_after_death():
    dead = child(date_of_death=D(2025, 6, 2))
    check(
        "cin_cp_plan",
        "8920",
        CP | {"end_date": D(2025, 6, 2)},
        {"end_date": D(2025, 6, 3)},
        person=dead,
        ctx=cp_ctx(),
    )


def test_rule_8720_cp_plan_not_starting_in_future():
    check("cin_cp_plan", "8720", CP, {"start_date": FUTURE}, ctx=cp_ctx())


def test_rule_8930_cp_plan_not_ending_in_future():
    check("cin_cp_plan", "8930", CP, {"end_date": FUTURE}, ctx=cp_ctx())


def test_rule_8832_cp_plan_not_on_nfa_referral():
    check(
        "cin_cp_plan",
        "8832",
        CP,
        {},
        ctx=cp_ctx(),
        broken_ctx={"episode": episode(referral_nfa=True)},
    )


def test_rule_2990_cp_plan_not_on_episode_closed_after_assessment():
    check(
        "cin_cp_plan",
        "2990",
        CP,
        {},
        ctx=cp_ctx(),
        broken_ctx={"episode": episode(closure_date=D(2025, 6, 1), closure_reason="RC8")},
    )


def test_rule_4001_cp_plan_not_with_an_open_cin_plan():
    ended = NS(start_date=D(2025, 5, 1), end_date=D(2025, 5, 27))
    check(
        "cin_cp_plan",
        "4001",
        CP,
        {},
        ctx=cp_ctx(cin_plans=[ended]),
        broken_ctx={"cin_plans": [NS(start_date=D(2025, 5, 1), end_date=None)]},
    )


# --- CP review ---

PLAN = NS(start_date=D(2025, 5, 27), end_date=None)


def test_rule_8841_cp_review_after_the_plan_started():
    check(
        "cin_cp_review",
        "8841",
        {"review_date": D(2025, 8, 27)},
        {"review_date": D(2025, 5, 27)},
        ctx={"plan": PLAN, "cin_plans": []},
    )


def test_rule_4003_cp_review_not_during_an_open_cin_plan():
    ended = NS(start_date=D(2025, 1, 6), end_date=D(2025, 5, 27))
    check(
        "cin_cp_review",
        "4003",
        {"review_date": D(2025, 8, 27)},
        {"review_date": D(2025, 5, 26)},
        ctx={"plan": NS(start_date=D(2025, 1, 1), end_date=None), "cin_plans": [ended]},
    )
    # a review that ends the plan may fall on the day a CIN plan starts (step down)
    stepping_down = {"plan": NS(start_date=D(2025, 1, 1), end_date=None)}
    stepping_down["cin_plans"] = [NS(start_date=D(2025, 8, 27), end_date=None)]
    values = {"review_date": D(2025, 8, 27), "ends_plan": True}
    assert "4003" not in codes("cin_cp_review", values, context=stepping_down)


# --- CIN plan ---

CP_ = {"start_date": D(2025, 5, 6), "end_date": None}


def plan_ctx(**kw: Any) -> dict:
    return {"episode": episode(), "others": [], "cp_plans": []} | kw


def test_rule_4000_cin_plan_not_on_nfa_referral():
    check(
        "cin_plan",
        "4000",
        CP_,
        {},
        ctx=plan_ctx(),
        broken_ctx={"episode": episode(referral_nfa=True)},
    )


def test_rule_4011_cin_plan_end_not_before_start():
    check("cin_plan", "4011", CP_, {"end_date": D(2025, 5, 5)}, ctx=plan_ctx())


def test_rule_4012q_cin_plan_not_start_and_end_same_day():
    check(
        "cin_plan",
        "4012Q",
        CP_ | {"end_date": D(2025, 5, 7)},
        {"end_date": D(2025, 5, 6)},
        ctx=plan_ctx(),
    )


def test_rule_4004_cin_plan_only_one_open():
    check(
        "cin_plan",
        "4004",
        CP_,
        {},
        ctx=plan_ctx(),
        broken_ctx={"others": [NS(start_date=D(2025, 5, 1), end_date=None)]},
    )


def test_rule_4014_cin_plan_dates_do_not_overlap():
    ended = NS(start_date=D(2025, 5, 1), end_date=D(2025, 5, 5))
    check("cin_plan", "4014", CP_, {"start_date": D(2025, 5, 5)}, ctx=plan_ctx(others=[ended]))


def test_rule_4015_cin_plan_not_before_referral():
    check("cin_plan", "4015", CP_, {"start_date": D(2025, 4, 30)}, ctx=plan_ctx())


def test_rule_4001_cin_plan_not_with_a_cp_plan():
    check(
        "cin_plan",
        "4001",
        CP_,
        {},
        ctx=plan_ctx(),
        broken_ctx={"cp_plans": [NS(start_date=D(2025, 5, 1), end_date=None)]},
    )


def test_rule_4008_cin_plan_not_after_death():
    check(
        "cin_plan",
        "4008",
        CP_,
        {},
        ctx=plan_ctx(),
        broken_person=child(date_of_death=D(2025, 5, 5)),
    )


def test_rule_4009q_cin_plan_not_ending_after_death():
    dead = child(date_of_death=D(2025, 5, 20))
    check(
        "cin_plan",
        "4009Q",
        CP_ | {"end_date": D(2025, 5, 20)},
        {"end_date": D(2025, 5, 21)},
        person=dead,
        ctx=plan_ctx(),
    )


def test_rule_4010_cin_plan_not_starting_in_future():
    check("cin_plan", "4010", CP_, {"start_date": FUTURE}, ctx=plan_ctx())


def test_rule_4013_cin_plan_not_ending_in_future():
    check("cin_plan", "4013", CP_, {"end_date": FUTURE}, ctx=plan_ctx())


def test_rule_2990_cin_plan_not_on_episode_closed_after_assessment():
    check(
        "cin_plan",
        "2990",
        CP_,
        {},
        ctx=plan_ctx(),
        broken_ctx={"episode": episode(closure_date=D(2025, 6, 1), closure_reason="RC9")},
    )


def test_rule_8565_cin_plan_not_after_episode_closed():
    closed = episode(closure_date=D(2025, 5, 10), closure_reason="RC7")
    check("cin_plan", "8565", CP_, {"end_date": D(2025, 5, 11)}, ctx=plan_ctx(episode=closed))


# --- Completeness ---


def test_every_cin_rule_has_a_test_named_by_its_code():
    names = [n for n, _ in inspect.getmembers(sys.modules[__name__], inspect.isfunction)]
    rules = [r for r in validation.catalogue() if r.kind in TAGS]
    assert len(rules) >= 80
    missing = [
        (r.kind, r.code)
        for r in rules
        if not any(n.startswith(f"test_rule_{r.code.lower()}_{TAGS[r.kind]}_") for n in names)
    ]
    assert not missing
