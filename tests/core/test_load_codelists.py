"""`kith load_codelists`: idempotent, updates descriptions, closes dropped codes, all or nothing."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kith.core import codelists
from kith.core.models import CodeList, CodeListEntry

pytestmark = pytest.mark.django_db

MANIFEST_HEADER = "name,title,valid_from,valid_to,applies_to"


def write_lists(directory, lists: dict[str, list[str]], manifest: list[str] | None = None):
    """One CSV per list (lines after the header) and a manifest naming them."""
    directory.mkdir(exist_ok=True)
    rows = manifest or [f"{name},Test list {name},,,Tests only" for name in lists]
    (directory / "manifest.csv").write_text("\n".join([MANIFEST_HEADER, *rows]) + "\n")
    for name, lines in lists.items():
        dated = lines[0].count(",") == 3
        header = "code,description,valid_from,valid_to" if dated else "code,description"
        (directory / f"{name}.csv").write_text("\n".join([header, *lines]) + "\n")
    return directory


def load(directory, *args: str) -> str:
    out = StringIO()
    call_command("load_codelists", str(directory), *args, stdout=out)
    return out.getvalue()


def test_reloading_the_shipped_lists_changes_nothing():
    # given the lists the migration loaded
    before = CodeListEntry.objects.count()
    # when the command reloads them
    out = StringIO()
    call_command("load_codelists", stdout=out)
    # then nothing is added, updated or closed
    assert "0 added, 0 updated. Codes: 0 added, 0 updated, 422 already present, 0 closed." in (
        out.getvalue()
    )
    assert CodeListEntry.objects.count() == before


def test_a_new_list_keeps_its_codes_as_strings_and_loads_once(tmp_path):
    # given a list whose codes look like numbers
    directory = write_lists(tmp_path / "codes", {"test_flags": ["0,No", "00,", "10,Ten", "1,Yes"]})
    # when it is loaded twice
    first, second = load(directory), load(directory)
    # then the codes are held as written, once
    assert "1 added, 0 updated. Codes: 4 added" in first
    assert "0 added, 0 updated. Codes: 0 added, 0 updated, 4 already present, 0 closed." in second
    assert codelists.choices("test_flags") == [
        ("0", "0 – No"),
        ("00", "00"),
        ("10", "10 – Ten"),
        ("1", "1 – Yes"),
    ]
    assert "Held but not in manifest.csv (left as they are): annex_a_case_status" in first


def test_a_reload_updates_descriptions_and_closes_dropped_codes(tmp_path):
    # given a loaded list with codes A, B and C
    directory = write_lists(tmp_path / "v1", {"test_list": ["A,Alpha", "B,Bravo", "C,Charlie"]})
    load(directory)
    # when a new version renames A, drops B and adds D
    directory = write_lists(tmp_path / "v2", {"test_list": ["A,Able", "C,Charlie", "D,Delta"]})
    output = load(directory, "--dropped-codes-valid-to", "2026-03-31")
    # then A is renamed, C moved up, D added, and B kept but valid only until the date given
    assert "Codes: 1 added, 2 updated, 0 already present, 1 closed." in output
    assert "closed (no longer in its file): test_list:B" in output
    assert codelists.description("test_list", "A") == "Able"
    dropped = CodeListEntry.objects.get(code_list__name="test_list", code="B")
    assert dropped.valid_to == date(2026, 3, 31)
    assert codelists.is_valid("test_list", "B", on=date(2026, 3, 31))
    assert not codelists.is_valid("test_list", "B", on=date(2026, 4, 1))
    assert codelists.description("test_list", "B") == "Bravo"  # old records still read
    # when B comes back, then it is open again
    directory = write_lists(tmp_path / "v3", {"test_list": ["A,Able", "B,Bravo", "C,Charlie"]})
    load(directory)
    assert codelists.is_valid("test_list", "B", on=date(2027, 1, 1))


def test_entries_can_carry_their_own_dates(tmp_path):
    # given a list where code 1 changed meaning on 1 April 2024
    directory = write_lists(
        tmp_path / "codes",
        {"test_sex": ["1,Male,,2024-03-31", "2,Female,,2024-03-31", "M,Male,2024-04-01,"]},
    )
    load(directory)
    # then each is valid in its own period
    assert codelists.is_valid("test_sex", "1", on=date(2024, 3, 31))
    assert not codelists.is_valid("test_sex", "1", on=date(2024, 4, 1))
    assert codelists.is_valid("test_sex", "M", on=date(2024, 4, 1))
    assert not codelists.is_valid("test_sex", "M", on=date(2024, 3, 31))
    assert codelists.choices("test_sex", on=date(2025, 1, 1)) == [("M", "M – Male")]


def test_list_details_come_from_the_manifest_and_are_updated(tmp_path):
    # given a list in the manifest with a start date
    manifest = ["test_list,First title,2025-04-01,,SSDA903 2025/26"]
    load(write_lists(tmp_path / "v1", {"test_list": ["A,Alpha"]}, manifest))
    # when the manifest changes its title and end date
    manifest = ["test_list,Second title,2025-04-01,2026-03-31,SSDA903 2025/26 only"]
    output = load(write_lists(tmp_path / "v2", {"test_list": ["A,Alpha"]}, manifest))
    # then the list is updated, and is not valid outside its dates
    assert "0 added, 1 updated." in output
    held = CodeList.objects.get(name="test_list")
    assert (held.title, held.valid_to, held.applies_to) == (
        "Second title",
        date(2026, 3, 31),
        "SSDA903 2025/26 only",
    )
    assert codelists.is_valid("test_list", "A", on=date(2026, 3, 31))
    assert not codelists.is_valid("test_list", "A", on=date(2026, 4, 1))


def test_bad_rows_reject_every_list_naming_file_and_line(tmp_path):
    # given one good list and one with a blank code, a padded code, a bad date and a duplicate
    directory = write_lists(
        tmp_path / "codes",
        {
            "test_good": ["A,Alpha"],
            "test_bad": [
                "X,Ex,,",
                ",Blank,,",
                " Y,Padded,,",
                "Z,Zed,2025-13-01,",
                "X,Again,,",
                "W,Backwards,2026-01-01,2025-01-01",
            ],
        },
    )
    # when loaded
    with pytest.raises(CommandError) as raised:
        load(directory)
    # then each problem is named with its file and line
    message = str(raised.value)
    assert "Nothing was loaded" in message
    assert "test_bad.csv line 3: the code is blank" in message
    assert "test_bad.csv line 4: the code ' Y' has spaces before or after it" in message
    assert "test_bad.csv line 5: valid_from '2025-13-01' is not a date" in message
    assert "test_bad.csv line 6: the code 'X' is listed twice (also test_bad.csv line 2)" in message
    assert "test_bad.csv line 7: valid_to 2025-01-01 is before valid_from 2026-01-01" in message
    # and not even the good list was loaded
    assert not CodeList.objects.filter(name__startswith="test_").exists()


def test_manifest_and_files_must_agree(tmp_path):
    # given a manifest naming a missing file, and a file the manifest does not name
    directory = write_lists(
        tmp_path / "codes", {"test_orphan": ["A,Alpha"]}, ["test_missing,Missing,,,Tests"]
    )
    # when loaded, then both are reported
    with pytest.raises(CommandError) as raised:
        load(directory)
    message = str(raised.value)
    assert "manifest.csv line 2: there is no file test_missing.csv" in message
    assert "test_orphan.csv: not named in manifest.csv" in message


def test_a_bad_dropped_codes_date_is_refused(tmp_path):
    # when the date option is not a date, then the command refuses it
    directory = write_lists(tmp_path / "codes", {"test_list": ["A,Alpha"]})
    with pytest.raises(CommandError, match="not a date in the form YYYY-MM-DD"):
        load(directory, "--dropped-codes-valid-to", "31/03/2026")
