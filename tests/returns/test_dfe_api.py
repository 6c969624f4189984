"""The DfE CSC API feed against a real small HTTP server on 127.0.0.1 standing in for the DfE
(its token and children endpoints): batches, retries, deltas, purges and an idempotent re-run."""

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from kith.children import services_cin as cin
from kith.children import services_cla as cla
from kith.people import services as people
from kith.returns import dfe_api
from kith.returns.models import DfeApiBatch, DfeApiChild
from kith.returns.selectors_dfe_api import cohort_window_start
from tests import factories
from tests.children import cin_helpers

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


class FakeDfe:
    """What the stand-in server saw, and what it should answer next."""

    def __init__(self) -> None:
        self.tokens = 0
        self.posts: list[dict] = []
        self.script: list[int] = []  # statuses to answer before the 200s


def handler_for(fake: FakeDfe) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep the test output quiet
            pass

        def _answer(self, status: int, body: object, headers: dict[str, str] | None = None):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.path == "/oauth/token":
                form = dict(pair.split("=", 1) for pair in body.decode().split("&"))
                assert form["grant_type"] == "client_credentials"
                if form["client_secret"] != "s3cret":
                    self._answer(401, {"error": "invalid_client"})
                    return
                fake.tokens += 1
                self._answer(200, {"access_token": f"token-{fake.tokens}", "expires_in": 3600})
                return
            assert self.path == "/api/children_social_care_data/845/children", self.path
            fake.posts.append(
                {
                    "auth": self.headers["Authorization"],
                    "supplier": self.headers["SupplierKey"],
                    "children": json.loads(body),
                }
            )
            if fake.script:
                status = fake.script.pop(0)
                self._answer(status, {"detail": "slow down"}, {"Retry-After": "0"})
                return
            self._answer(200, f"receipt-{len(fake.posts)}")

    return Handler


@pytest.fixture
def fake_dfe(settings) -> Iterator[FakeDfe]:
    fake = FakeDfe()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(fake))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.KITH_DFE_API_URL = f"{base}/api"
    settings.KITH_DFE_API_LA_CODE = "845"
    settings.KITH_DFE_API_TOKEN_URL = f"{base}/oauth/token"
    settings.KITH_DFE_API_CLIENT_ID = "kith"
    settings.KITH_DFE_API_CLIENT_SECRET = "s3cret"
    settings.KITH_DFE_API_SUPPLIER_KEY = "supplier-1"
    settings.KITH_DFE_API_BACKOFF_SECONDS = 0.01
    yield fake
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def officer():
    return cin_helpers.verified(factories.user("performance_officer"))


def children_in_need(count: int):
    case = cin_helpers.case()
    made = [case.child]
    for n in range(count - 1):
        child = factories.person("Child", f"Number{n}", date_of_birth=dt.date(2015, 1, 1))
        made.append(child)
    for child in made:
        cin.referral_record(
            actor=None,
            person=child,
            team=case.team,
            referral_date=cin_helpers.working_days_ago(5),
            referral_source="1A",
            primary_need="N1",
        )
    return case, made


def sent_ids(fake: FakeDfe) -> list[str]:
    return [c["la_child_id"] for post in fake.posts for c in post["children"]]


def test_the_cohort_window_goes_back_24_months_to_1_april():
    assert cohort_window_start(dt.date(2026, 12, 5)) == dt.date(2024, 4, 1)
    assert cohort_window_start(dt.date(2026, 2, 10)) == dt.date(2023, 4, 1)
    assert cohort_window_start(dt.date(2026, 4, 1)) == dt.date(2024, 4, 1)


def test_a_childs_payload_follows_the_dfe_schema(officer):
    case = cin_helpers.case(sex="F", ethnicity="WBRI", disabilities=["NONE"])
    case.worker.swe_number = "SW123456"
    case.worker.save()
    episode = cin_helpers.referral(case, on=cin_helpers.working_days_ago(20))
    records = dfe_api.dfe_api_cohort(user=officer, today=TODAY)
    payload = dfe_api.child_payload(records, case.child.pk)
    assert payload["la_child_id"] == str(case.child.la_number)
    assert payload["mis_child_id"] == str(case.child.pk)
    assert payload["purge"] is False
    details = payload["child_details"]
    assert (details["first_name"], details["surname"], details["sex"]) == ("Mia", "Carter", "F")
    assert details["date_of_birth"] == "2016-04-02"
    assert details["ethnicity"] == "WBRI"
    [social] = payload["social_care_episodes"]
    assert social["social_care_episode_id"] == str(episode.pk)
    assert social["referral_date"] == cin_helpers.working_days_ago(20).isoformat()
    assert social["referral_source"] == "1A"
    assert social["care_worker_details"] == [
        {"worker_id": "SW123456", "start_date": "2024-01-01", "end_date": None}
    ]


def test_batches_of_100_a_429_tried_again_then_only_changes_and_purges(officer, fake_dfe):
    _case, made = children_in_need(101)
    fake_dfe.script = [429]
    result = dfe_api.dfe_api_send(actor=officer, today=TODAY)
    # two batches (100 + 1); the first was refused once with 429 and sent again
    assert [len(p["children"]) for p in fake_dfe.posts] == [100, 100, 1]
    assert fake_dfe.posts[0]["children"] == fake_dfe.posts[1]["children"]
    assert {p["supplier"] for p in fake_dfe.posts} == {"supplier-1"}
    assert {p["auth"] for p in fake_dfe.posts} == {"Bearer token-1"}
    assert result.counts == {
        "cohort": 101,
        "changed": 101,
        "purges": 0,
        "batches": 2,
        "accepted": 2,
        "failed": 0,
        "retries": 1,
    }
    batches = list(DfeApiBatch.objects.order_by("created_at"))
    assert [(b.status, b.attempts, b.receipt) for b in batches] == [
        ("accepted", 2, "receipt-2"),
        ("accepted", 1, "receipt-3"),
    ]
    assert DfeApiChild.objects.count() == 101

    # a re-run with nothing changed sends nothing
    fake_dfe.posts.clear()
    again = dfe_api.dfe_api_send(actor=officer, today=TODAY)
    assert fake_dfe.posts == []
    assert again.counts["batches"] == 0

    # one child changes, one is merged into another: one update, one purge
    people.person_update(actor=None, person=made[1], family_name="Renamed")
    people.person_merge(
        actor=cin_helpers.verified(factories.user("system_administrator")),
        survivor=made[2],
        merged=made[3],
        reason="Same child",
    )
    dfe_api.dfe_api_send(actor=officer, today=TODAY)
    [post] = fake_dfe.posts
    by_id = {c["la_child_id"]: c for c in post["children"]}
    assert by_id[str(made[1].la_number)]["child_details"]["surname"] == "Renamed"
    assert by_id[str(made[3].la_number)] == {
        "la_child_id": str(made[3].la_number),
        "mis_child_id": str(made[3].pk),
        "purge": True,
    }
    assert DfeApiChild.objects.get(person_id=made[3].pk).purged
    # the survivor's payload changed too (the merged child's episode is now theirs)
    assert str(made[2].la_number) in by_id
    fake_dfe.posts.clear()
    dfe_api.dfe_api_send(actor=officer, today=TODAY)
    assert fake_dfe.posts == []


def test_a_refused_batch_is_recorded_and_sent_again_next_time(officer, fake_dfe, settings):
    children_in_need(2)
    settings.KITH_DFE_API_ATTEMPTS = 3
    fake_dfe.script = [503, 503, 503]
    result = dfe_api.dfe_api_send(actor=officer, today=TODAY)
    assert result.counts["failed"] == 1
    [batch] = DfeApiBatch.objects.all()
    assert (batch.status, batch.attempts, batch.http_status) == ("failed", 3, 503)
    assert DfeApiChild.objects.count() == 0
    fake_dfe.posts.clear()
    dfe_api.dfe_api_send(actor=officer, today=TODAY)
    assert len(sent_ids(fake_dfe)) == 2
    assert DfeApiChild.objects.count() == 2


def test_a_401_gets_a_new_token(officer, fake_dfe):
    children_in_need(1)
    fake_dfe.script = [401]
    dfe_api.dfe_api_send(actor=officer, today=TODAY)
    assert [p["auth"] for p in fake_dfe.posts] == ["Bearer token-1", "Bearer token-2"]


def test_a_child_out_of_the_cohort_is_purged(officer, fake_dfe):
    c = cin_helpers.case()
    episode = cin_helpers.referral(c, on=cin_helpers.working_days_ago(5))
    dfe_api.dfe_api_send(actor=officer, today=TODAY)
    # three years on, the closed episode is older than the window
    cin.episode_close(
        actor=c.worker,
        episode=episode,
        closure_date=cin_helpers.working_days_ago(1),
        closure_reason="RC7",
    )
    fake_dfe.posts.clear()
    dfe_api.dfe_api_send(actor=officer, today=TODAY + dt.timedelta(days=3 * 365))
    [post] = fake_dfe.posts
    assert post["children"] == [
        {"la_child_id": str(c.child.la_number), "mis_child_id": str(c.child.pk), "purge": True}
    ]


def test_a_dry_run_writes_the_batches_and_sends_nothing(officer, tmp_path, settings):
    settings.KITH_DFE_API_URL = ""
    c = cla_helpers_child()
    result = dfe_api.dfe_api_send(actor=officer, dry_run=tmp_path / "dry", today=TODAY)
    [path] = result.files
    assert path.name == "batch-0001.json"
    [child] = json.loads(path.read_text())
    assert child["la_child_id"] == str(c.child.la_number)
    [episode] = child["social_care_episodes"]
    # in no CIN episode: an episode of its own, its id within the DfE's 36 characters
    assert episode["social_care_episode_id"].startswith("CLA")
    assert len(episode["social_care_episode_id"]) <= 36
    [placement] = episode["child_looked_after_placements"]
    assert (placement["placement_type"], placement["start_reason"]) == ("U4", "S")
    assert DfeApiChild.objects.count() == 0
    assert DfeApiBatch.objects.count() == 0


def cla_helpers_child():
    from tests.children import cla_helpers

    c = cla_helpers.child()
    cla_helpers.start(c, on=TODAY - dt.timedelta(days=30))
    cla.sdq_add(
        actor=cla_helpers.verified(c.worker),
        person=c.child,
        sdq_date=TODAY - dt.timedelta(days=10),
        score=14,
    )
    return c


def test_sending_without_settings_names_what_is_missing(officer, settings):
    children_in_need(1)
    settings.KITH_DFE_API_URL = ""
    with pytest.raises(ImproperlyConfigured, match="KITH_DFE_API_URL"):
        dfe_api.dfe_api_send(actor=officer, today=TODAY)


def test_the_command_prints_counters(officer, fake_dfe, capsys, tmp_path):
    children_in_need(2)
    call_command("returns", "dfe-api", "--user", officer.username, "--dry-run", str(tmp_path))
    out = capsys.readouterr().out
    assert "2 children to send (2 changed, 0 purges) in 1 batches" in out
    assert (tmp_path / "batch-0001.json").exists()
    call_command("returns", "dfe-api", "--user", officer.username)
    out = capsys.readouterr().out
    assert "1 batches accepted, 0 failed" in out
    assert len(fake_dfe.posts) == 1


def test_the_wrong_client_secret_is_a_clear_failure(officer, fake_dfe, settings):
    children_in_need(1)
    settings.KITH_DFE_API_CLIENT_SECRET = "wrong"
    settings.KITH_DFE_API_ATTEMPTS = 2
    result = dfe_api.dfe_api_send(actor=officer, today=TODAY)
    [batch] = DfeApiBatch.objects.all()
    assert batch.status == "failed"
    assert "refused the client credentials" in batch.error
    assert result.counts["failed"] == 1


def test_the_cohort_is_those_aged_25_or_under_with_activity_in_the_window(officer):
    young = factories.person("Young", "Leaver", date_of_birth=dt.date(2006, 3, 1))
    old = factories.person("Old", "Leaver", date_of_birth=dt.date(1990, 3, 1))
    for person in (young, old):
        cla.care_leaver_contact_add(
            actor=None,
            person=person,
            eligibility="former_relevant",
            contact_date=TODAY - dt.timedelta(days=10),
            in_touch="YES",
            accommodation="D1",
            activity="F2",
        )
    records = dfe_api.dfe_api_cohort(user=officer, today=TODAY)
    assert list(records.people) == [young.pk]
    [episode] = dfe_api.child_payload(records, young.pk)["social_care_episodes"]
    assert episode["care_leavers"]["contact_date"] == (TODAY - dt.timedelta(days=10)).isoformat()
