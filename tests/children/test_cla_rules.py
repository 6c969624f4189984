"""Every SSDA903 rule the looked-after part checks at entry, by its DfE rule code: each test
names the code, shows an entry that breaks it and one that does not."""

import datetime as dt
import re
import sys

import pytest

from kith.children import rules_cla, validation
from kith.children.validation import Entry
from tests import factories

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 6, 1)


def codes(kind, values, person=None, on=ON, **context):
    return {
        p.rule.code
        for p in validation.problems(kind, Entry(values, person=person, on=on, context=context))
    }


def episode(**overrides):
    values = {
        "decom": ON,
        "rne": "S",
        "ls": "C2",
        "cin": "N1",
        "place": "U4",
        "place_provider": "PR1",
        "urn": "SC123456",
        "dec": None,
        "rec": "",
    }
    values.update(overrides)
    return values


def ep(values, **context):
    return codes(rules_cla.EPISODE, values, **context)


def test_a_good_episode_breaks_no_rule():
    assert ep(episode()) == set()


def test_rule_143_reason_for_new_episode_must_be_a_code():
    assert "143" in ep(episode(rne="Q"))
    assert "143" not in ep(episode(rne="P"))


def test_rule_144_legal_status_must_be_a_code():
    assert "144" in ep(episode(ls="Z9"))
    assert "144" not in ep(episode(ls="V2"))


def test_rule_145_category_of_need_is_n1_to_n8():
    assert "145" in ep(episode(cin="N0"))
    assert "145" in ep(episode(cin="N9"))
    assert "145" not in ep(episode(cin="N8"))


def test_rule_146_placement_type_valid_on_the_day():
    assert "146" in ep(episode(place="Z1"))  # replaced by Z11–Z14 in 2025/26
    # a code new in 2025/26 is refused before it, one earlier years had too is not
    assert "146" in codes(rules_cla.EPISODE, episode(place="K3", urn="SC1"), on=dt.date(2024, 6, 1))
    assert "146" not in codes(rules_cla.EPISODE, episode(), on=dt.date(2024, 6, 1))
    assert "146" not in ep(episode(place="K2", urn="SC1"))


def test_rule_178_provider_code_valid_and_not_for_t0_to_t3_or_z1x():
    assert "178" in ep(episode(place_provider="PR9"))
    assert "178" in ep(episode(rne="P", place="T1", urn="", place_provider="PR1"))
    assert "178" not in ep(episode(rne="P", place="T4", urn="", place_provider="PR1"))
    assert "178" not in ep(episode(place_provider="PR4"))


def test_rule_213_no_provider_for_temporary_and_z11_to_z14():
    assert "213" in ep(episode(rne="P", place="T4", urn="", place_provider="PR1"))
    assert "213" in ep(episode(place="Z12", urn="", place_provider="PR2"))
    assert "213" not in ep(episode(place="Z12", urn="", place_provider=""))


def test_rule_526_provider_required_otherwise():
    assert "526" in ep(episode(place_provider=""))
    assert "526" not in ep(episode(rne="P", place="T0", urn="", place_provider=""))


def test_rule_218_urn_required_for_ofsted_registered_placements():
    assert "218" in ep(episode(urn=""))
    assert "218" not in ep(episode(place="P1", place_provider="PR0", urn=""))
    assert "218" not in codes(rules_cla.EPISODE, episode(urn=""), placed_outside_england=True)


def test_rule_222_no_urn_for_unregistered_placements():
    assert "222" in ep(episode(place="P1", place_provider="PR0", urn="SC1"))
    assert "222" not in ep(episode(place="K2", urn="SC1"))


def test_rule_242_xxxxxxx_only_for_regional_adoption_agencies():
    assert "242" in ep(episode(place="K2", urn="XXXXXXX"))
    assert "242" not in ep(episode(place="A3", urn="XXXXXXX"))


def test_rule_380_period_cannot_start_with_temporary_placement():
    assert "380" in ep(episode(place="T2", urn="", place_provider=""))
    assert "380" not in ep(episode(rne="P", place="T2", urn="", place_provider=""))


def test_rule_149_reason_ceased_must_be_a_code():
    assert "149" in ep(episode(dec=ON, rec="E99"))
    assert "149" not in ep(episode(dec=ON, rec="E4A"))


def test_rule_356_dec_not_before_decom():
    assert "356" in ep(episode(dec=ON - dt.timedelta(days=1), rec="E4A"))
    assert "356" not in ep(episode(dec=ON, rec="E4A"))


def test_rule_388_x1_only_when_a_new_episode_starts_same_day():
    assert "388" in ep(episode(dec=ON, rec="X1"))
    assert "388" not in ep(episode(dec=ON, rec="X1"), continues_same_day=True, next_rne="L")


def test_rule_1009_reason_for_place_change_must_be_a_code():
    values = episode(dec=ON, rec="X1", reason_place_change="MOVED")
    assert "1009" in ep(values, continues_same_day=True, next_rne="P")
    values["reason_place_change"] = "CARPL"
    assert "1009" not in ep(values, continues_same_day=True, next_rne="P")


def test_rule_225_reason_for_place_change_required_when_the_placement_changes():
    values = episode(dec=ON, rec="X1")
    assert "225" in ep(values, continues_same_day=True, next_rne="P")
    assert "225" not in ep(values, continues_same_day=True, next_rne="L")


def test_rule_142_only_one_open_episode():
    assert "142" in ep(episode(), open_episodes=True)
    assert "142" not in ep(episode(), open_episodes=False)


def test_rule_501_no_episode_before_the_previous_one():
    assert "501" in ep(episode(), previous_decom=ON + dt.timedelta(days=1))
    assert "501" not in ep(episode(), previous_decom=ON)


def test_rule_302_no_episode_before_birth():
    baby = factories.person("Unborn", "Child", date_of_birth=ON + dt.timedelta(days=2))
    assert "302" in codes(rules_cla.EPISODE, episode(), person=baby)


def review(person, code, day=ON, cancelled=False):
    return codes(
        rules_cla.REVIEW,
        {"review_date": day, "participation": code, "cancelled": cancelled},
        person=person,
    )


def test_rule_167_participation_code():
    child = factories.person(date_of_birth=dt.date(2015, 1, 1))
    assert "167" in review(child, "PN9")
    assert "167" in review(child, "")
    assert "167" not in review(child, "PN1")
    assert "167" not in review(child, "", cancelled=True)


def test_rule_440_pn0_only_for_under_4s():
    four = factories.person(date_of_birth=dt.date(2022, 6, 1))
    assert "440" in review(four, "PN0")  # 4 on the day of the review
    assert "440" not in review(four, "PN0", day=dt.date(2026, 5, 31))


def test_rule_441_under_4s_are_pn0():
    toddler = factories.person(date_of_birth=dt.date(2024, 1, 1))
    assert "441" in review(toddler, "PN1")
    assert "441" not in review(toddler, "PN0")


def sdq(**values):
    values.setdefault("sdq_date", ON)
    return codes(rules_cla.SDQ, {"score": None, "reason": "", **values})


def test_rule_180_sdq_score_0_to_40():
    assert "180" in sdq(score=41)
    assert "180" not in sdq(score=40)
    assert "180" not in sdq(score=0)


def test_rule_196_sdq_reason_code():
    assert "196" in sdq(reason="SDQ9")
    assert "196" not in sdq(reason="SDQ1")


def test_rule_197a_no_reason_with_a_score():
    assert "197a" in sdq(score=12, reason="SDQ1")
    assert "197a" not in sdq(score=12)


def test_rule_197B_a_score_or_a_reason():
    assert "197B" in sdq()
    assert "197B" not in sdq(reason="SDQ2")


def wellbeing(**values):
    return codes(rules_cla.WELLBEING, values)


def test_rule_192_intervention_received_needed_for_substance_misuse():
    assert "192" in wellbeing(substance_misuse=True, intervention_received=None)
    assert "192" not in wellbeing(substance_misuse=True, intervention_received=True)


def test_rule_193_no_interventions_without_substance_misuse():
    assert "193" in wellbeing(substance_misuse=False, intervention_offered=True)
    assert "193" not in wellbeing(substance_misuse=False)


def test_rule_158_no_offered_when_received():
    assert "158" in wellbeing(
        substance_misuse=True, intervention_received=True, intervention_offered=True
    )


def test_rule_159_offered_needed_when_not_received():
    assert "159" in wellbeing(substance_misuse=True, intervention_received=False)
    assert "159" not in wellbeing(
        substance_misuse=True, intervention_received=False, intervention_offered=True
    )


def missing(values, person=None, **context):
    return codes(
        rules_cla.MISSING,
        {"kind": "M", "start_date": ON, "end_date": None, **values},
        person=person,
        **context,
    )


def test_rule_1006_missing_type():
    assert "1006" in missing({"kind": "X"})
    assert "1006" not in missing({"kind": "A"})


def test_rule_567_missing_end_not_before_start():
    assert "567" in missing({"end_date": ON - dt.timedelta(days=1)})
    assert "567" not in missing({"end_date": ON})


def test_rule_574_missing_periods_do_not_overlap():
    day = dt.timedelta(days=1)
    assert "574" in missing({}, other_periods=[(ON - 5 * day, None)])
    assert "574" in missing({"end_date": ON + day}, other_periods=[(ON, ON)])
    assert "574" not in missing({"end_date": ON + day}, other_periods=[(ON - 5 * day, ON - day)])


def test_rule_586_missing_not_before_birth():
    baby = factories.person(date_of_birth=ON + dt.timedelta(days=1))
    assert "586" in missing({}, person=baby)


def test_rule_304_uasc_ceases_by_18th_birthday():
    young = factories.person(date_of_birth=dt.date(2008, 6, 1))
    values = {"start_date": dt.date(2024, 1, 1), "ceased_date": dt.date(2026, 6, 2)}
    assert "304" in codes(rules_cla.UASC, values, person=young)
    values["ceased_date"] = dt.date(2026, 6, 1)
    assert "304" not in codes(rules_cla.UASC, values, person=young)


def test_rule_104_uasc_ceased_date_after_birth_and_start():
    young = factories.person(date_of_birth=dt.date(2010, 6, 1))
    values = {"start_date": dt.date(2024, 1, 1), "ceased_date": dt.date(2023, 1, 1)}
    assert "104" in codes(rules_cla.UASC, values, person=young)


def test_rule_702_dolo_ends_after_it_starts():
    assert "702" in codes(rules_cla.DOLO, {"start_date": ON, "end_date": ON})
    assert "702" not in codes(
        rules_cla.DOLO, {"start_date": ON, "end_date": ON + dt.timedelta(days=1)}
    )
    # DoLO rules apply from the 2026/27 collection.
    earlier = dt.date(2025, 6, 1)
    assert "702" not in codes(
        rules_cla.DOLO, {"start_date": earlier, "end_date": earlier}, on=earlier
    )


def test_rule_705_dolo_not_while_the_previous_is_open():
    assert "705" in codes(
        rules_cla.DOLO,
        {"start_date": ON, "end_date": None},
        other_periods=[(ON - dt.timedelta(days=9), None)],
    )


def test_rule_709_dolo_only_in_a_childrens_home_or_z12_z13():
    order = {"start_date": ON, "end_date": None}
    assert "709" in codes(rules_cla.DOLO, order, places_during=["U4"])
    assert "709" not in codes(rules_cla.DOLO, order, places_during=["K2", "Z12"])
    assert "709" not in codes(rules_cla.DOLO, order, places_during=["P1"])  # rule 710's


def test_rule_710_dolo_not_in_secure_home_with_parents_yoi_or_supported_accommodation():
    order = {"start_date": ON, "end_date": None}
    for place in ("K1", "P1", "R5", "K3"):
        assert "710" in codes(rules_cla.DOLO, order, places_during=["K2", place])
    assert "710" not in codes(rules_cla.DOLO, order, places_during=["K2"])


def sw(values, **context):
    base = {"sw_id": "SW123456", "start_date": ON, "end_date": None, "reason": ""}
    return codes(rules_cla.SW_EPISODE, {**base, **values}, **context)


def test_rule_SW02STG1_sw_id_starts_sw_or_xx():
    assert "SW02STG1" in sw({"sw_id": "AB12345"})
    assert "SW02STG1" in sw({"sw_id": "SW1"})
    assert "SW02STG1" not in sw({"sw_id": "XX0001"})


def test_rule_SW13STG1_reason_code_for_an_ended_episode():
    end = {"end_date": ON + dt.timedelta(days=30)}
    assert "SW13STG1" in sw({**end, "reason": "BORED"})
    assert "SW13STG1" in sw(end)
    assert "SW13STG1" not in sw({**end, "reason": "LEFTRL"})
    assert "SW13STG1" not in sw({})


def test_rule_SW18STG2_sw_episode_ends_after_start():
    assert "SW18STG2" in sw({"end_date": ON - dt.timedelta(days=1), "reason": "OTHERS"})


def test_rule_SW10STG2_sw_episodes_do_not_overlap():
    assert "SW10STG2" in sw({}, other_periods=[(ON - dt.timedelta(days=10), None)])
    assert "SW10STG2" not in sw({}, other_periods=[(ON - dt.timedelta(days=10), ON)])


def adoption(**values):
    return codes(rules_cla.ADOPTION, {"adm_decision_date": ON, **values})


def test_rule_175_number_of_adopters():
    assert "175" in adoption(nb_adoptr="3")
    assert "175" not in adoption(nb_adoptr="2")


def test_rule_176_sex_of_adopters():
    assert "176" in adoption(sex_adoptr="XY")
    assert "176" not in adoption(sex_adoptr="MF")


def test_rule_177_legal_status_of_adopters():
    assert "177" in adoption(ls_adoptr="L9")
    assert "177" not in adoption(ls_adoptr="L11")


def test_rule_114_former_carers_flag():
    assert "114" in adoption(foster_care="2")
    assert "114" not in adoption(foster_care="1")


def test_rule_120_reason_placement_for_adoption_ceased():
    assert "120" in adoption(placed_ceased_reason="RD9")
    assert "120" not in adoption(placed_ceased_reason="RD1")


def test_rule_333_not_matched_before_the_decision():
    assert "333" in adoption(matched_date=ON - dt.timedelta(days=1))


def test_rule_331_not_placed_before_matched():
    assert "331" in adoption(matched_date=ON, placed_date=ON - dt.timedelta(days=1))


def test_rule_184_decision_not_before_birth():
    baby = factories.person(date_of_birth=ON + dt.timedelta(days=1))
    assert "184" in codes(rules_cla.ADOPTION, {"adm_decision_date": ON}, person=baby)


def test_rule_514_single_adopter_is_one():
    assert "514" in adoption(ls_adoptr="L0", nb_adoptr="2")


def test_rule_511_two_adopters_are_a_couple():
    assert "511" in adoption(nb_adoptr="2", sex_adoptr="M1")
    assert "511" not in adoption(nb_adoptr="2", sex_adoptr="FF")


def test_rule_524_a_same_sex_couple_is_mm_or_ff():
    assert "524" in adoption(nb_adoptr="2", ls_adoptr="L12", sex_adoptr="MF")
    assert "524" not in adoption(nb_adoptr="2", ls_adoptr="L12", sex_adoptr="FF")
    assert "524" not in adoption(nb_adoptr="2", ls_adoptr="L2", sex_adoptr="MF")


def test_rule_520_a_married_couple_of_different_sexes_is_mf():
    assert "520" in adoption(nb_adoptr="2", ls_adoptr="L11", sex_adoptr="MM")
    assert "520" not in adoption(nb_adoptr="2", ls_adoptr="L11", sex_adoptr="MF")


def test_rule_631_previous_permanence_code():
    assert "631" in codes(rules_cla.PREV_PERM, {"prev_perm": "P9"})
    assert "631" not in codes(rules_cla.PREV_PERM, {"prev_perm": "P2"})


def test_rule_635_no_la_or_date_for_z1():
    assert "635" in codes(rules_cla.PREV_PERM, {"prev_perm": "Z1", "la_perm": "201"})


def leaver(**values):
    return codes(
        rules_cla.CARE_LEAVER,
        {"in_touch": "YES", "activity": "F1", "accommodation": "B1", **values},
    )


def test_rule_131_in_touch_code():
    assert "131" in leaver(in_touch="MAYBE")
    assert "131" not in leaver(in_touch="NO")


def test_rule_132_activity_code():
    assert "132" in leaver(activity="Z9")
    assert "132" not in leaver(activity="G6")


def test_rule_133_accommodation_code():
    assert "133" in leaver(accommodation="B3")
    assert "133" not in leaver(accommodation="Z2")


def test_rule_344_no_activity_for_died_or_returned_home():
    assert "344" in leaver(in_touch="DIED")
    assert "344" not in leaver(in_touch="DIED", activity="", accommodation="")


def test_rule_345_in_touch_needs_activity_and_accommodation():
    assert "345" in leaver(activity="0")
    assert "345" not in leaver()


def test_every_cla_rule_has_a_test_named_by_its_code():
    names = [n for n in dir(sys.modules[__name__]) if n.startswith("test_rule_")]
    tested = {re.match(r"test_rule_([0-9A-Za-z]+?)_", n).group(1) for n in names}
    cla_rules = {r.code for r in validation.catalogue() if r.kind.startswith("cla_")}
    assert cla_rules - tested == set()


def test_rule_226_no_reason_for_a_move_into_or_out_of_a_temporary_placement():
    closing = episode(dec=ON, rec="X1", reason_place_change="CARPL")
    assert "226" in ep(closing, continues_same_day=True, next_rne="P", next_place="T1")
    assert "226" in ep({**closing, "place": "T2"}, continues_same_day=True, next_rne="P")
    assert "226" not in ep(closing, continues_same_day=True, next_rne="P", next_place="U4")
    # and rule 225 then asks for no reason
    blank = episode(dec=ON, rec="X1")
    assert "225" not in ep(blank, continues_same_day=True, next_rne="P", next_place="T1")
    assert "225" in ep(blank, continues_same_day=True, next_rne="P", next_place="U4")


def test_rule_234_no_custody_reason_for_a_child_under_10_when_the_episode_began():
    nine = factories.person(date_of_birth=dt.date(2016, 7, 1))  # 9 on ON, 10 a month later
    closing = episode(dec=ON, rec="X1", reason_place_change="CUSTOD")
    assert "234" in codes(rules_cla.EPISODE, closing, person=nine, next_rne="P")
    older = factories.person(date_of_birth=dt.date(2016, 5, 1))
    assert "234" not in codes(rules_cla.EPISODE, closing, person=older, next_rne="P")
    assert "234" not in codes(
        rules_cla.EPISODE, {**closing, "reason_place_change": "OTHER"}, person=nine
    )


def test_rule_383_after_a_temporary_placement_the_child_returns_to_the_usual_one():
    usual = {"usual_place": "U4", "usual_pl_post": "CT1 1AA"}
    back = episode(rne="P", place="U4", pl_post="CT1 1AA")
    assert "383" not in ep(back, **usual)
    assert "383" in ep({**back, "place": "U6"}, **usual)
    assert "383" in ep({**back, "pl_post": "CT2 7AB"}, **usual)
    assert "383" in ep({**back, "rne": "T"}, **usual)
    assert "383" not in ep({**back, "place": "U6"})  # not after a temporary placement


def test_rule_390_adoption_ends_care_only_from_a_placement_for_adoption():
    assert "390" in ep(episode(dec=ON, rec="E11", place="U4"))
    assert "390" not in ep(episode(dec=ON, rec="E12", place="A5"))
    assert "390" not in ep(episode(dec=ON, rec="E4A", place="U4"))


def test_rule_3001_staying_put_is_from_18():
    seventeen = factories.person(date_of_birth=dt.date(2009, 1, 1))
    eighteen = factories.person(date_of_birth=dt.date(2008, 1, 1))
    staying = {"in_touch": "YES", "activity": "F1", "accommodation": "Z1"}
    assert "3001" in codes(rules_cla.CARE_LEAVER, staying, person=seventeen)
    assert "3001" not in codes(rules_cla.CARE_LEAVER, staying, person=eighteen)
    assert "3001" not in codes(
        rules_cla.CARE_LEAVER, {**staying, "accommodation": "B1"}, person=seventeen
    )
