"""SSDA903 single-record rules for children looked after, checked when data is typed.

Each rule carries the code the DfE validator (csc-validator-be-903, ``lac_validator``) gives
it and reproduces that rule's logic for one record, with what the service looked up about the
child's other records in the entry's ``context``. Code lists come from kith.core.codelists
(effective-dated); which placement types need a provider or a URN is data
(data/cla_placement_types.csv).

Record kinds: ``cla_episode`` (values named as the 903 Episodes columns, lower case),
``cla_review``, ``cla_sdq``, ``cla_wellbeing``, ``cla_missing``, ``cla_uasc``, ``cla_dolo``,
``cla_sw_episode``, ``cla_adoption``, ``cla_prev_perm``, ``cla_care_leaver``.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kith.children import validation
from kith.children.validation import SSDA903, Entry
from kith.core import codelists

PLACEMENT_TYPES_FILE = Path(__file__).resolve().parent / "data" / "cla_placement_types.csv"
# The 903 CIN column takes N1–N8 of the shared category-of-need list (rule 145).
NEED_CODES_NOT_IN_903 = frozenset({"N0", "N9"})
REGIONAL_ADOPTION_URN = "XXXXXXX"

EPISODE = "cla_episode"
REVIEW = "cla_review"
SDQ = "cla_sdq"
WELLBEING = "cla_wellbeing"
MISSING = "cla_missing"
UASC = "cla_uasc"
DOLO = "cla_dolo"
SW_EPISODE = "cla_sw_episode"
ADOPTION = "cla_adoption"
PREV_PERM = "cla_prev_perm"
CARE_LEAVER = "cla_care_leaver"


@dataclass(frozen=True)
class PlacementType:
    code: str
    temporary: bool
    provider_required: bool
    urn_required: bool
    regional_adoption_urn: bool


@cache
def placement_types() -> dict[str, PlacementType]:
    with PLACEMENT_TYPES_FILE.open(newline="", encoding="utf-8") as handle:
        return {
            row["code"]: PlacementType(
                row["code"],
                row["temporary"] == "true",
                row["provider_required"] == "true",
                row["urn_required"] == "true",
                row["regional_adoption_urn"] == "true",
            )
            for row in csv.DictReader(handle)
        }


def placement_type(code: str | None) -> PlacementType | None:
    return placement_types().get(code or "")


def _code_bad(list_name: str, code: str | None, on: dt.date | None, *, required: bool) -> bool:
    if not code:
        return required
    return not codelists.is_valid(list_name, code, on)


def _before(a: dt.date | None, b: dt.date | None) -> bool:
    return a is not None and b is not None and a < b


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return dt.date(day.year + years, 3, 1)


def _born(entry: Entry) -> dt.date | None:
    return getattr(entry.person, "date_of_birth", None)


# --- Episodes ------------------------------------------------------------------------------


@validation.rule(
    EPISODE, "143", source=SSDA903, fields="rne", message="Reason for new episode is not valid"
)
def _rule_143(entry: Entry) -> bool:
    return _code_bad("ssda903_rne", entry.get("rne"), entry.on, required=True)


@validation.rule(EPISODE, "144", source=SSDA903, fields="ls", message="Select a valid legal status")
def _rule_144(entry: Entry) -> bool:
    return _code_bad("ssda903_ls", entry.get("ls"), entry.on, required=True)


@validation.rule(
    EPISODE, "145", source=SSDA903, fields="cin", message="Select a category of need N1 to N8"
)
def _rule_145(entry: Entry) -> bool:
    code = entry.get("cin")
    return code in NEED_CODES_NOT_IN_903 or _code_bad(
        "cin_need_codes", code, entry.on, required=True
    )


@validation.rule(
    EPISODE,
    "146",
    source=SSDA903,
    fields="place",
    message="Select a placement type valid on the episode's start date",
)
def _rule_146(entry: Entry) -> bool:
    return _code_bad("ssda903_place", entry.get("place"), entry.on, required=True)


@validation.rule(
    EPISODE,
    "178",
    source=SSDA903,
    fields="place_provider",
    message="Select a valid placement provider, or none for temporary and Z1x placements",
)
def _rule_178(entry: Entry) -> bool:
    provider = entry.get("place_provider")
    if not provider:
        return False
    kind = placement_type(entry.get("place"))
    if kind is not None and not kind.provider_required and entry.get("place") != "T4":
        return True  # T0–T3, Z11–Z14 (T4 is rule 213's alone)
    return not codelists.is_valid("ssda903_place_provider", provider, entry.on)


@validation.rule(
    EPISODE,
    "213",
    source=SSDA903,
    fields="place_provider",
    message="A temporary (T0–T4) or Z11–Z14 placement has no placement provider",
)
def _rule_213(entry: Entry) -> bool:
    kind = placement_type(entry.get("place"))
    return bool(entry.get("place_provider")) and kind is not None and not kind.provider_required


@validation.rule(
    EPISODE,
    "526",
    source=SSDA903,
    fields="place_provider",
    message="Select the placement provider",
)
def _rule_526(entry: Entry) -> bool:
    kind = placement_type(entry.get("place"))
    return not entry.get("place_provider") and kind is not None and kind.provider_required


@validation.rule(
    EPISODE,
    "218",
    source=SSDA903,
    fields="urn",
    message="Enter the Ofsted URN: this placement type is registered with Ofsted",
)
def _rule_218(entry: Entry) -> bool:
    kind = placement_type(entry.get("place"))
    return (
        kind is not None
        and kind.urn_required
        and not entry.get("urn")
        and not entry.get("placed_outside_england", False)
    )


@validation.rule(
    EPISODE,
    "222",
    source=SSDA903,
    fields="urn",
    message="An Ofsted URN is not recorded for this placement type",
)
def _rule_222(entry: Entry) -> bool:
    kind = placement_type(entry.get("place"))
    urn = entry.get("urn")
    return bool(urn) and urn != REGIONAL_ADOPTION_URN and kind is not None and not kind.urn_required


@validation.rule(
    EPISODE,
    "242",
    source=SSDA903,
    fields="urn",
    message="URN XXXXXXX is only for placements through a regional adoption agency",
)
def _rule_242(entry: Entry) -> bool:
    kind = placement_type(entry.get("place"))
    return entry.get("urn") == REGIONAL_ADOPTION_URN and not (
        kind is not None and kind.regional_adoption_urn
    )


@validation.rule(
    EPISODE,
    "380",
    source=SSDA903,
    fields="place",
    message="A period of care cannot start with a temporary placement",
)
def _rule_380(entry: Entry) -> bool:
    kind = placement_type(entry.get("place"))
    return entry.get("rne") == "S" and kind is not None and kind.temporary


@validation.rule(
    EPISODE,
    "149",
    source=SSDA903,
    fields="rec",
    message="Select a valid reason the episode ceased",
)
def _rule_149(entry: Entry) -> bool:
    return entry.get("dec") is not None and _code_bad(
        "ssda903_rec", entry.get("rec"), entry.get("dec"), required=True
    )


@validation.rule(
    EPISODE,
    "356",
    source=SSDA903,
    fields="dec",
    message="The date the episode ceased cannot be before it started",
)
def _rule_356(entry: Entry) -> bool:
    return _before(entry.get("dec"), entry.get("decom"))


@validation.rule(
    EPISODE,
    "388",
    source=SSDA903,
    fields="rec",
    message="X1 (new episode the same day) is only for an episode followed by another that day",
)
def _rule_388(entry: Entry) -> bool:
    return entry.get("rec") == "X1" and not entry.get("continues_same_day", False)


@validation.rule(
    EPISODE,
    "1009",
    source=SSDA903,
    fields="reason_place_change",
    message="Select a valid reason for the placement change",
)
def _rule_1009(entry: Entry) -> bool:
    return _code_bad(
        "ssda903_reason_place_change",
        entry.get("reason_place_change"),
        entry.get("dec") or entry.on,
        required=False,
    )


@validation.rule(
    EPISODE,
    "225",
    source=SSDA903,
    fields="reason_place_change",
    message="Select the reason for the placement change",
)
def _rule_225(entry: Entry) -> bool:
    # The episode ends with X1 and the next one changes the placement (RNE P, T, B or U),
    # neither of them a temporary placement.
    return (
        entry.get("rec") == "X1"
        and entry.get("next_rne") in {"P", "B", "T", "U"}
        and not entry.get("reason_place_change")
        and not _temporary(entry.get("place"))
        and not _temporary(entry.get("next_place"))
    )


def _temporary(code: str | None) -> bool:
    kind = placement_type(code)
    return kind is not None and kind.temporary


@validation.rule(
    EPISODE,
    "390",
    source=SSDA903,
    fields="rec",
    message="A child can only cease to be looked after by adoption (E11, E12) from a "
    "placement for adoption (A3–A6): record the placement for adoption first",
)
def _rule_390(entry: Entry) -> bool:
    return entry.get("rec") in {"E11", "E12"} and entry.get("place") not in {
        "A3",
        "A4",
        "A5",
        "A6",
    }


@validation.rule(
    EPISODE,
    "226",
    source=SSDA903,
    fields="reason_place_change",
    message="A move into or out of a temporary placement (T0–T4) has no reason for placement "
    "change: leave it blank",
)
def _rule_226(entry: Entry) -> bool:
    return bool(entry.get("reason_place_change")) and (
        _temporary(entry.get("place")) or _temporary(entry.get("next_place"))
    )


CUSTODY_FROM_AGE = 10  # rule 234: custody is no reason for a move before this age
STAYING_PUT_FROM_AGE = 18  # rule 3001: staying put with former foster carers (Z1, Z2)


@validation.rule(
    EPISODE,
    "234",
    source=SSDA903,
    fields="reason_place_change",
    message="A child under 10 when this placement episode started cannot move because of "
    "custody: choose another reason",
)
def _rule_234(entry: Entry) -> bool:
    born = _born(entry)
    decom = entry.get("decom")
    return (
        entry.get("reason_place_change") == "CUSTOD"
        and born is not None
        and decom is not None
        and decom < add_years(born, CUSTODY_FROM_AGE)
    )


@validation.rule(
    EPISODE,
    "383",
    source=SSDA903,
    fields="place",
    message="After a temporary placement the child returns to their usual placement (the "
    "same type and postcode as before it, not as a change of carer or legal status): "
    "use Return to usual placement, or record a move from the usual placement after it",
)
def _rule_383(entry: Entry) -> bool:
    usual_place = entry.get("usual_place")
    if not usual_place:
        return False
    return (
        entry.get("rne") != "P"
        or entry.get("place") != usual_place
        or (entry.get("pl_post") or "") != (entry.get("usual_pl_post") or "")
    )


@validation.rule(
    EPISODE,
    "142",
    source=SSDA903,
    fields="decom",
    message="The child already has an open episode: change the legal status or placement instead",
)
def _rule_142(entry: Entry) -> bool:
    return entry.get("rne") == "S" and bool(entry.get("open_episodes"))


@validation.rule(
    EPISODE,
    "501",
    source=SSDA903,
    fields="decom",
    message="A new episode cannot start before the previous episode",
)
def _rule_501(entry: Entry) -> bool:
    previous = entry.get("previous_decom")
    return previous is not None and _before(entry.get("decom"), previous)


@validation.rule(
    EPISODE,
    "302",
    source=SSDA903,
    fields="decom",
    message="The episode cannot start before the child was born",
)
def _rule_302(entry: Entry) -> bool:
    return _before(entry.get("decom"), _born(entry))


# --- Reviews ---------------------------------------------------------------------------------


@validation.rule(
    REVIEW,
    "167",
    source=SSDA903,
    fields="participation",
    message="Select how the child took part in the review",
)
def _rule_167(entry: Entry) -> bool:
    if entry.get("cancelled"):
        return False
    return _code_bad(
        "ssda903_review_code", entry.get("participation"), entry.get("review_date"), required=True
    )


def _under_4_at(entry: Entry) -> bool | None:
    born, on = _born(entry), entry.get("review_date")
    if born is None or on is None:
        return None
    return on < add_years(born, 4)


@validation.rule(
    REVIEW,
    "440",
    source=SSDA903,
    fields="participation",
    message="PN0 is only for a child under 4 on the day of the review",
)
def _rule_440(entry: Entry) -> bool:
    return entry.get("participation") == "PN0" and _under_4_at(entry) is False


@validation.rule(
    REVIEW,
    "441",
    source=SSDA903,
    fields="participation",
    message="The child was under 4 on the day of the review: participation is PN0",
)
def _rule_441(entry: Entry) -> bool:
    code = entry.get("participation")
    return bool(code) and code != "PN0" and _under_4_at(entry) is True


# --- Health: SDQ and OC2 flags ---------------------------------------------------------------


@validation.rule(
    SDQ, "180", source=SSDA903, fields="score", message="The SDQ score is a whole number 0 to 40"
)
def _rule_180(entry: Entry) -> bool:
    score = entry.get("score")
    return score is not None and not (isinstance(score, int) and 0 <= score <= 40)


@validation.rule(
    SDQ, "196", source=SSDA903, fields="reason", message="Select a valid reason for no SDQ score"
)
def _rule_196(entry: Entry) -> bool:
    return _code_bad(
        "ssda903_oc2_sdq_reason", entry.get("reason"), entry.get("sdq_date"), required=False
    )


@validation.rule(
    SDQ,
    "197a",
    source=SSDA903,
    fields="reason",
    message="Give a reason for no SDQ score only when there is no score",
)
def _rule_197a(entry: Entry) -> bool:
    return entry.get("score") is not None and bool(entry.get("reason"))


@validation.rule(
    SDQ,
    "197B",
    source=SSDA903,
    fields="score",
    message="Enter the SDQ score, or the reason there is none",
)
def _rule_197b(entry: Entry) -> bool:
    return entry.get("score") is None and not entry.get("reason")


@validation.rule(
    WELLBEING,
    "192",
    source=SSDA903,
    fields="intervention_received",
    message="Say whether the child received an intervention for their substance misuse",
)
def _rule_192(entry: Entry) -> bool:
    return bool(entry.get("substance_misuse")) and entry.get("intervention_received") is None


@validation.rule(
    WELLBEING,
    "193",
    source=SSDA903,
    fields="intervention_received",
    message="Interventions are recorded only for a child with a substance misuse problem",
)
def _rule_193(entry: Entry) -> bool:
    return not entry.get("substance_misuse") and (
        entry.get("intervention_received") is not None
        or entry.get("intervention_offered") is not None
    )


@validation.rule(
    WELLBEING,
    "158",
    source=SSDA903,
    fields="intervention_offered",
    message="Leave 'intervention offered' blank when the child received an intervention",
)
def _rule_158(entry: Entry) -> bool:
    return (
        entry.get("intervention_received") is True and entry.get("intervention_offered") is not None
    )


@validation.rule(
    WELLBEING,
    "159",
    source=SSDA903,
    fields="intervention_offered",
    message="Say whether an intervention was offered, as none was received",
)
def _rule_159(entry: Entry) -> bool:
    return (
        bool(entry.get("substance_misuse"))
        and entry.get("intervention_received") is False
        and entry.get("intervention_offered") is None
    )


# --- Missing and away ----------------------------------------------------------------------


@validation.rule(MISSING, "1006", source=SSDA903, fields="kind", message="Select missing or away")
def _rule_1006(entry: Entry) -> bool:
    return _code_bad("ssda903_missing", entry.get("kind"), entry.get("start_date"), required=True)


@validation.rule(
    MISSING,
    "567",
    source=SSDA903,
    fields="end_date",
    message="The date the child came back cannot be before the date they went missing",
)
def _rule_567(entry: Entry) -> bool:
    return _before(entry.get("end_date"), entry.get("start_date"))


@validation.rule(
    MISSING,
    "574",
    source=SSDA903,
    fields="start_date",
    message="This overlaps another missing or away period (or one still open)",
)
def _rule_574(entry: Entry) -> bool:
    start, end = entry.get("start_date"), entry.get("end_date")
    if start is None:
        return False
    for other_start, other_end in entry.get("other_periods", []):
        if other_end is None and other_start <= start:
            return True
        if (end is None or other_start <= end) and (other_end is None or start <= other_end):
            return True
    return False


@validation.rule(
    MISSING,
    "586",
    source=SSDA903,
    fields="start_date",
    message="The child cannot go missing before they were born",
)
def _rule_586(entry: Entry) -> bool:
    return _before(entry.get("start_date"), _born(entry))


# --- UASC, DoLO ------------------------------------------------------------------------------


@validation.rule(
    UASC,
    "304",
    source=SSDA903,
    fields="ceased_date",
    message="UASC status ceases on or before the child's 18th birthday",
)
def _rule_304(entry: Entry) -> bool:
    born, ceased = _born(entry), entry.get("ceased_date")
    return born is not None and ceased is not None and ceased > add_years(born, 18)


@validation.rule(
    UASC,
    "104",
    source=SSDA903,
    fields="ceased_date",
    message="The date UASC status ceased must be after the child's date of birth and start",
)
def _rule_104(entry: Entry) -> bool:
    ceased = entry.get("ceased_date")
    return _before(ceased, _born(entry)) or _before(ceased, entry.get("start_date"))


DOLO_FROM = dt.date(2026, 4, 1)


@validation.rule(
    DOLO,
    "702",
    source=SSDA903,
    fields="end_date",
    message="The order must end after the day it started",
    effective_from=DOLO_FROM,
)
def _rule_702(entry: Entry) -> bool:
    end, start = entry.get("end_date"), entry.get("start_date")
    return end is not None and start is not None and end <= start


# The validator's rules 709 and 710 (2026/27) crash inside csc-validator-be-903 0.1.17 (they
# read a PLACEMENT column the return does not have), so Kith checks them at entry instead.
DOLO_PLACES = frozenset({"K2", "Z12", "Z13"})
NOT_UNDER_DOLO = frozenset({"K1", "P1", "R5", "K3"})


@validation.rule(
    DOLO,
    "710",
    source=SSDA903,
    fields="start_date",
    message="A child under a deprivation of liberty order cannot be in a secure children's "
    "home (K1), with parents (P1), in a young offender institution (R5) or in supported "
    "accommodation (K3) meanwhile",
    effective_from=DOLO_FROM,
)
def _rule_710(entry: Entry) -> bool:
    return any(place in NOT_UNDER_DOLO for place in entry.get("places_during", ()))


@validation.rule(
    DOLO,
    "709",
    source=SSDA903,
    fields="start_date",
    message="A child under a deprivation of liberty order is placed in a children's home (K2) "
    "or a Z12 or Z13 placement meanwhile",
    effective_from=DOLO_FROM,
)
def _rule_709(entry: Entry) -> bool:
    places = entry.get("places_during", ())
    return any(place not in DOLO_PLACES | NOT_UNDER_DOLO for place in places)


@validation.rule(
    DOLO,
    "705",
    source=SSDA903,
    fields="start_date",
    message="A new order cannot start while the previous one is open, or overlap it",
    effective_from=DOLO_FROM,
)
def _rule_705(entry: Entry) -> bool:
    start = entry.get("start_date")
    if start is None:
        return False
    return any(
        other_end is None or (other_start <= start < other_end)
        for other_start, other_end in entry.get("other_periods", [])
    )


# --- Social worker episodes ----------------------------------------------------------------


@validation.rule(
    SW_EPISODE,
    "SW02STG1",
    source=SSDA903,
    fields="sw_id",
    message="The social worker ID is their SWE registration number (starting SW) or XX…",
)
def _rule_sw02(entry: Entry) -> bool:
    sw_id = entry.get("sw_id") or ""
    return sw_id[:2] not in {"SW", "XX"} or len(sw_id) < 4


@validation.rule(
    SW_EPISODE,
    "SW13STG1",
    source=SSDA903,
    fields="reason",
    message="Select a valid reason for the change of social worker",
)
def _rule_sw13(entry: Entry) -> bool:
    return _code_bad(
        "ssda903_sw_reason",
        entry.get("reason"),
        entry.get("end_date") or entry.get("start_date"),
        required=entry.get("end_date") is not None,
    )


@validation.rule(
    SW_EPISODE,
    "SW18STG2",
    source=SSDA903,
    fields="end_date",
    message="The social worker episode cannot end before it started",
)
def _rule_sw18(entry: Entry) -> bool:
    return _before(entry.get("end_date"), entry.get("start_date"))


@validation.rule(
    SW_EPISODE,
    "SW10STG2",
    source=SSDA903,
    fields="start_date",
    message="This social worker episode starts before the previous one ended",
)
def _rule_sw10(entry: Entry) -> bool:
    start = entry.get("start_date")
    return start is not None and any(
        other_start <= start and (other_end is None or start < other_end)
        for other_start, other_end in entry.get("other_periods", [])
    )


# --- Adoption and previous permanence --------------------------------------------------------


def _optional_code(list_name: str, field_name: str) -> Any:
    def check(entry: Entry) -> bool:
        return _code_bad(list_name, entry.get(field_name), entry.on, required=False)

    return check


validation.rule(
    ADOPTION, "175", source=SSDA903, fields="nb_adoptr", message="Select 1 or 2 adopters"
)(_optional_code("ssda903_ad1_nb_adoptr", "nb_adoptr"))
validation.rule(
    ADOPTION, "176", source=SSDA903, fields="sex_adoptr", message="Select the adopters' sexes"
)(_optional_code("ssda903_ad1_sex_adoptr", "sex_adoptr"))
validation.rule(
    ADOPTION,
    "177",
    source=SSDA903,
    fields="ls_adoptr",
    message="Select the adopters' legal status",
)(_optional_code("ssda903_ad1_ls_adoptr", "ls_adoptr"))
validation.rule(
    ADOPTION,
    "114",
    source=SSDA903,
    fields="foster_care",
    message="Say whether the adopters were the child's foster carers (0 or 1)",
)(_optional_code("ssda903_ad1_foster_care", "foster_care"))
validation.rule(
    ADOPTION,
    "120",
    source=SSDA903,
    fields="placed_ceased_reason",
    message="Select a valid reason (RD1–RD4) the adoption placement ceased",
)(_optional_code("ssda903_reason_placed_ceased", "placed_ceased_reason"))


@validation.rule(
    ADOPTION,
    "333",
    source=SSDA903,
    fields="matched_date",
    message="The child cannot be matched before the decision they should be placed for adoption",
)
def _rule_333(entry: Entry) -> bool:
    return _before(entry.get("matched_date"), entry.get("adm_decision_date"))


@validation.rule(
    ADOPTION,
    "331",
    source=SSDA903,
    fields="placed_date",
    message="The child cannot be placed for adoption before being matched",
)
def _rule_331(entry: Entry) -> bool:
    return _before(entry.get("placed_date"), entry.get("matched_date"))


@validation.rule(
    ADOPTION,
    "184",
    source=SSDA903,
    fields="adm_decision_date",
    message="The decision cannot be before the child was born",
)
def _rule_184(entry: Entry) -> bool:
    return _before(entry.get("adm_decision_date"), _born(entry))


@validation.rule(
    ADOPTION,
    "514",
    source=SSDA903,
    fields="ls_adoptr",
    message="A single adopter (L0) is one adopter",
)
def _rule_514(entry: Entry) -> bool:
    return entry.get("ls_adoptr") == "L0" and entry.get("nb_adoptr") == "2"


@validation.rule(
    ADOPTION,
    "511",
    source=SSDA903,
    fields="sex_adoptr",
    message="Two adopters are MM, FF or MF",
)
def _rule_511(entry: Entry) -> bool:
    return entry.get("nb_adoptr") == "2" and entry.get("sex_adoptr") not in {
        None,
        "",
        "MM",
        "FF",
        "MF",
    }


@validation.rule(
    ADOPTION,
    "524",
    source=SSDA903,
    fields="sex_adoptr",
    message="A same-sex couple (L12) are both male (MM) or both female (FF)",
)
def _rule_524(entry: Entry) -> bool:
    return (
        entry.get("ls_adoptr") == "L12"
        and bool(entry.get("sex_adoptr"))
        and (entry.get("sex_adoptr") not in {"MM", "FF"})
    )


@validation.rule(
    ADOPTION,
    "520",
    source=SSDA903,
    fields="sex_adoptr",
    message="A married couple of different sexes (L11) are a man and a woman (MF)",
)
def _rule_520(entry: Entry) -> bool:
    return (
        entry.get("ls_adoptr") == "L11"
        and bool(entry.get("sex_adoptr"))
        and (entry.get("sex_adoptr") != "MF")
    )


@validation.rule(
    PREV_PERM,
    "631",
    source=SSDA903,
    fields="prev_perm",
    message="Select a valid previous permanence option",
)
def _rule_631(entry: Entry) -> bool:
    return _code_bad("ssda903_prev_perm", entry.get("prev_perm"), entry.on, required=True)


@validation.rule(
    PREV_PERM,
    "635",
    source=SSDA903,
    fields="la_perm",
    message="No LA or date for Z1 (no previous permanence)",
)
def _rule_635(entry: Entry) -> bool:
    return entry.get("prev_perm") == "Z1" and bool(entry.get("la_perm") or entry.get("date_perm"))


# --- Care leavers ----------------------------------------------------------------------------


@validation.rule(
    CARE_LEAVER,
    "131",
    source=SSDA903,
    fields="in_touch",
    message="Select whether the council is in touch with the young person",
)
def _rule_131(entry: Entry) -> bool:
    return _code_bad("ssda903_oc3_in_touch", entry.get("in_touch"), entry.on, required=True)


@validation.rule(
    CARE_LEAVER,
    "132",
    source=SSDA903,
    fields="activity",
    message="Select a valid activity",
)
def _rule_132(entry: Entry) -> bool:
    return _code_bad("ssda903_oc3_activ", entry.get("activity"), entry.on, required=False)


@validation.rule(
    CARE_LEAVER,
    "133",
    source=SSDA903,
    fields="accommodation",
    message="Select a valid accommodation and whether it is suitable",
)
def _rule_133(entry: Entry) -> bool:
    return _code_bad("ssda903_oc3_accom", entry.get("accommodation"), entry.on, required=False)


@validation.rule(
    CARE_LEAVER,
    "3001",
    source=SSDA903,
    fields="accommodation",
    message="Staying put with former foster carers (Z1, Z2) is only for young people of 18 "
    "and over",
)
def _rule_3001(entry: Entry) -> bool:
    born, on = _born(entry), entry.get("contact_date") or entry.on
    return (
        str(entry.get("accommodation") or "").upper().startswith("Z")
        and born is not None
        and on is not None
        and on < add_years(born, STAYING_PUT_FROM_AGE)
    )


@validation.rule(
    CARE_LEAVER,
    "344",
    source=SSDA903,
    fields="activity",
    message="No activity or accommodation for a young person who died or went home",
)
def _rule_344(entry: Entry) -> bool:
    return entry.get("in_touch") in {"DIED", "RHOM"} and bool(
        entry.get("activity") or entry.get("accommodation")
    )


@validation.rule(
    CARE_LEAVER,
    "345",
    source=SSDA903,
    fields="activity",
    message="In touch: record the activity and accommodation (not 0)",
)
def _rule_345(entry: Entry) -> bool:
    return entry.get("in_touch") == "YES" and (
        entry.get("activity") in {None, "", "0"} or entry.get("accommodation") in {None, "", "0"}
    )
