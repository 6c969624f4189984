"""The SSDA903 built from the record: golden files for hand-built cases made through the
children's services, and the DfE validator run on the built return.

To regenerate the golden files after a deliberate change: KITH_UPDATE_GOLDEN=1 pytest this file
(then read the diff before committing it)."""

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from kith.audit.models import AuditEvent
from kith.children import services_cla as cla
from kith.people.models import Person
from kith.returns import sources, validators
from kith.returns.ssda903 import FILE_NAMES, TABLES, XML_NAME, ssda903_build
from tests import factories
from tests.returns.ssda903_cases import foster, make_cases

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("KITH_UPDATE_GOLDEN") == "1"
LA = "E10000016"

# What the DfE validator (csc-validator-be-903 0.1.17) still flags on a correct return, and why.
KNOWN_VALIDATOR_FLAGS = {
    # children.md §6 pitfall 9: for a short break (V3/V4) in a placement type that needs a URN,
    # rule 214 wants no URN and rule 218 wants one. Kith leaves it blank (214, 398, 420).
    ("218", "short_breaks"): "rules 214 and 218 contradict each other for short breaks",
    # Rules 361 and 362 fill open episodes' DEC with 31 March in place (pandas shallow copies),
    # so rules run after them see every child as having left care on 31 March, and a missing
    # period still open then as outliving the period of care.
    ("575", "missing"): "rules 361/362 close open episodes for the rules after them",
    ("577", "missing"): "rules 361/362 close open episodes for the rules after them",
}
KNOWN_PREVIOUS_YEAR_FLAGS = {
    # The same validator fault in 2024/25: a missing period open on 31 March 2025.
    ("575", "crossing"),
    ("577", "crossing"),
}


@pytest.fixture
def officer():
    return factories.user("performance_officer")


def _compare_or_update(built: Path, golden: Path, text: str | None = None) -> None:
    content = built.read_text(encoding="utf-8") if text is None else text
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(content, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}: run with KITH_UPDATE_GOLDEN=1"
    assert content == golden.read_text(encoding="utf-8"), f"{built.name} differs from {golden}"


def _stable_sources(path: Path) -> str:
    """The sources file with each person's id replaced by their LA number (ids are random)."""
    text = path.read_text(encoding="utf-8")
    for person in Person.objects.all():
        text = text.replace(str(person.pk), f"<person {person.la_number}>")
    return text


def test_the_return_is_built_as_at_31_march_exactly_as_the_golden_files(tmp_path, officer):
    cases = make_cases()
    progress: list[tuple[int, int]] = []

    result = ssda903_build(
        actor=officer,
        year=2026,
        out_dir=tmp_path / "2026",
        progress=lambda done, total: progress.append((done, total)),
    )
    # Every table, and the sources file, named as the validator and the Returns page expect.
    assert sorted(p.name for p in result.files) == sorted(
        [*FILE_NAMES.values(), sources.SOURCES_FILE]
    )
    for table, name in FILE_NAMES.items():
        header = (tmp_path / "2026" / name).read_text().splitlines()[0]
        assert header.split(",") == list(TABLES[table])
        _compare_or_update(tmp_path / "2026" / name, GOLDEN / "ssda903_2026" / name)
    _compare_or_update(
        tmp_path / "2026" / sources.SOURCES_FILE,
        GOLDEN / "ssda903_2026" / sources.SOURCES_FILE,
        _stable_sources(tmp_path / "2026" / sources.SOURCES_FILE),
    )
    assert result.problems == []
    assert progress[0] == (0, progress[-1][1])
    assert progress[-1][0] == progress[-1][1]

    # Ten children: the baby is nobody's looked-after child; the child who starts after
    # 31 March is not in this year's return. The sealed mother is, as the return is statutory.
    ids = {str(p.la_number) for p in (cases.baby, cases.not_yet)}
    header = (tmp_path / "2026" / FILE_NAMES["Header"]).read_text()
    assert result.children == 10
    assert not any(f"\n{i}," in header for i in ids)
    assert f"\n{cases.mother.la_number},F," in header
    assert result.counts["Episodes"] == 16
    assert result.counts["OC3"] == 1

    # Last year's return, from the same records (for the validator's continuity rules).
    last = ssda903_build(actor=officer, year=2025, out_dir=tmp_path / "2025")
    for name in FILE_NAMES.values():
        _compare_or_update(tmp_path / "2025" / name, GOLDEN / "ssda903_2025" / name)
    assert last.problems == []

    # The XML form of this year's; a re-run replaces the CSVs (never both in one folder).
    xml = ssda903_build(actor=officer, year=2026, out_dir=tmp_path / "2026", as_xml=True)
    assert sorted(p.name for p in (tmp_path / "2026").iterdir()) == sorted(
        [XML_NAME, sources.SOURCES_FILE, "ssda903.kith-sources.json"]
    )
    assert xml.counts == result.counts
    _compare_or_update(tmp_path / "2026" / XML_NAME, GOLDEN / "ssda903_2026_xml" / XML_NAME)
    _compare_or_update(
        tmp_path / "2026" / sources.SOURCES_FILE,
        GOLDEN / "ssda903_2026_xml" / sources.SOURCES_FILE,
        _stable_sources(tmp_path / "2026" / sources.SOURCES_FILE),
    )

    # One audit entry per build, naming every child in it.
    built = AuditEvent.objects.filter(object_type="return:ssda903").order_by("seq")
    assert [(e.action, e.actor_id, e.object_id) for e in built] == [
        ("export", officer.pk, "2025-04-01/2026-03-31"),
        ("export", officer.pk, "2024-04-01/2025-03-31"),
        ("export", officer.pk, "2025-04-01/2026-03-31"),
    ]
    assert str(cases.mother.pk) in built[0].result_ids
    assert len(built[0].result_ids) == 10
    assert str(cases.not_yet.pk) not in built[0].result_ids


def test_the_dfe_validator_finds_no_errors_but_its_own_known_faults(tmp_path, officer, capsys):
    cases = make_cases()
    out = tmp_path / "ssda903"
    call_command(
        "returns", "ssda903", "--year", "2026", "--out", str(out), "--previous",
        "--user", officer.username,
    )  # fmt: skip
    printed = capsys.readouterr()
    assert "SSDA903 2026: 10 children (Header 10, Episodes 16" in printed.out
    assert "SSDA903 2026: 10/10 children" in printed.err  # the counter
    assert (out / "previous" / FILE_NAMES["Header"]).exists()

    report = validators.validate_ssda903(
        out, year=2026, local_authority=LA, previous=out / "previous"
    )
    names = {str(getattr(cases, n).la_number): n for n in cases.__dataclass_fields__}
    flagged = {(i.rule, names[i.child]) for i in report.errors}
    assert flagged == set(KNOWN_VALIDATOR_FLAGS), {
        (i.rule, i.child, i.table, i.row, i.fields, i.message) for i in report.errors
    }
    # Rules 231 and 233 crash inside the validator (children.md §6); with last year's return
    # the continuity rules run, and only the Ofsted provider-list (URN) checks are skipped.
    assert report.rules_crashed == ["231", "233"]
    assert set(report.rules_skipped) == {"1008", "105", "219", "221", "224", "227", "228"} | {"229"}
    assert {"503A", "205B", "208", "1001"} <= set(report.rules_run)
    # Each issue says where in Kith to correct it.
    short = next(i for i in report.errors if i.rule == "218")
    assert short.fix_at == f"/people/{cases.short_breaks.pk}/looked-after#cla-episodes"

    last = validators.validate_ssda903(out / "previous", year=2025, local_authority=LA)
    assert {(i.rule, names[i.child]) for i in last.errors} == KNOWN_PREVIOUS_YEAR_FLAGS

    # The command prints "fix at" for each issue it finds.
    with pytest.raises(CommandError, match="has 3 errors"):
        call_command(
            "returns", "validate", "ssda903", str(out), "--year", "2026",
            "--previous", str(out / "previous"),
        )  # fmt: skip
    shown = capsys.readouterr().out
    assert (
        f"error 218: Ofsted Unique reference number (URN) is required. "
        f"[child {cases.short_breaks.la_number} · Episodes row 11 · URN] "
        f"fix at: /people/{cases.short_breaks.pk}/looked-after#cla-episodes"
    ) in shown

    # The XML form passes the same way (the validator's XML reader checks the UASC flag, 105,
    # and reads no social worker episodes).
    call_command(
        "returns", "ssda903", "--year", "2026", "--out", str(tmp_path / "xml"), "--xml",
        "--user", officer.username,
    )  # fmt: skip
    xml = validators.validate_ssda903(tmp_path / "xml" / XML_NAME, year=2026, local_authority=LA)
    assert {(i.rule, names[i.child]) for i in xml.errors} == set(KNOWN_VALIDATOR_FLAGS)
    assert "105" in xml.rules_run
    assert all(i.fix_at.startswith("/people/") for i in xml.errors)


def test_only_staff_with_the_returns_module_may_build_it(tmp_path):
    worker = factories.user("social_worker")
    with pytest.raises(PermissionDenied):
        ssda903_build(actor=worker, year=2026, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not AuditEvent.objects.filter(object_type="return:ssda903").exists()
    with pytest.raises(CommandError, match="Only staff whose role includes statutory returns"):
        call_command(
            "returns", "ssda903", "--year", "2026", "--out", str(tmp_path / "out"),
            "--user", worker.username,
        )  # fmt: skip
    with pytest.raises(CommandError, match="no active user named 'nobody'"):
        call_command(
            "returns", "ssda903", "--out", str(tmp_path / "out"), "--user", "nobody"
        )  # fmt: skip
    with pytest.raises(CommandError, match="build without --xml"):
        call_command(
            "returns", "ssda903", "--out", str(tmp_path / "out"), "--xml", "--previous",
            "--user", worker.username,
        )  # fmt: skip


def found_problem(result, person, record: str) -> str:
    return next(
        p.message for p in result.problems if (p.child, p.record) == (str(person.la_number), record)
    )


def test_data_that_cannot_go_in_the_return_is_named_never_a_crash(tmp_path, officer):
    # No date of birth, no ethnicity, new to care with no previous permanence, no social
    # worker; another of school age with no UPN and no SDQ: the build finishes and names each.
    odd = factories.person("Odd", "Record", date_of_birth=None, sex="M")
    cla.care_start(
        actor=None, person=odd, start_date=dt.date(2025, 6, 2), ls="C2", cin="N1",
        placement=foster(),
    )  # fmt: skip
    pupil = factories.person("No", "Upn", date_of_birth=dt.date(2012, 1, 9), ethnicity="WBRI")
    cla.care_start(
        actor=None, person=pupil, start_date=dt.date(2024, 6, 3), ls="C2", cin="N1",
        placement=foster(),
    )  # fmt: skip
    # A care leaver whose care was never recorded in Kith.
    leaver = factories.person("Left", "Before", date_of_birth=dt.date(2006, 5, 1))
    cla.care_leaver_contact_add(
        actor=None, person=leaver, eligibility="former_relevant",
        contact_date=dt.date(2025, 5, 1), in_touch="YES", accommodation="K1", activity="F2",
    )  # fmt: skip
    result = ssda903_build(actor=officer, year=2026, out_dir=tmp_path)
    child, other = str(odd.la_number), str(pupil.la_number)
    assert found_problem(result, leaver, "care leaver").endswith(
        "no period of care ending before their 19th birthday (01/05/2025) is recorded"
    )
    found = {(p.child, p.record): (p.message, p.fix_at) for p in result.problems}
    assert found[(child, "date of birth")] == (
        "no date of birth is recorded",
        f"/people/{odd.pk}/details/change",
    )
    assert found[(child, "ethnicity")][0] == "no ethnicity is recorded (ETHNIC)"
    assert "rule 630" in found[(child, "period of care from 02/06/2025")][0]
    assert found[(child, "social worker")][1] == f"/people/{odd.pk}/looked-after#cla-sw-episodes"
    assert found[(other, "UPN")] == (
        "no unique pupil number is recorded for a child of school age (rule 442)",
        f"/people/{pupil.pk}/identifiers/add",
    )
    assert found[(other, "SDQ")][0].startswith("no strengths and difficulties questionnaire")
    assert str(result.problems[0]).startswith(f"child {child}: ")
    # Both are still in the return, with what is known.
    assert result.children == 2
    episodes = (tmp_path / FILE_NAMES["Episodes"]).read_text()
    assert episodes.count(f"\n{child},") == 1
    assert episodes.count(f"\n{other},") == 1

    # The XML form of a return with empty tables (no care leavers, no adoption…) is read by
    # the validator too (its XML reader gives an empty table no columns; the runner adds them).
    ssda903_build(actor=officer, year=2026, out_dir=tmp_path / "xml", as_xml=True)
    report = validators.validate_ssda903(tmp_path / "xml" / XML_NAME, year=2026, local_authority=LA)
    assert "442" in {i.rule for i in report.errors}  # the pupil with no UPN
    assert report.rules_crashed == ["231", "233"]


def test_the_sources_file_is_found_beside_a_folder_or_a_file(tmp_path):
    folder = tmp_path / "903"
    folder.mkdir()
    sources.write_sources(
        folder / sources.SOURCES_FILE,
        children={"1001": "/people/a"},
        rows={"Episodes": {"0": "/people/a/looked-after#cla-episodes"}},
    )
    found = sources.read_sources(folder)
    assert found is not None
    assert found.fix_at(table="Episodes", row="0", child="1001").endswith("#cla-episodes")
    assert found.fix_at(table="Header", row="0", child="1001") == "/people/a"
    assert found.fix_at(table="Header", row="0", child="9") == ""
    # A file F (the CIN census XML): F with the suffix .kith-sources.json.
    census = tmp_path / "cin.xml"
    census.write_text("<Message/>")
    assert sources.read_sources(census) is None
    (tmp_path / "cin.kith-sources.json").write_text(json.dumps({"children": {"7": "/p/7"}}))
    assert sources.read_sources(census) == sources.Sources(children={"7": "/p/7"}, rows={})
    # Unreadable: ignored, so the report shows without "fix at".
    (folder / sources.SOURCES_FILE).write_text("{not json")
    assert sources.read_sources(folder) is None
