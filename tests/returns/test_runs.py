"""The Returns page and API: a build started, run as a background task (the immediate backend
in tests), its progress, files (downloads audited) and the validator's issues linked to the
record. Annex A and the DfE API dry run are built end to end here."""

import datetime as dt
import io
import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from kith.audit.models import AuditEvent
from kith.returns import services_runs, validators
from kith.returns.models import ReturnRun
from kith.returns.registry import KINDS, return_kind
from kith.returns.run_validation import read_sources, validation_result
from tests.children import cin_helpers, cla_helpers

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def returns_dir(settings, tmp_path):
    settings.KITH_RETURNS_DIR = str(tmp_path / "returns")
    return tmp_path / "returns"


@pytest.fixture
def officer_client(signed_in_client):
    return signed_in_client(role="performance_officer")


def a_child_in_need():
    case = cin_helpers.case()
    cin_helpers.referral(case, on=cin_helpers.working_days_ago(10))
    return case


def date_fields(prefix: str, day: dt.date) -> dict[str, str]:
    return {
        f"{prefix}-day": str(day.day),
        f"{prefix}-month": str(day.month),
        f"{prefix}-year": str(day.year),
    }


def test_the_registry_names_a_builder_for_every_kind_of_run():
    assert set(KINDS) == set(ReturnRun.Kind.values)
    assert return_kind("annex-a").load().__name__ == "annex_a_build"
    assert return_kind("dfe-api-dry-run").load().__name__ == "dfe_api_send"
    assert return_kind("ssda903").load().__name__ == "ssda903_build"
    assert return_kind("cin").load().__name__ == "cin_census_build"
    assert (KINDS["ssda903"].validator, KINDS["cin"].validator) == (
        validators.SSDA903,
        validators.CIN,
    )
    with pytest.raises(ValueError, match="no return called 'sen2'"):
        return_kind("sen2")


def test_performance_staff_see_returns_in_the_navigation_and_others_are_refused(
    officer_client, signed_in_client
):
    page = officer_client.get("/returns")
    assert page.status_code == 200
    assert b'href="/returns"' in page.content
    worker = signed_in_client()
    assert worker.get("/returns").status_code == 403
    assert b'href="/returns"' not in worker.get("/").content


def test_building_annex_a_from_the_page(
    officer_client, django_capture_on_commit_callbacks, returns_dir
):
    case = a_child_in_need()
    form = {"kind": "annex-a"}
    form |= date_fields("date_from", TODAY - dt.timedelta(days=30))
    form |= date_fields("date_to", TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post("/returns", form)
    run = ReturnRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/returns/runs/{run.pk}"
    assert run.status == "finished"
    assert (run.done, run.total, run.percent) == (12, 12, 100)
    assert run.parameters == {
        "date_from": (TODAY - dt.timedelta(days=30)).isoformat(),
        "date_to": TODAY.isoformat(),
    }
    name = f"annex-a-{run.parameters['date_from']}-to-{run.parameters['date_to']}.xlsx"
    assert run.files == [name]
    assert (returns_dir / str(run.pk) / name).exists()

    page = officer_client.get(f"/returns/runs/{run.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="/returns/runs/{run.pk}/files/{name}"' in html
    assert "hx-get" not in html  # finished: no more polling
    assert '<dt class="govuk-summary-list__key">List 3</dt>' in html

    download = officer_client.get(f"/returns/runs/{run.pk}/files/{name}")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book["List 3"]["A2"].value == str(case.child.la_number)
    assert AuditEvent.objects.filter(
        action="download", object_type="return:annex-a", object_id=str(run.pk)
    ).exists()
    # a name that is not one of the run's files is not served
    assert officer_client.get(f"/returns/runs/{run.pk}/files/../../etc/passwd").status_code == 404


def test_the_dfe_api_dry_run_from_the_page(officer_client, django_capture_on_commit_callbacks):
    case = a_child_in_need()
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post("/returns", {"kind": "dfe-api-dry-run"})
    run = ReturnRun.objects.get()
    assert run.status == "finished"
    assert run.files == ["dfe-api/batch-0001.json"]
    assert run.counts["changed"] == 1
    download = officer_client.get(f"/returns/runs/{run.pk}/files/dfe-api/batch-0001.json")
    [child] = json.loads(b"".join(download.streaming_content))
    assert child["la_child_id"] == str(case.child.la_number)


def test_while_it_builds_the_status_polls_and_shows_progress(officer_client, signed_in_client):
    officer = officer_client.user
    officer.is_verified = lambda: True
    run = services_runs.return_run_start(
        actor=officer,
        kind="annex-a",
        parameters={"date_from": TODAY - dt.timedelta(days=7), "date_to": TODAY},
    )  # not committed in this test's transaction: still queued
    ReturnRun.objects.filter(pk=run.pk).update(status="running", done=3, total=12)
    status = officer_client.get(f"/returns/runs/{run.pk}/status")
    html = status.content.decode()
    assert f'hx-get="/returns/runs/{run.pk}/status"' in html
    assert 'hx-trigger="every 1s"' in html
    assert '<progress id="run-progress" class="kith-progress" max="12" value="3">' in html
    assert "3 of 12 steps" in html
    assert signed_in_client().get(f"/returns/runs/{run.pk}/status").status_code == 403


def test_a_missing_period_is_named_and_nothing_starts(officer_client):
    page = officer_client.post("/returns", {"kind": "annex-a"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Enter the first day of the range for Ofsted Annex A" in html
    assert "Enter the last day of the range for Ofsted Annex A" in html
    page = officer_client.post("/returns", {"kind": "cin"})
    assert "Enter the collection year for the CIN census" in page.content.decode()
    assert not ReturnRun.objects.exists()


def test_a_failed_build_keeps_its_error_and_a_second_delivery_builds_nothing(officer_client):
    officer = officer_client.user
    officer.is_verified = lambda: True
    run = services_runs.return_run_start(
        actor=officer,
        kind="annex-a",
        parameters={"date_from": TODAY - dt.timedelta(days=7), "date_to": TODAY},
    )
    # the range as it would be if it were typed the wrong way round (the form refuses it)
    ReturnRun.objects.filter(pk=run.pk).update(
        parameters={"date_from": TODAY.isoformat(), "date_to": "2020-01-01"}
    )
    failed = services_runs.return_run_execute(run_id=run.pk)
    assert failed.status == "failed"
    assert "starts after it ends" in failed.error
    assert "starts after it ends" in officer_client.get(f"/returns/runs/{run.pk}").content.decode()
    assert services_runs.return_run_execute(run_id=run.pk) is None


def test_validator_issues_link_to_the_row_or_child_where_they_are_fixed(tmp_path):
    sources_file = tmp_path / "kith-sources.json"
    sources_file.write_text(
        json.dumps(
            {
                "children": {"1001": "/people/abc/looked-after"},
                "rows": {"Episodes": {"0": "/people/abc/looked-after/placements/p1"}},
            }
        )
    )
    report = validators.Report(
        collection="ssda903",
        year=2026,
        issues=[
            validators.Issue("146", "PLACE is not a code", "1001", "Episodes", ("PLACE",), "0"),
            validators.Issue("209", "UN1 for a school-age child", "1001", "Header", ("UPN",), "0"),
            validators.Issue("101", "Sex is not a code", "1002", "Header", ("SEX",), "1"),
        ],
        rules_run=["146", "209", "101"],
    )
    result = validation_result(report, read_sources(sources_file))
    links = {(i["rule"], i["link"]) for i in result["issues"]}
    assert links == {
        ("146", "/people/abc/looked-after/placements/p1"),
        ("209", "/people/abc/looked-after"),
        ("101", ""),
    }
    assert (result["errors"], result["queries"], result["rules_run"]) == (3, 0, 3)
    # only site paths become links
    sources_file.write_text(json.dumps({"children": {"1001": "https://elsewhere.example/x"}}))
    [issue] = validation_result(
        validators.Report("cin", 2026, [validators.Issue("1530", "UPN", "1001")]),
        read_sources(sources_file),
    )["issues"]
    assert issue["link"] == ""


def test_the_run_page_lists_each_issue_with_a_link_to_fix_it(officer_client):
    officer = officer_client.user
    officer.is_verified = lambda: True
    run = services_runs.return_run_start(actor=officer, kind="cin", parameters={"year": 2026})
    report = validators.Report(
        "cin",
        2026,
        [
            validators.Issue(
                "1530", "UPN is invalid", "1001", "ChildIdentifiers", ("UPN",), "0", "A12"
            )
        ],
    )
    ReturnRun.objects.filter(pk=run.pk).update(
        status="finished",
        validation=validation_result(
            report, {"children": {"1001": "/people/abc/identifiers"}, "rows": {}}
        ),
    )
    html = officer_client.get(f"/returns/runs/{run.pk}").content.decode()
    assert "The DfE validator found 1 error and 0 queries" in html
    assert '<a class="govuk-link" href="/people/abc/identifiers">Fix UPN' in html


def test_the_api_starts_a_run_and_reads_its_status_and_files(
    officer_client, signed_in_client, django_capture_on_commit_callbacks
):
    a_child_in_need()
    with django_capture_on_commit_callbacks(execute=True):
        started = officer_client.post(
            "/api/v1/returns/runs",
            {
                "kind": "annex-a",
                "date_from": (TODAY - dt.timedelta(days=30)).isoformat(),
                "date_to": TODAY.isoformat(),
            },
            content_type="application/json",
        )
    assert started.status_code == 201, started.content
    run_id = started.json()["id"]
    read = officer_client.get(f"/api/v1/returns/runs/{run_id}").json()
    assert (read["status"], read["percent"], read["done"], read["total"]) == (
        "finished",
        100,
        12,
        12,
    )
    [file] = officer_client.get(f"/api/v1/returns/runs/{run_id}/files").json()
    assert file["url"] == f"/returns/runs/{run_id}/files/{file['name']}"
    assert [r["id"] for r in officer_client.get("/api/v1/returns/runs").json()] == [run_id]
    refused = officer_client.post(
        "/api/v1/returns/runs",
        {"kind": "annex-a", "date_from": TODAY.isoformat()},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert "last day of the range" in refused.json()["detail"]
    assert signed_in_client().get(f"/api/v1/returns/runs/{run_id}").status_code == 403
    assert officer_client.get(f"/api/v1/returns/runs/{uuid.uuid4()}").status_code == 404


def test_a_year_that_is_no_collection_year_is_refused(officer_client):
    officer = officer_client.user
    with pytest.raises(ValidationError, match="collection year"):
        services_runs.return_run_start(actor=officer, kind="ssda903", parameters={"year": 26})


@pytest.mark.parametrize(
    ("kind", "folder"), [("ssda903", "ssda903/"), ("cin", "cin-census-2027.xml")]
)
def test_a_statutory_return_built_from_the_page_is_checked_by_the_dfe_validator(
    officer_client, django_capture_on_commit_callbacks, kind, folder
):
    # Given a child looked after and a child in need in the 2026/27 collection year
    looked_after = cla_helpers.child()
    cla_helpers.start(looked_after)
    a_child_in_need()
    # When a performance officer builds the return from the page
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post("/returns", {"kind": kind, "year": "2027"})
    run = ReturnRun.objects.get()
    assert response.status_code == 302
    # Then it is built, its files are listed (the sources file is Kith's own, not the return's),
    assert run.status == "finished", run.error
    assert run.files
    assert all(name.startswith(folder) for name in run.files)
    assert not any(name.endswith("kith-sources.json") for name in run.files)
    # and the DfE validator has checked it, each issue linked to where it is fixed
    assert run.validation is not None
    assert run.validation["rules_run"]
    for issue in run.validation["issues"]:
        assert issue["link"].startswith("/people/"), issue
    html = officer_client.get(f"/returns/runs/{run.pk}").content.decode()
    assert "The DfE validator found" in html
