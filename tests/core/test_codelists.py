"""Code lists: codes are strings, lists and codes are effective-dated, unknown lists are errors."""

import csv
from datetime import date

import pytest
import time_machine

from kith.core import codelists
from kith.core.codelists import SHIPPED_CODE_LISTS, UnknownCode, UnknownCodeList
from kith.core.models import CodeList, CodeListEntry

pytestmark = pytest.mark.django_db


def test_numeric_looking_codes_stay_strings():
    # given lists whose codes look like numbers
    # then "0" and "10" are codes, and look-alikes are not
    assert codelists.is_valid("ssda903_oc3_accom", "0")
    assert not codelists.is_valid("ssda903_oc3_accom", "00")
    # S and X accommodation is never suitable (903V rule 133 has no S1 or X1)
    assert codelists.is_valid("ssda903_oc3_accom", "S2")
    assert not codelists.is_valid("ssda903_oc3_accom", "S1")
    assert not codelists.is_valid("ssda903_oc3_accom", "X1")
    assert codelists.is_valid("cin_referral_source", "10")
    assert not codelists.is_valid("cin_referral_source", "010")
    assert not codelists.is_valid("cin_referral_source", "1")
    assert codelists.choices("ssda903_ad1_foster_care") == [("0", "0"), ("1", "1")]
    assert CodeListEntry.objects.get(code_list__name="cin_referral_source", code="10").code == "10"


def test_a_number_is_not_accepted_as_a_code():
    # when a caller passes an int, then it is refused rather than converted
    with pytest.raises(TypeError, match="Codes are strings"):
        codelists.is_valid("cin_referral_source", 10)  # type: ignore[arg-type]


def test_codes_are_case_sensitive():
    # given the sex list (M F U)
    # then lower case is not a code
    assert codelists.is_valid("sex", "M", on=date(2025, 4, 1))
    assert not codelists.is_valid("sex", "m", on=date(2025, 4, 1))


def test_a_list_applies_only_from_its_collection_year():
    # given sex applies from 2024/25, SW_REASON from 2023/24 and PLACE is the 2025/26 list
    # then each is valid from 1 April of its first year and not the day before
    assert not codelists.is_valid("sex", "M", on=date(2024, 3, 31))
    assert codelists.is_valid("sex", "M", on=date(2024, 4, 1))
    assert not codelists.is_valid("ssda903_sw_reason", "MANAGE", on=date(2023, 3, 31))
    assert codelists.is_valid("ssda903_sw_reason", "MANAGE", on=date(2023, 4, 1))
    assert codelists.is_valid("ssda903_place", "Z11", on=date(2025, 4, 1))
    assert codelists.choices("sex", on=date(2024, 3, 31)) == []
    # and codes new in a year (K3, Z11–Z14 in 2025/26) only from then, the rest before too
    assert not codelists.is_valid("ssda903_place", "K3", on=date(2025, 3, 31))
    assert not codelists.is_valid("ssda903_place", "Z11", on=date(2025, 3, 31))
    assert codelists.is_valid("ssda903_place", "U4", on=date(2022, 6, 1))
    # and a list with no year given is open at both ends
    assert codelists.is_valid("ssda903_ls", "C2", on=date(2015, 1, 1))


def test_without_a_date_validity_is_judged_today():
    # given today is before sex.csv applies, then M is not valid today
    with time_machine.travel(date(2024, 1, 15)):
        assert not codelists.is_valid("sex", "M")
        assert codelists.choices("sex") == []
    # given today is after, then it is
    with time_machine.travel(date(2026, 5, 1)):
        assert codelists.is_valid("sex", "M")


def test_descriptions_and_choices_keep_the_list_order_and_labels():
    # given the legal status list
    # then descriptions are as published, blank where the source gives none
    assert codelists.description("ssda903_ls", "C2") == "Care order"
    assert codelists.description("ssda903_sw_reason", "MANAGE") == ""
    options = codelists.choices("ssda903_ls", on=date(2026, 1, 1))
    assert options[0] == ("C1", "C1 – ICO")
    assert [code for code, _ in options][:4] == ["C1", "C2", "D1", "E1"]
    assert ("MANAGE", "MANAGE") in codelists.choices("ssda903_sw_reason", on=date(2026, 1, 1))


def test_an_unknown_code_has_no_description():
    # when asked to describe a code the list lacks, or one not yet in force
    # then it says so
    with pytest.raises(UnknownCode, match="'C9' is not a code in ssda903_ls"):
        codelists.description("ssda903_ls", "C9")
    with pytest.raises(UnknownCode, match="on 2024-03-31"):
        codelists.description("sex", "U", on=date(2024, 3, 31))


def test_an_unknown_list_is_an_error_everywhere():
    # when a list name is wrong (list names are exact), then every call says so
    for call in (
        lambda: codelists.is_valid("ssda903_legal_status", "C2"),
        lambda: codelists.description("ssda903_legal_status", "C2"),
        lambda: codelists.choices("ssda903_legal_status"),
        lambda: codelists.is_valid("SSDA903_LS", "C2"),
    ):
        with pytest.raises(UnknownCodeList, match="no code list named"):
            call()


def test_the_migration_loaded_every_shipped_list_as_published():
    # given the shipped manifest and files
    with (SHIPPED_CODE_LISTS / "manifest.csv").open(encoding="utf-8", newline="") as file:
        manifest = {row["name"]: row for row in csv.DictReader(file)}
    files = {path.stem for path in SHIPPED_CODE_LISTS.glob("*.csv")} - {"manifest"}
    # then every file is in the manifest and in the database with all its codes, in order
    assert set(manifest) == files
    assert set(CodeList.objects.values_list("name", flat=True)) == files
    for name in files:
        with (SHIPPED_CODE_LISTS / f"{name}.csv").open(encoding="utf-8", newline="") as file:
            published = [(row["code"], row["description"]) for row in csv.DictReader(file)]
        held = list(
            CodeListEntry.objects.filter(code_list__name=name)
            .order_by("position")
            .values_list("code", "description")
        )
        assert held == published, name
    sex = CodeList.objects.get(name="sex")
    assert (sex.valid_from, sex.valid_to) == (date(2024, 4, 1), None)
    assert "2024/25" in sex.applies_to
    assert CodeList.objects.get(name="ssda903_place").valid_from is None
    assert CodeList.objects.get(name="ssda903_sw_reason").valid_from == date(2023, 4, 1)
