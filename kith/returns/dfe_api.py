"""The DfE children's social care API feed (the daily "CSC dashboard" data flow).

Per child a JSON payload in the DfE schema (``children-in-social-care-schemas`` v1.0.1):
identity, health and wellbeing (SDQs), and one social care episode per CIN episode with its
workers, assessments, plans, enquiries, placements, adoption and care leaver blocks. The
cohort is children aged 25 or under with activity since the 1 April 24 months or more back.

Only what changed is sent: the hash of each child's payload is kept once the DfE accepted it
(``DfeApiChild``), and a child whose payload hashes the same is left out. Children the DfE
holds that are no longer in the cohort — merged away, deleted, aged out, activity too old —
are sent as a purge (``{la_child_id, mis_child_id, purge: true}``). Batches hold at most 100
children; each is POSTed with an OAuth2 client-credentials bearer token and the SupplierKey
header, tried again on 401/403 (with a new token), 429 and 5xx with a growing wait, and its
outcome and receipt recorded (``DfeApiBatch``), so a re-run never sends again what was
accepted. ``dry_run`` writes the batches to files instead of sending them, and records nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from kith.returns.building import (
    BuildResult,
    Progress,
    audit_return_built,
    no_progress,
    require_returns_module,
)
from kith.returns.selectors_dfe_api import CohortRecords, dfe_api_children_sent, dfe_api_cohort
from kith.returns.services_dfe_api import SentChild, dfe_api_batch_record

COLLECTION = "dfe-api"
BATCH_SIZE = 100
RETRY_STATUSES = {401, 403, 429, 500, 502, 503, 504}
NEW_TOKEN_STATUSES = {401, 403}
MAX_WAIT_SECONDS = 60.0
TIMEOUT_SECONDS = 60
SETTINGS = {
    "KITH_DFE_API_URL": "the API's base URL",
    "KITH_DFE_API_LA_CODE": "the council's 3-digit DfE LA code",
    "KITH_DFE_API_TOKEN_URL": "the OAuth2 token URL",
    "KITH_DFE_API_CLIENT_ID": "the OAuth2 client id",
    "KITH_DFE_API_CLIENT_SECRET": "the OAuth2 client secret",
    "KITH_DFE_API_SUPPLIER_KEY": "the SupplierKey",
}


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _covers(start: dt.date, end: dt.date | None, first: dt.date, last: dt.date | None) -> bool:
    """Does [start, end] overlap [first, last] (open ends run on for ever)?"""
    return (last is None or start <= last) and (end is None or end >= first)


def _identifier(records: CohortRecords, person_id: uuid.UUID, kind: str) -> str | None:
    values = [i.value for i in records.identifiers.get(person_id, []) if i.kind == kind]
    return values[-1] if values else None


def child_payload(records: CohortRecords, person_id: uuid.UUID) -> dict[str, Any]:
    """The DfE payload for one child of the cohort."""
    person = records.people[person_id]
    uasc = records.uasc.get(person_id, [])
    latest_uasc = uasc[-1] if uasc else None
    details = {
        "unique_pupil_number": _identifier(records, person_id, "upn"),
        "former_unique_pupil_number": _identifier(records, person_id, "former_upn"),
        "unique_pupil_number_unknown_reason": None,
        "first_name": person.given_name,
        "surname": person.family_name,
        "date_of_birth": _date(person.date_of_birth),
        "expected_date_of_birth": _date(person.expected_date_of_birth),
        "sex": person.sex,
        "ethnicity": person.ethnicity or None,
        "disabilities": [d for d in (person.disabilities or []) if d][:12],
        "postcode": person.postcode or None,
        "uasc_flag": bool(latest_uasc and latest_uasc.ceased_date is None),
        "uasc_end_date": _date(latest_uasc.ceased_date) if latest_uasc else None,
        "purge": False,
    }
    wellbeing = {
        "sdq_assessments": [
            {"date": _date(s.sdq_date), "score": s.score}
            for s in records.sdq.get(person_id, [])
            if s.score is not None
        ],
        "purge": False,
    }
    return {
        "la_child_id": str(person.la_number),
        "mis_child_id": str(person.pk),
        "purge": False,
        "child_details": details,
        "health_and_wellbeing": wellbeing,
        "social_care_episodes": _episodes(records, person_id),
    }


def _episodes(records: CohortRecords, person_id: uuid.UUID) -> list[dict[str, Any]]:
    episodes = records.episodes.get(person_id, [])
    placements = records.placements.get(person_id, [])
    care_episodes = records.care_episodes.get(person_id, [])
    out: list[dict[str, Any]] = []
    placed_in: dict[uuid.UUID, uuid.UUID | str] = {}
    for placement in placements:
        # a placement belongs to the CIN episode open when it began (the latest such)
        home = [
            e
            for e in episodes
            if _covers(e.referral_date, e.closure_date, placement.start_date, placement.start_date)
        ]
        placed_in[placement.pk] = home[-1].pk if home else f"CLA{placement.period_id.hex}"
    allocations = records.allocations.get(person_id, [])

    def workers(first: dt.date, last: dt.date | None) -> list[dict[str, Any]]:
        return [
            {
                "worker_id": records.swe_numbers[a.worker_id][:12],
                "start_date": _date(a.start_date),
                "end_date": _date(a.end_date),
            }
            for a in allocations
            if a.worker_id in records.swe_numbers and _covers(a.start_date, a.end_date, first, last)
        ]

    def placement_rows(episode_key: uuid.UUID | str) -> list[dict[str, Any]]:
        rows = []
        for p in placements:
            if placed_in[p.pk] != episode_key:
                continue
            starts = [c for c in care_episodes if c.placement_id == p.pk]
            ends = [c for c in starts if c.dec is not None and c.rec != "X1"]
            rows.append(
                {
                    "child_looked_after_placement_id": str(p.pk),
                    "start_date": _date(p.start_date),
                    "start_reason": starts[0].rne if starts else None,
                    "placement_type": p.place,
                    "postcode": p.postcode or None,
                    "end_date": _date(p.end_date),
                    "end_reason": ends[-1].rec if ends else None,
                    "change_reason": p.change_reason or None,
                    "purge": False,
                }
            )
        return rows

    for episode in episodes:
        first, last = episode.referral_date, episode.closure_date
        out.append(
            {
                "social_care_episode_id": str(episode.pk),
                "referral_date": _date(episode.referral_date),
                "referral_source": episode.referral_source or None,
                "referral_no_further_action_flag": episode.referral_nfa,
                "closure_date": _date(episode.closure_date),
                "closure_reason": episode.closure_reason or None,
                "care_worker_details": workers(first, last),
                "child_and_family_assessments": [
                    {
                        "child_and_family_assessment_id": str(a.pk),
                        "start_date": _date(a.start_date),
                        "authorisation_date": _date(a.authorisation_date),
                        "factors": list(a.factors or [])[:41],
                        "purge": False,
                    }
                    for a in records.assessments.get(person_id, [])
                    if a.episode_id == episode.pk
                ],
                "child_in_need_plans": [
                    {
                        "child_in_need_plan_id": str(p.pk),
                        "start_date": _date(p.start_date),
                        "end_date": _date(p.end_date),
                        "purge": False,
                    }
                    for p in records.cin_plans.get(person_id, [])
                    if p.episode_id == episode.pk
                ],
                "section_47_assessments": [
                    _s47(records, person_id, s)
                    for s in records.enquiries.get(person_id, [])
                    if s.episode_id == episode.pk
                ],
                "child_protection_plans": [
                    {
                        "child_protection_plan_id": str(p.pk),
                        "start_date": _date(p.start_date),
                        "end_date": _date(p.end_date),
                        "purge": False,
                    }
                    for p in records.cp_plans.get(person_id, [])
                    if p.episode_id == episode.pk
                ],
                "child_looked_after_placements": placement_rows(episode.pk),
                "purge": False,
            }
        )
    # placements in no CIN episode: an episode of their own per period of care
    for key in dict.fromkeys(k for k in placed_in.values() if isinstance(k, str)):
        rows = placement_rows(key)
        first_day = min(dt.date.fromisoformat(r["start_date"]) for r in rows)
        out.append(
            {
                "social_care_episode_id": key,
                "referral_date": first_day.isoformat(),
                "care_worker_details": workers(first_day, None),
                "child_looked_after_placements": rows,
                "purge": False,
            }
        )
    if out:
        adoptions = records.adoptions.get(person_id, [])
        if adoptions:
            a = adoptions[-1]
            out[-1]["adoption"] = {
                "initial_decision_date": _date(a.adm_decision_date),
                "matched_date": _date(a.matched_date),
                "placed_date": _date(a.placed_date),
                "purge": False,
            }
        leavers = records.care_leavers.get(person_id, [])
        if leavers:
            c = leavers[-1]
            out[-1]["care_leavers"] = {
                "contact_date": _date(c.contact_date),
                "activity": c.activity or None,
                "accommodation": (c.accommodation or "")[:1] or None,
                "purge": False,
            }
    elif records.care_leavers.get(person_id):
        c = records.care_leavers[person_id][-1]
        out.append(
            {
                "social_care_episode_id": f"CL{person_id.hex}",
                "care_leavers": {
                    "contact_date": _date(c.contact_date),
                    "activity": c.activity or None,
                    "accommodation": (c.accommodation or "")[:1] or None,
                    "purge": False,
                },
                "purge": False,
            }
        )
    return out


def _s47(records: CohortRecords, person_id: uuid.UUID, s: Any) -> dict[str, Any]:
    conference = next(
        (c for c in records.conferences.get(person_id, []) if c.section47_id == s.pk), None
    )
    return {
        "section_47_assessment_id": str(s.pk),
        "start_date": _date(s.start_date),
        "icpc_required_flag": not s.icpc_not_required,
        "icpc_date": _date(conference.conference_date) if conference else None,
        "end_date": _date(s.end_date),
        "purge": False,
    }


def payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


@dataclass
class Change:
    """One child to send: a new or changed payload, or a purge."""

    person_id: uuid.UUID
    la_child_id: str
    payload: dict[str, Any]
    hash: str
    purge: bool


def changes(*, actor: Any, today: dt.date) -> tuple[list[Change], int]:
    """The children whose payload differs from what the DfE last accepted, and the purges;
    with the cohort's size."""
    records = dfe_api_cohort(user=actor, today=today)
    sent = dfe_api_children_sent(user=actor)
    found: list[Change] = []
    for person_id in records.people:
        payload = child_payload(records, person_id)
        digest = payload_hash(payload)
        before = sent.get(person_id)
        if before is None or before.purged or before.sent_hash != digest:
            found.append(Change(person_id, payload["la_child_id"], payload, digest, False))
    for person_id, before in sent.items():
        if person_id in records.people or before.purged:
            continue
        payload = {"la_child_id": before.la_child_id, "mis_child_id": str(person_id), "purge": True}
        found.append(Change(person_id, before.la_child_id, payload, payload_hash(payload), True))
    found.sort(key=lambda c: (c.purge, c.la_child_id.zfill(20)))
    return found, len(records.people)


def batches(found: list[Change]) -> list[list[Change]]:
    return [found[i : i + BATCH_SIZE] for i in range(0, len(found), BATCH_SIZE)]


# --- sending ---------------------------------------------------------------------------------


class DfeApiError(RuntimeError):
    """The DfE API could not be reached or refused the request (the message says why)."""


@dataclass(frozen=True)
class Endpoint:
    url: str
    la_code: str
    token_url: str
    client_id: str
    client_secret: str
    scope: str
    supplier_key: str
    attempts: int
    backoff: float

    @classmethod
    def from_settings(cls) -> Endpoint:
        missing = [
            f"{name} ({what})" for name, what in SETTINGS.items() if not getattr(settings, name)
        ]
        if missing:
            raise ImproperlyConfigured(
                "The DfE API is not set up: set " + ", ".join(missing) + " (operator guide)."
            )
        la_code = str(settings.KITH_DFE_API_LA_CODE)
        if not (la_code.isdigit() and len(la_code) <= 3):
            raise ImproperlyConfigured(
                f"KITH_DFE_API_LA_CODE must be the 3-digit DfE LA code, not {la_code!r}."
            )
        return cls(
            url=str(settings.KITH_DFE_API_URL).rstrip("/"),
            la_code=la_code,
            token_url=settings.KITH_DFE_API_TOKEN_URL,
            client_id=settings.KITH_DFE_API_CLIENT_ID,
            client_secret=settings.KITH_DFE_API_CLIENT_SECRET,
            scope=settings.KITH_DFE_API_SCOPE,
            supplier_key=settings.KITH_DFE_API_SUPPLIER_KEY,
            attempts=max(1, int(settings.KITH_DFE_API_ATTEMPTS)),
            backoff=float(settings.KITH_DFE_API_BACKOFF_SECONDS),
        )

    @property
    def children_url(self) -> str:
        return f"{self.url}/children_social_care_data/{int(self.la_code)}/children"


@dataclass
class Answer:
    status: int
    body: str
    retry_after: float | None = None


def _post(url: str, data: bytes, headers: dict[str, str]) -> Answer:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return Answer(response.status, response.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        retry_after = error.headers.get("Retry-After") if error.headers else None
        try:
            wait = float(retry_after) if retry_after else None
        except ValueError:
            wait = None
        return Answer(error.code, error.read().decode("utf-8", "replace"), wait)


class Client:
    """Talks to the DfE API: a bearer token from the token URL, then the children endpoint."""

    def __init__(self, endpoint: Endpoint, sleep: Any = time.sleep) -> None:
        self.endpoint = endpoint
        self.sleep = sleep
        self.token = ""

    def fetch_token(self) -> str:
        form = {
            "grant_type": "client_credentials",
            "client_id": self.endpoint.client_id,
            "client_secret": self.endpoint.client_secret,
        }
        if self.endpoint.scope:
            form["scope"] = self.endpoint.scope
        try:
            answer = _post(
                self.endpoint.token_url,
                urllib.parse.urlencode(form).encode(),
                {"Content-Type": "application/x-www-form-urlencoded"},
            )
        except urllib.error.URLError as error:
            raise DfeApiError(f"The DfE token URL could not be reached: {error.reason}") from error
        if answer.status != 200:
            raise DfeApiError(f"The DfE token URL refused the client credentials ({answer.status})")
        try:
            token = json.loads(answer.body)["access_token"]
        except (ValueError, KeyError, TypeError) as error:
            raise DfeApiError("The DfE token URL answered without an access_token") from error
        self.token = str(token)
        return self.token

    def send(self, body: bytes) -> tuple[Answer | None, int, str]:
        """POST one batch, trying again as the DfE asks; the last answer, attempts, error."""
        attempts = 0
        wait = self.endpoint.backoff
        answer: Answer | None = None
        error = ""
        while attempts < self.endpoint.attempts:
            attempts += 1
            try:
                if not self.token:
                    self.fetch_token()
                answer = _post(
                    self.endpoint.children_url,
                    body,
                    {
                        "Authorization": f"Bearer {self.token}",
                        "SupplierKey": self.endpoint.supplier_key,
                        "Content-Type": "application/json",
                    },
                )
                error = ""
            except (urllib.error.URLError, DfeApiError, TimeoutError) as failure:
                answer, error = None, str(getattr(failure, "reason", failure))
            if answer is not None and answer.status not in RETRY_STATUSES:
                break
            if answer is not None and answer.status in NEW_TOKEN_STATUSES:
                self.token = ""
            if attempts < self.endpoint.attempts:
                pause = answer.retry_after if answer and answer.retry_after is not None else wait
                self.sleep(min(pause, MAX_WAIT_SECONDS))
                wait *= 2
        return answer, attempts, error


def dfe_api_send(
    *,
    actor: Any,
    dry_run: Path | None = None,
    today: dt.date | None = None,
    progress: Progress = no_progress,
    client: Client | None = None,
) -> BuildResult:
    """Send the changed children and the purges to the DfE, in batches of 100 (or, with
    ``dry_run``, write the batches to files in that folder and send nothing)."""
    require_returns_module(actor)
    day = today or timezone.localdate()
    found, cohort = changes(actor=actor, today=day)
    groups = batches(found)
    counts = {
        "cohort": cohort,
        "changed": sum(1 for c in found if not c.purge),
        "purges": sum(1 for c in found if c.purge),
        "batches": len(groups),
        "accepted": 0,
        "failed": 0,
        "retries": 0,
    }
    progress(0, len(groups))
    files: list[Path] = []
    if dry_run is not None:
        dry_run.mkdir(parents=True, exist_ok=True)
        for old in dry_run.glob("batch-*.json"):
            old.unlink()
        for number, group in enumerate(groups, start=1):
            path = dry_run / f"batch-{number:04d}.json"
            path.write_text(json.dumps([c.payload for c in group], indent=2) + "\n")
            files.append(path)
            progress(number, len(groups))
        with transaction.atomic():
            audit_return_built(
                actor=actor,
                collection=COLLECTION,
                period=f"dry run {day.isoformat()}",
                person_ids=[str(c.person_id) for c in found],
            )
        return BuildResult(files=files, children=len(found), counts=counts)

    client = client or Client(Endpoint.from_settings())
    for number, group in enumerate(groups, start=1):
        body = json.dumps([c.payload for c in group], separators=(",", ":")).encode()
        answer, attempts, error = client.send(body)
        accepted = answer is not None and answer.status in {200, 201, 202, 204}
        counts["retries"] += attempts - 1
        counts["accepted" if accepted else "failed"] += 1
        if not accepted and answer is not None:
            error = f"HTTP {answer.status}: {answer.body[:500]}"
        dfe_api_batch_record(
            actor=actor,
            children=[SentChild(c.person_id, c.la_child_id, c.hash, c.purge) for c in group],
            body_hash=hashlib.sha256(body).hexdigest(),
            accepted=accepted,
            attempts=attempts,
            http_status=answer.status if answer else None,
            receipt=_receipt(answer.body) if accepted and answer else "",
            error=error,
        )
        progress(number, len(groups))
    return BuildResult(files=files, children=len(found), counts=counts)


def _receipt(body: str) -> str:
    """The DfE's receipt: a uuid, bare or in a JSON document."""
    try:
        value = json.loads(body) if body else ""
    except ValueError:
        return body.strip()
    if isinstance(value, dict):
        for key in ("receipt", "receipt_id", "id", "uuid"):
            if key in value:
                return str(value[key])
        return json.dumps(value, sort_keys=True)
    return str(value)
