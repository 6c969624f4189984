"""The duplicate scan (ADR 0015): a background job whose pairs the report shows, through the
real services, task backend (immediate in tests), views, API, command, policy and audit log."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone

from kith.access import services as access_services
from kith.audit.models import Action, AuditEvent
from kith.people import selectors_duplicates, services, services_duplicates
from kith.people.models import DuplicateCandidate, DuplicateScan, MergeRecord
from kith.people.tasks import duplicate_scan_task
from tests import factories

pytestmark = pytest.mark.django_db


def verified(user):
    user.is_verified = lambda: True
    return user


@pytest.fixture
def admin():
    return verified(factories.user("system_administrator"))


@pytest.fixture
def people():
    """Two people recorded twice (a typo; a nickname and a previous address) and two people
    who are not duplicates of anyone (a different date of birth, a different name)."""
    amira = factories.person("Amira", "Haddad", sex="F", date_of_birth=dt.date(2017, 5, 4))
    amira_typo = factories.person("Amira", "Hadad", sex="F", date_of_birth=dt.date(2017, 5, 4))
    robert = factories.person("Robert", "Okonkwo-Fairweather", date_of_birth=dt.date(1961, 9, 30))
    bob = factories.person("Bob", "Okonkwo-Fairweather", date_of_birth=dt.date(1961, 9, 30))
    factories.person("Amira", "Haddad", sex="F", date_of_birth=dt.date(1988, 1, 12))
    factories.person("Yusuf", "Haddad", sex="M", date_of_birth=dt.date(2017, 5, 4))
    return {"amira": (amira, amira_typo), "robert": (robert, bob)}


def run_scan(actor=None, **options) -> DuplicateScan:
    scan = services_duplicates.duplicate_scan_start(actor=actor, run_in_background=False)
    finished = services_duplicates.duplicate_scan_run(scan_id=scan.pk, **options)
    assert finished is not None
    return finished


def shown(user) -> set[frozenset[int]]:
    report = selectors_duplicates.duplicate_report(user=user)
    return {frozenset((p.first.la_number, p.second.la_number)) for p in report.pairs}


def numbers(a, b) -> frozenset[int]:
    return frozenset((a.la_number, b.la_number))


def test_the_scan_finds_the_people_recorded_twice_and_no_one_else(admin, people):
    scan = run_scan(actor=admin)
    assert scan.status == DuplicateScan.Status.FINISHED
    assert scan.started_at
    assert scan.finished_at
    assert scan.pairs_found == 2 == DuplicateCandidate.objects.filter(scan=scan).count()
    assert scan.groups_done == scan.groups_total > 0
    assert scan.pairs_compared >= 2
    assert shown(admin) == {numbers(*people["amira"]), numbers(*people["robert"])}
    # Stored with their score and reasons; the first record has the lower LA number
    amira, typo = people["amira"]
    row = DuplicateCandidate.objects.get(first=amira)
    assert row.second_id == typo.pk
    assert row.score >= 80
    assert "Date of birth matches" in row.reasons
    robert = DuplicateCandidate.objects.get(first=people["robert"][0])
    assert any("Bob" in reason and "Robert" in reason for reason in robert.reasons)
    # The scan is audited once, naming everyone in its pairs, as the person who asked for it
    entry = AuditEvent.objects.get(object_type="people.duplicatescan")
    assert entry.actor_id == admin.pk
    assert entry.action == Action.LIST
    assert set(entry.result_ids) == {str(p.pk) for pair in people.values() for p in pair}


def test_progress_is_kept_on_the_scan_as_it_moves(admin, people):
    seen: list[tuple[int, int, int]] = []

    def progress(done: int, total: int) -> None:
        stored = DuplicateScan.objects.get(status=DuplicateScan.Status.RUNNING)
        seen.append((done, total, stored.groups_done))

    scan = run_scan(actor=admin, progress=progress, groups_at_once=1)
    total = scan.groups_total
    assert total >= 3
    assert [done for done, _, _ in seen] == list(range(total + 1))
    # each step was stored (the page's progress bar reads it) before it was reported
    assert all(stored == done and t == total for done, t, stored in seen)


def test_a_new_scan_replaces_the_last_one_whole(admin, people):
    first = run_scan(actor=admin)
    before = shown(admin)
    rows_before = set(DuplicateCandidate.objects.values_list("pk", flat=True))
    # A third record of Amira arrives; while the next scan runs, the report is still the last
    third = factories.person("Amirah", "Haddad", sex="F", date_of_birth=dt.date(2017, 5, 4))
    during: list[tuple[set, int, DuplicateScan | None]] = []

    def progress(done: int, total: int) -> None:
        report = selectors_duplicates.duplicate_report(user=admin)
        during.append((shown(admin), DuplicateCandidate.objects.count(), report.scan))

    second = run_scan(actor=admin, progress=progress, groups_at_once=1)
    assert during
    for pairs, rows, scan in during:
        assert pairs == before
        assert rows == len(rows_before)
        assert scan == first
    after = shown(admin)
    assert numbers(people["amira"][0], third) in after
    assert before < after
    assert selectors_duplicates.duplicate_report(user=admin).scan == second
    # The last scan's rows are gone; its record stays
    assert not DuplicateCandidate.objects.filter(pk__in=rows_before).exists()
    assert DuplicateScan.objects.filter(status="finished").count() == 2


def test_a_scan_that_fails_leaves_the_last_results_and_says_why(admin, people, signed_in_client):
    run_scan(actor=admin)
    before = shown(admin)

    def progress(done: int, total: int) -> None:
        if done == 2:
            raise RuntimeError("The database went away")

    with pytest.raises(RuntimeError):
        run_scan(actor=admin, progress=progress, groups_at_once=1)
    failed = DuplicateScan.objects.get(status=DuplicateScan.Status.FAILED)
    assert failed.error == "The database went away"
    assert failed.finished_at is not None
    assert not DuplicateCandidate.objects.filter(scan=failed).exists()
    assert shown(admin) == before
    report = selectors_duplicates.duplicate_report(user=admin)
    assert report.failed == failed
    page = signed_in_client(user=admin).get("/data-quality/duplicates").text
    assert "did not finish: The database went away" in page
    # and a new scan can start
    assert run_scan(actor=admin).status == DuplicateScan.Status.FINISHED


def test_merged_and_dismissed_pairs_leave_the_list(admin, people):
    run_scan(actor=admin)
    amira, typo = people["amira"]
    robert, bob = people["robert"]
    services.person_merge(actor=admin, survivor=amira, merged=typo, reason="Same child")
    assert shown(admin) == {numbers(robert, bob)}
    # the stored row stays where it was (a merge moves no scan rows)
    assert DuplicateCandidate.objects.filter(second=typo).exists()
    services.duplicate_dismiss(actor=admin, first=bob, second=robert, note="Father and son")
    assert shown(admin) == set()
    # Undoing the merge brings the pair back
    services.person_unmerge(actor=admin, record=MergeRecord.objects.get(), reason="Twins")
    assert shown(admin) == {numbers(amira, typo)}
    # A dismissed pair is not even compared by the next scan
    run_scan(actor=admin)
    assert not DuplicateCandidate.objects.filter(first=robert, second=bob).exists()


def test_restricted_people_are_shown_only_to_their_group(admin, people):
    amira, typo = people["amira"]
    member = verified(factories.user("system_administrator"))
    group = access_services.restriction_group_create(
        actor=admin, name="High-profile cases", members=[member]
    )
    access_services.restriction_set(
        actor=admin, person_id=typo.pk, level="restricted", group=group, reason="Well known"
    )
    run_scan(actor=admin)  # the scan itself compares everyone
    assert DuplicateCandidate.objects.filter(second=typo).exists()
    assert numbers(amira, typo) not in shown(admin)
    assert numbers(amira, typo) in shown(member)
    # The report's audit entry names only the people shown
    entry = AuditEvent.objects.filter(
        object_type="people.duplicate_report", actor_id=admin.pk
    ).last()
    assert str(typo.pk) not in entry.result_ids
    assert str(people["robert"][0].pk) in entry.result_ids


def test_one_scan_at_a_time(admin, people, signed_in_client):
    running = services_duplicates.duplicate_scan_start(actor=admin, run_in_background=False)
    with pytest.raises(services_duplicates.ScanAlreadyRunning, match="already running"):
        services_duplicates.duplicate_scan_start(actor=admin, run_in_background=False)
    with pytest.raises(CommandError, match="already running: started by"):
        call_command("duplicate_scan", stdout=io.StringIO())
    client = signed_in_client(user=admin)
    page = client.post("/data-quality/duplicates/scans", follow=True).text
    assert "A duplicate scan is already running" in page
    assert client.post("/api/v1/duplicates/scans").status_code == 409
    assert DuplicateScan.objects.count() == 1
    # The page shows it running, with a progress bar that polls
    page = client.get("/data-quality/duplicates").text
    assert 'data-testid="scan-progress"' in page
    assert "Waiting for the task worker" in page
    assert "Run a new scan" not in page
    # A scan that has shown no progress for long is taken to have stopped
    DuplicateScan.objects.filter(pk=running.pk).update(
        updated_at=timezone.now() - services_duplicates.STALE_AFTER - dt.timedelta(minutes=1)
    )
    assert "Run a new scan" in client.get("/data-quality/duplicates").text
    replacement = run_scan(actor=admin)
    running.refresh_from_db()
    assert running.status == DuplicateScan.Status.FAILED
    assert "no progress" in running.error
    assert replacement.status == DuplicateScan.Status.FINISHED
    # The stopped scan's run, if its worker ever comes back to it, does nothing
    assert services_duplicates.duplicate_scan_run(scan_id=running.pk) is None


def test_the_task_runs_a_waiting_scan_once(admin, people):
    scan = services_duplicates.duplicate_scan_start(actor=admin, run_in_background=False)
    result = duplicate_scan_task.enqueue(str(scan.pk))
    assert result.return_value == "finished"
    assert AuditEvent.objects.get(object_type="people.duplicatescan").via == "task"
    again = duplicate_scan_task.enqueue(str(scan.pk))
    assert again.return_value == "not waiting"
    assert DuplicateCandidate.objects.count() == 2


def test_the_page_starts_a_scan_in_the_background_and_shows_its_pairs(
    admin, people, signed_in_client, django_capture_on_commit_callbacks
):
    client = signed_in_client(user=admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/data-quality/duplicates/scans")
    assert response.status_code == 302
    scan = DuplicateScan.objects.get()
    assert scan.created_by == admin
    # Nothing runs until the request has committed; the page then shows the scan waiting
    assert len(callbacks) == 1
    assert scan.started_at is None
    progress = client.get("/data-quality/duplicates/scans/progress", HTTP_HX_REQUEST="true")
    assert progress.status_code == 200
    assert "0 of 0 groups compared" in progress.text
    callbacks[0]()  # the immediate backend runs the task here
    progress = client.get("/data-quality/duplicates/scans/progress", HTTP_HX_REQUEST="true")
    assert progress.status_code == 204
    assert progress["HX-Redirect"] == "/data-quality/duplicates"
    page = client.get("/data-quality/duplicates").text
    amira, typo = people["amira"]
    assert f"LA {amira.la_number}" in page
    assert f"LA {typo.la_number}" in page
    assert "2 possible duplicates" in page
    assert f"Scan started by {admin.display_name}" in page
    viewed = AuditEvent.objects.filter(object_type="people.duplicate_report", actor_id=admin.pk)
    assert str(typo.pk) in viewed.last().result_ids


def test_the_report_is_paged(admin, signed_in_client):
    twice = [
        ("Kacper", "Nowak", "Nowack", dt.date(2010, 2, 3)),
        ("Zofia", "Wiśniewska", "Wisniewska", dt.date(1975, 8, 19)),
        ("Wiktor", "Kowalczyk", "Kowalczik", dt.date(1999, 11, 27)),
    ]
    for given, family, misspelt, born in twice:
        factories.person(given, family, date_of_birth=born)
        factories.person(given, misspelt, date_of_birth=born)
    run_scan(actor=admin)
    first = selectors_duplicates.duplicate_report(user=admin, page=1, page_size=2)
    second = selectors_duplicates.duplicate_report(user=admin, page=2, page_size=2)
    assert (first.total, first.pages, len(first.pairs)) == (3, 2, 2)
    assert (second.page, len(second.pairs)) == (2, 1)
    assert not {p.first.pk for p in first.pairs} & {p.first.pk for p in second.pairs}
    assert "Next" not in signed_in_client(user=admin).get("/data-quality/duplicates").text


def test_only_data_quality_staff_may_see_or_run_scans(people, signed_in_client):
    worker = verified(factories.user("social_worker"))
    with pytest.raises(PermissionDenied):
        services_duplicates.duplicate_scan_start(actor=worker)
    with pytest.raises(PermissionDenied):
        selectors_duplicates.duplicate_report(user=worker)
    client = signed_in_client(user=worker)
    assert client.post("/data-quality/duplicates/scans").status_code == 403
    assert client.get("/data-quality/duplicates/scans/progress").status_code == 403
    assert client.post("/api/v1/duplicates/scans").status_code == 403
    assert client.get("/api/v1/duplicates/pairs").status_code == 403
    assert not DuplicateScan.objects.exists()


def test_the_api_starts_a_scan_reads_it_and_lists_pairs(
    admin, people, signed_in_client, django_capture_on_commit_callbacks
):
    client = signed_in_client(user=admin)
    assert client.get("/api/v1/duplicates/pairs").json()["scan"] is None
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/api/v1/duplicates/scans")
    assert started.status_code == 202
    body = started.json()
    assert (body["status"], body["waiting"], body["started_by"]) == (
        "running",
        True,
        admin.username,
    )
    scan = client.get(f"/api/v1/duplicates/scans/{body['id']}").json()
    assert scan["status"] == "finished"
    assert scan["percent"] == 100
    assert scan["pairs_found"] == 2
    pairs = client.get("/api/v1/duplicates/pairs").json()
    assert pairs["scan"]["id"] == body["id"]
    assert pairs["running"] is None
    assert pairs["total"] == 2
    amira, typo = people["amira"]
    top = {frozenset((p["first"]["la_number"], p["second"]["la_number"])) for p in pairs["results"]}
    assert numbers(amira, typo) in top
    assert all(p["score"] >= 80 and p["reasons"] for p in pairs["results"])
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/api/v1/duplicates/scans/{missing}").status_code == 404


def test_the_command_shows_a_counter_and_what_it_found(people):
    out = io.StringIO()
    call_command("duplicate_scan", "--groups-at-once", "1", stdout=out)
    text = out.getvalue()
    scan = DuplicateScan.objects.get()
    assert f"Groups compared: 1 of {scan.groups_total:,}" in text
    assert f"Groups compared: {scan.groups_total} of {scan.groups_total} (100%)" in text
    assert "2 possible duplicates found" in text
    assert scan.created_by is None
    entry = AuditEvent.objects.get(object_type="people.duplicatescan")
    assert (entry.actor_id, entry.via) == (None, "cli")
