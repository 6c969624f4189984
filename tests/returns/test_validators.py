"""The DfE validators, run from their own virtualenvs on small hand-built returns."""

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kith.returns import validators
from kith.returns.periods import collection_year, period

DATA = Path(__file__).parent / "data"


def test_collection_years_are_named_by_the_march_they_end_in() -> None:
    assert collection_year(dt.date(2025, 4, 1)) == 2026
    assert collection_year(dt.date(2026, 3, 31)) == 2026
    assert period(2026) == (dt.date(2025, 4, 1), dt.date(2026, 3, 31))


def test_ssda903_errors_name_the_child_table_row_and_field() -> None:
    report = validators.validate_ssda903(
        DATA / "ssda903_bad", year=2026, local_authority="E10000016"
    )
    found = {(i.rule, i.child, i.table, i.fields) for i in report.errors}
    # placement type Q9 is no code; UN1 for a child of school age
    assert ("146", "1001", "Episodes", ("PLACE",)) in found
    assert ("209", "1001", "Header", ("UPN",)) in found
    # the two rules that crash in csc-validator-be-903 0.1.17 are reported apart, not counted
    assert {"231", "233"} <= set(report.rules_crashed)
    assert "146" in report.rules_run
    assert report.rules_skipped  # tables not supplied (reviews, OC2, …)


def test_cin_census_child_and_council_issues(tmp_path: Path) -> None:
    report = validators.validate_cin(DATA / "cin_one_child.xml", year=2026)
    # the UPN's LA code (characters 2-4) is not a real one
    assert [(i.rule, i.child, i.fields, i.value) for i in report.errors] == [
        ("1530", "1001", ("UPN",), "A123456789012")
    ]
    assert [i.rule for i in report.council_issues] == ["2887Q"]
    assert [i.is_query for i in report.queries] == [True]

    # with a UPN whose LA code and check letter are right (kith.people.identifiers), the child
    # has no issue left; the council-level query about disability codes stays
    fixed = tmp_path / "cin.xml"
    fixed.write_text(
        (DATA / "cin_one_child.xml").read_text().replace("A123456789012", "X886201512345")
    )
    clean = validators.validate_cin(fixed, year=2026)
    assert (clean.issues, [i.rule for i in clean.council_issues]) == ([], ["2887Q"])
    assert clean.rules_crashed == []


def test_the_command_prints_each_issue_and_fails_on_errors(capsys) -> None:
    with pytest.raises(CommandError, match="has 1 errors"):
        call_command(
            "returns", "validate", "cin", str(DATA / "cin_one_child.xml"), "--year", "2026"
        )
    out = capsys.readouterr().out
    assert "error 1530: UPN invalid" in out
    assert "child 1001 · ChildIdentifiers row 0 · UPN · value 'A123456789012'" in out
    assert "query 2887Q (whole return)" in out
    assert "cin 2026: 1 errors, 1 queries" in out

    with pytest.raises(CommandError, match="There is no file or folder"):
        call_command("returns", "validate", "cin", "/nowhere/cin.xml")


def test_an_unreadable_file_and_a_missing_validator_give_clear_messages(
    tmp_path: Path, settings
) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<Message><Header>")
    with pytest.raises(validators.ValidatorFailed, match="could not read the files"):
        validators.validate_cin(broken, year=2026)
    settings.KITH_VALIDATORS_DIR = str(tmp_path / "none")
    with pytest.raises(validators.ValidatorUnavailable, match="make setup"):
        validators.validate_cin(DATA / "cin_one_child.xml", year=2026)


def test_findings_only_the_two_years_the_tool_sees_explain_are_listed_apart() -> None:
    care_leaver = validators.Issue(rule="1002", message="no previous episodes", child="7")
    limited = dataclasses.replace(care_leaver, two_year_limit=True)
    wrong = validators.Issue(rule="392c", message="Postcode(s) provided are invalid.", child="8")
    query = validators.Issue(rule="8670Q", message="assessment open", child="9")
    report = validators.Report("ssda903", 2027, issues=[limited, wrong, query])
    assert report.errors == [wrong]
    assert report.two_year_limited == [limited]
    assert report.queries == [query]
    # a 1002 on a return Kith did not build (no sources file) is an error like any other
    assert validators.Report("ssda903", 2027, issues=[care_leaver]).errors == [care_leaver]
    assert {"1001", "1002"} == validators.TWO_YEAR_RULES
