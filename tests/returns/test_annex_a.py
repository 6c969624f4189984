"""Ofsted Annex A from hand-built cases made through the children's services, read back from
the workbook."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from kith.audit.models import AuditEvent
from kith.children import services_cin as cin
from kith.children import services_cla as cla
from kith.returns.annex_a import LISTS, UNALLOCATED, annex_a_build
from tests import factories
from tests.children import cin_helpers, cla_helpers

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def sheet_rows(path: Path, number: int) -> list[dict[str, object]]:
    sheet = load_workbook(path)[f"List {number}"]
    rows = list(sheet.iter_rows(values_only=True))
    headers = rows[0]
    return [dict(zip(headers, row, strict=True)) for row in rows[1:]]


def day(value: object) -> dt.date:
    assert isinstance(value, dt.datetime), value
    return value.date()


@pytest.fixture
def officer():
    return cin_helpers.verified(factories.user("performance_officer"))


def build(officer, tmp_path, date_from=None, date_to=None, progress=None):
    out = tmp_path / "annex-a.xlsx"
    kwargs = {"progress": progress} if progress else {}
    result = annex_a_build(
        actor=officer,
        date_from=date_from or TODAY - dt.timedelta(days=180),
        date_to=date_to or TODAY,
        out=out,
        **kwargs,
    )
    return out, result


def test_every_list_is_a_sheet_with_its_headers_and_dates_are_dd_mm_yyyy(officer, tmp_path):
    case = cin_helpers.case()
    cin_helpers.referral(case, on=cin_helpers.working_days_ago(30))
    out, result = build(officer, tmp_path)
    book = load_workbook(out)
    assert book.sheetnames == ["Notes", *[f"List {n}" for n in range(1, 12)]]
    for number, (_, headers) in LISTS.items():
        assert [c.value for c in book[f"List {number}"][1]] == headers
    referral = book["List 3"]
    assert referral["F2"].number_format == "DD/MM/YYYY"
    assert referral["D2"].number_format == "DD/MM/YYYY"  # date of birth
    # list 11 is empty and the notes say why
    assert book["List 11"].max_row == 1
    notes = {row[0]: row for row in book["Notes"].iter_rows(values_only=True)}
    assert "does not record prospective adopters" in notes["List 11: Adopters"][3]
    assert notes["List 3: Referrals"][2] == 1
    assert result.counts["List 3"] == 1
    assert result.files == [out]


def test_the_child_in_need_journey_fills_lists_1_to_7(officer, tmp_path):
    case = cin_helpers.case(sex="F", ethnicity="WBRI", disabilities=["NONE"])
    worker = case.worker
    contact = cin.contact_record(
        actor=worker,
        person=case.child,
        team=case.team,
        received_at=timezone.now() - dt.timedelta(days=70),
        source="3A",
        referrer="GP",
        summary="Bruising seen",
    )
    referred = cin_helpers.working_days_ago(45)
    episode = cin_helpers.referral(case, on=referred, contact=contact, referral_source="3A")
    assessment = cin.assessment_start(
        actor=worker, episode=episode, start_date=referred, child_seen_date=referred
    )
    cin.assessment_update(
        actor=worker,
        assessment=assessment,
        authorisation_date=cin_helpers.working_days_ago(30),
        factors=["2A"],
        outcome="strategy-discussion",
    )
    discussion = cin.strategy_discussion_record(
        actor=worker,
        episode=episode,
        discussion_date=cin_helpers.working_days_ago(29),
        attendees="Police, health",
        start_s47=True,
    )
    s47 = cin.s47_start(
        actor=worker,
        episode=episode,
        start_date=cin_helpers.working_days_ago(28),
        strategy_discussion=discussion,
    )
    conference = cin.icpc_record(
        actor=worker,
        episode=episode,
        section47=s47,
        conference_date=cin_helpers.working_days_ago(15),
        cp_plan=True,
        initial_category="NEG",
    )
    assert conference.cp_plan
    out, _ = build(officer, tmp_path)

    [l1] = sheet_rows(out, 1)
    assert l1["Child Unique ID"] == str(case.child.la_number)
    assert l1["Gender"] == "b) Female"
    assert l1["Ethnicity"] == "WBRI"
    assert day(l1["Date of Birth"]) == dt.date(2016, 4, 2)
    assert l1["Contact Source"] == "3A"
    [l3] = sheet_rows(out, 3)
    assert day(l3["Date of referral"]) == referred
    assert (l3["Referral Source"], l3["Referral NFA?"]) == ("3A", "No")
    assert l3["Number of Referrals in Last 12 Months"] == 1
    assert (l3["Allocated Team"], l3["Allocated Worker"]) == (
        "Safeguarding East",
        worker.get_full_name(),
    )
    [l4] = sheet_rows(out, 4)
    assert l4["Does the Child have a Disability"] == "No"
    assert l4["Child Seen During Continuous Assessment"] == "Yes"
    assert day(l4["Continuous Assessment Date of Authorisation"]) == (
        cin_helpers.working_days_ago(30)
    )
    [l5] = sheet_rows(out, 5)
    assert day(l5["Strategy discussion initiating Section 47 Enquiry Start Date"]) == (
        cin_helpers.working_days_ago(29)
    )
    assert day(l5["Date of Initial Child Protection Conference"]) == (
        cin_helpers.working_days_ago(15)
    )
    assert l5["Did the Initial Child Protection Conference Result in a Child Protection Plan"] == (
        "Yes"
    )
    assert l5["Number of Section 47 Enquiries in the last 12 months"] == 1
    [l6] = sheet_rows(out, 6)
    assert l6["Case Status"] == "b) Child Protection plan"
    assert l6["Primary Need Code"] == "N1"
    [l7] = sheet_rows(out, 7)
    assert l7["Initial Category of Abuse"] == "NEG"
    assert l7["Number of Previous Child Protection Plans"] == 0
    assert l7["Allocated Worker"] == worker.get_full_name()


def test_an_unallocated_child_shows_as_unallocated(officer, tmp_path):
    team = factories.team("Front Door")
    worker = cin_helpers.verified(factories.user("social_worker", in_team=team))
    child = factories.person("Noah", "Brook", date_of_birth=dt.date(2018, 1, 5))
    factories.involve(child, team)  # the team has the case; nobody is allocated
    cin.referral_record(
        actor=worker,
        person=child,
        team=team,
        referral_date=cin_helpers.working_days_ago(10),
        referral_source="6",
        primary_need="N4",
    )
    out, result = build(officer, tmp_path)
    [l3] = sheet_rows(out, 3)
    assert l3["Allocated Worker"] == UNALLOCATED
    assert l3["Allocated Team"] == "Front Door"
    [l6] = sheet_rows(out, 6)
    assert l6["Allocated Worker"] == UNALLOCATED
    assert result.counts["unallocated rows"] >= 2


def test_looked_after_care_leaver_and_adoption_lists(officer, tmp_path):
    c = cla_helpers.child()
    worker = cla_helpers.verified(c.worker)
    cla_helpers.start(c, on=TODAY - dt.timedelta(days=100))
    cla.review_record(
        actor=worker,
        person=c.child,
        review_date=TODAY - dt.timedelta(days=80),
        participation="PN1",
    )
    cla.missing_record(
        actor=worker,
        person=c.child,
        kind="M",
        start_date=TODAY - dt.timedelta(days=50),
        end_date=TODAY - dt.timedelta(days=49),
        rhi_offered=True,
        rhi_accepted=False,
    )
    cla.adoption_record(
        actor=worker,
        person=c.child,
        adm_decision_date=TODAY - dt.timedelta(days=60),
        placement_order_date=TODAY - dt.timedelta(days=40),
    )
    leaver = factories.person("Jay", "Hart", date_of_birth=dt.date(2006, 3, 1))
    factories.involve(leaver, c.team)
    cla.care_leaver_contact_add(
        actor=worker,
        person=leaver,
        eligibility="former_relevant",
        contact_date=TODAY - dt.timedelta(days=20),
        in_touch="YES",
        accommodation="D1",
        activity="F2",
        personal_adviser="Sam Adviser",
    )
    out, _ = build(officer, tmp_path)
    [l8] = sheet_rows(out, 8)
    assert day(l8["Date Started to be Looked After"]) == TODAY - dt.timedelta(days=100)
    assert l8["Child's Legal Status"] == "C2"
    assert l8["Child's Category of Need"] == "N1"
    assert (l8["Placement Type"], l8["Placement Provider"], l8["URN of Placement"]) == (
        "U4",
        "PR1",
        "SC123456",
    )
    assert day(l8["Date of Latest Statutory Review"]) == TODAY - dt.timedelta(days=80)
    assert (
        l8[
            "Number of Episodes the Child has been 'Missing' from their Placement in the "
            "last 12 months"
        ]
        == 1
    )
    assert l8[
        "Was the child offered a Return Interview after their last missing episode (Y/N)?"
    ] == ("Yes")
    assert l8["Number of Placements in the Last 12 months"] == 1
    assert l8["Allocated Worker"] == c.worker.get_full_name()
    [l9] = sheet_rows(out, 9)
    assert l9["Child Unique ID"] == str(leaver.la_number)
    assert l9["Eligibility Category"] == "b) Former relevant child"
    assert (l9["Type of Accommodation"], l9["Suitability of Accommodation"]) == (
        "D",
        "a) Suitable",
    )
    assert l9["Allocated Personal Advisor"] == "Sam Adviser"
    assert l9["Allocated Worker"] == UNALLOCATED
    [l10] = sheet_rows(out, 10)
    assert day(l10["Date of Placement Order"]) == TODAY - dt.timedelta(days=40)
    assert day(l10["Date the Child Entered Care"]) == TODAY - dt.timedelta(days=100)


def test_the_date_range_decides_what_is_in(officer, tmp_path):
    case = cin_helpers.case()
    cin_helpers.referral(case, on=cin_helpers.working_days_ago(100))
    recent, _ = build(officer, tmp_path, date_from=TODAY - dt.timedelta(days=30))
    assert sheet_rows(recent, 3) == []
    # still open, so it is a child in need in the range
    assert len(sheet_rows(recent, 6)) == 1
    wide, _ = build(officer, tmp_path, date_from=TODAY - dt.timedelta(days=365))
    assert len(sheet_rows(wide, 3)) == 1


def test_progress_and_one_audit_entry_naming_every_child(officer, tmp_path):
    case = cin_helpers.case()
    cin_helpers.referral(case, on=cin_helpers.working_days_ago(20))
    seen: list[tuple[int, int]] = []
    build(officer, tmp_path, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 12)
    assert seen[-1] == (12, 12)
    [event] = AuditEvent.objects.filter(object_type="return:annex-a")
    assert str(case.child.pk) in event.result_ids


def test_only_staff_with_the_returns_module_may_build_it(tmp_path):
    worker = cin_helpers.verified(factories.user("social_worker"))
    with pytest.raises(PermissionDenied):
        build(worker, tmp_path)


def test_a_range_that_ends_before_it_starts_is_refused(officer, tmp_path):
    with pytest.raises(ValueError, match="starts after it ends"):
        build(officer, tmp_path, date_from=TODAY, date_to=TODAY - dt.timedelta(days=1))


def test_the_command_writes_the_workbook_and_prints_counters(officer, tmp_path, capsys):
    case = cin_helpers.case()
    cin_helpers.referral(case, on=cin_helpers.working_days_ago(20))
    out = tmp_path / "a.xlsx"
    call_command(
        "returns",
        "annex-a",
        "--from",
        (TODAY - dt.timedelta(days=60)).strftime("%d/%m/%Y"),
        "--to",
        TODAY.isoformat(),
        "--out",
        str(out),
        "--user",
        officer.username,
    )
    printed = capsys.readouterr()
    assert f"Annex A written to {out}: 1 children" in printed.out
    assert "List 3 1" in printed.out
    assert "Annex A lists: 12/12" in printed.err
    assert len(sheet_rows(out, 3)) == 1
    with pytest.raises(CommandError, match=r"must end \.xlsx"):
        call_command(
            "returns",
            "annex-a",
            "--from",
            "2026-01-01",
            "--to",
            "2026-02-01",
            "--out",
            str(tmp_path / "a.csv"),
            "--user",
            officer.username,
        )
    worker = factories.user("social_worker")
    with pytest.raises(CommandError, match="Only staff whose role includes statutory returns"):
        call_command(
            "returns",
            "annex-a",
            "--from",
            "2026-01-01",
            "--to",
            "2026-02-01",
            "--out",
            str(out),
            "--user",
            worker.username,
        )
