"""The seed's recording phase: case notes, visits and forms on some of the open cases, written
through the recording and forms services as the allocated workers and their managers would.

On the first few allocated cases of every casework team (and the demo workers' first cases):
notes of varied types over the last months, some significant, some pinned, one group note
for siblings on the same caseload, a correction, a manager's oversight note; a case summary
(a note type needing a manager's approval) authorised, one waiting, one returned with
comments; the visit due completed by a recorded visit (the next one then falls due); forms
(the team's assessment) approved, waiting for approval and in draft; and a draft note for each
demo worker, so My unfinished work has something in it.

Every choice comes from its own random stream (``rng_for(seed, "<size>:recording")``) and the
cases in a fixed order, so the phases before are unchanged and the same seed gives the same
records. The visits and approvals change the work (steps completed, next visits, approval
steps): ``recording_seeded`` recounts it for the seed's summary. The phase runs at the sizes
written through the services (not at county size, whose work is written in bulk), and only
on a council that has its work.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kith.accounts.models import User
from kith.core import codelists
from kith.demo import selectors, selectors_recording, synthetic
from kith.demo.logins import DEMO_LOGINS
from kith.eforms import selectors as eforms_selectors
from kith.eforms import services as eforms
from kith.eforms.schema import top_questions
from kith.people.models import Person
from kith.recording import services as recording
from kith.recording import services_drafts
from kith.recording.models import NoteType, VisitType
from kith.work import services as work

Progress = Callable[[str, int, int], None]

CASES_PER_TEAM = {"small": 3, "medium": 5, "county": 3}
NOTES_PER_CASE = (2, 5)
NOTE_DAYS_BACK = 150
SIGNIFICANT_SHARE = 0.25
# Note types by service area, with their weights.
NOTE_TYPES = {
    "children": (
        ("case-note", 4),
        ("phone-call", 3),
        ("home-visit", 3),
        ("direct-work", 2),
        ("multi-agency", 2),
        ("email", 1),
        ("meeting", 1),
    ),
    "adults": (
        ("case-note", 4),
        ("phone-call", 4),
        ("home-visit", 2),
        ("office-visit", 1),
        ("multi-agency", 2),
        ("letter", 1),
        ("meeting", 1),
    ),
}
NARRATIVES = {
    "case-note": (
        "Updated the plan after talking with {name}'s family; actions agreed for the next month.",
        "Reviewed {name}'s file before the core group; no new concerns recorded.",
        "Checked in with {name}'s family about the support offered last week.",
    ),
    "phone-call": (
        "Phone call with {name}'s school: attendance this term is 91%, up from last term.",
        "Called the GP surgery about {name}'s appointments; two missed since the summer.",
        "{name}'s mother phoned to say the family support worker visit went well.",
    ),
    "home-visit": (
        "Visited {name} at home. The house was warm and tidy; {name} was relaxed and chatty.",
        "Home visit: {name} showed me their room and talked about friends at school.",
        "Saw {name} at home with family. Discussed routines and the plan's next steps.",
    ),
    "office-visit": ("{name} came to the office with their daughter to talk about support.",),
    "direct-work": (
        "Direct work with {name}: used the three houses tool; worries about arguments at home.",
        "Worked with {name} on a life story book; {name} chose photos to include.",
    ),
    "multi-agency": (
        "Multi-agency meeting with health and education about {name}; actions shared.",
        "Shared information with the police about {name} under the agreed protocol.",
    ),
    "email": ("Emailed the health visitor to arrange a joint visit to see {name}.",),
    "letter": ("Wrote to {name} to confirm the outcome of the review and next steps.",),
    "meeting": ("Planning meeting about {name} with the family and the team manager.",),
    "management-oversight": (
        "Management oversight: I have read the record. The plan for {name} is clear; "
        "visits are up to date. Next review of oversight in 4 weeks.",
    ),
    "case-summary": (
        "Case summary for {name}: the family have engaged well with the plan; risks have "
        "reduced over the last three months. Recommend continuing at the current level.",
    ),
}
GROUP_NOTE = "Saw {names} together at home; all were well and spoke about school and friends."
CORRECTION_REASON = "The date of the visit was recorded wrongly"
RETURN_COMMENT = "Please add what {name} said about contact, and the school's view."
AUTHORISE_COMMENT = "Agreed: a clear summary."
DRAFT_NOTE = "Called {name}'s school about the trip next week; waiting to hear back from"
VISIT_ITEM_CODES = {"cin-visit", "cp-visit", "cla-visit", "cla-visit-long-term", "care-plan-review"}
FORMS = {"children": "child-and-family-assessment", "adults": "care-act-needs-assessment"}


@dataclass
class RecordingSeedSummary:
    cases: int = 0
    notes: int = 0  # rows, one per person a note is for
    significant: int = 0
    pinned: int = 0
    group_notes: int = 0
    corrections: int = 0
    oversight_notes: int = 0
    notes_authorised: int = 0
    notes_awaiting_authorisation: int = 0
    notes_returned: int = 0
    note_drafts: int = 0
    visits: int = 0
    forms_approved: int = 0
    forms_awaiting_approval: int = 0
    forms_draft: int = 0
    seconds: float = 0.0


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class _Case:
    person: Person
    team_id: uuid.UUID
    service_area: str
    worker: User
    manager: User | None
    start_date: dt.date
    index: int  # the case's place among its team's chosen cases


def _chosen_cases(size: str, today: dt.date) -> list[_Case]:
    """The first allocated cases of each casework team (by LA number), and each demo
    worker's first case."""
    open_cases = [c for c in selectors.seed_open_cases(on=today) if c.worker_id is not None]
    teams = selectors.seed_teams(team_ids={c.team_id for c in open_cases})
    managers = selectors.seed_team_managers(team_ids=set(teams), on=today)
    demo = selectors_recording.seed_users_by_username(
        usernames={d.username for d in DEMO_LOGINS if d.role == "social_worker"}
    )
    demo_ids = {u.pk for u in demo.values()}
    picked: list[Any] = []
    per_team: dict[uuid.UUID, int] = {}
    demo_done: set[uuid.UUID] = set()
    for case in open_cases:
        if teams[case.team_id].service_area not in NOTE_TYPES:
            continue
        first_for_demo = case.worker_id in demo_ids and case.worker_id not in demo_done
        if per_team.get(case.team_id, 0) < CASES_PER_TEAM[size] or first_for_demo:
            picked.append(case)
            per_team[case.team_id] = per_team.get(case.team_id, 0) + 1
            if case.worker_id in demo_ids:
                demo_done.add(case.worker_id)
    people = selectors_recording.seed_people(person_ids={c.person_id for c in picked})
    workers = selectors.seed_users(user_ids={c.worker_id for c in picked})
    counted: dict[uuid.UUID, int] = {}
    chosen = []
    for case in picked:
        counted[case.team_id] = counted.get(case.team_id, 0) + 1
        chosen.append(
            _Case(
                person=people[case.person_id],
                team_id=case.team_id,
                service_area=teams[case.team_id].service_area,
                worker=_acting(workers[case.worker_id]),
                manager=_acting(managers[case.team_id]) if case.team_id in managers else None,
                start_date=case.start_date,
                index=counted[case.team_id] - 1,
            )
        )
    return chosen


def recording_seed(
    *, size: str, seed: int, today: dt.date, progress: Progress = _no_progress
) -> RecordingSeedSummary:
    started = time.monotonic()
    rng = synthetic.rng_for(seed, f"{size}:recording")
    summary = RecordingSeedSummary()
    if not selectors.seed_work_items_exist():
        return summary  # built on the work phase: a council seeded without it gets none
    cases = _chosen_cases(size, today)
    types = {t.code: t for t in NoteType.objects.all()}
    visit_types = {v.work_item_type: v for v in VisitType.objects.filter(active=True)}
    demo_ids = {
        u.pk
        for u in selectors_recording.seed_users_by_username(
            usernames={d.username for d in DEMO_LOGINS if d.role == "social_worker"}
        ).values()
    }
    open_people = {c.person.pk for c in cases}
    drafted: set[uuid.UUID] = set()
    for done, case in enumerate(cases, start=1):
        with transaction.atomic():
            _notes(case, rng, today, types, open_people, summary)
            _approval_notes(case, today, types, summary)
            _visit(case, rng, today, visit_types, summary)
            _form(case, rng, today, summary)
            if case.worker.pk in demo_ids and case.worker.pk not in drafted:
                _draft(case, today, summary)
                drafted.add(case.worker.pk)
        summary.cases += 1
        progress("recording", done, len(cases))
    summary.seconds = round(time.monotonic() - started, 1)
    return summary


def recording_seeded(
    recording_summary: RecordingSeedSummary, summary: Any, *, today: dt.date
) -> None:
    """Put the recording phase in the seed's summary, and recount the work it changed."""
    summary.recording = asdict(recording_summary)
    if not recording_summary.cases:
        return
    counts = selectors.seed_work_counts(on=today)
    summary.work_items = counts["items"]
    summary.work_open = counts["open"]
    summary.work_overdue = counts["overdue"]
    summary.work_unallocated = counts["unallocated"]
    summary.work_awaiting_authorisation = counts["awaiting_authorisation"]
    summary.work_completed = counts["completed"]


def recording_line(recording_summary: dict[str, Any]) -> str:
    """The command's line about the recording phase."""
    r = recording_summary
    if not r:
        return "Recording: none."
    return (
        f"Recording: {r['notes']:,} case notes on {r['cases']:,} cases in {r['seconds']}s "
        f"({r['significant']} significant, {r['pinned']} pinned, {r['group_notes']} for "
        f"siblings, {r['corrections']} corrected; case summaries {r['notes_authorised']} "
        f"authorised, {r['notes_awaiting_authorisation']} awaiting, {r['notes_returned']} "
        f"returned), {r['note_drafts']} draft notes, {r['visits']} visits recorded, forms "
        f"{r['forms_approved']} approved, {r['forms_awaiting_approval']} awaiting approval, "
        f"{r['forms_draft']} in draft."
    )


def _acting(user: User) -> User:
    """The worker (or manager) the seed writes as: as if signed in with both factors, so the
    access policy decides for them as it would in the browser."""
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    return user


def _day(rng: random.Random, case: _Case, today: dt.date, back: int = NOTE_DAYS_BACK) -> dt.date:
    earliest = max(case.start_date, today - dt.timedelta(days=back))
    return earliest + dt.timedelta(days=rng.randint(0, max(0, (today - earliest).days)))


def _text(code: str, rng: random.Random, person: Person) -> str:
    name = person.known_as or person.given_name
    return rng.choice(NARRATIVES[code]).format(name=name)


def _notes(
    case: _Case,
    rng: random.Random,
    today: dt.date,
    types: dict[str, NoteType],
    open_people: set[uuid.UUID],
    summary: RecordingSeedSummary,
) -> None:
    codes, weights = zip(*NOTE_TYPES[case.service_area], strict=True)
    made = []
    for n in range(rng.randint(*NOTES_PER_CASE)):
        code = rng.choices(codes, weights=weights)[0]
        significant = rng.random() < SIGNIFICANT_SHARE
        notes = recording.note_add(
            actor=case.worker,
            person=case.person,
            note_type=types[code],
            event_date=_day(rng, case, today),
            narrative=_text(code, rng, case.person),
            significant=significant,
            pinned=n == 0 and case.index % 2 == 0,
        )
        made.append(notes[0])
        summary.notes += 1
        summary.significant += significant
        summary.pinned += n == 0 and case.index % 2 == 0
    # Siblings on a caseload too: one note for them all.
    siblings = [
        pk
        for pk in selectors_recording.seed_siblings(person_id=case.person.pk)
        if pk in open_people
    ]
    if siblings:
        others = list(selectors_recording.seed_people(person_ids=set(siblings)).values())
        others.sort(key=lambda p: p.la_number)
        names = ", ".join(p.known_as or p.given_name for p in [case.person, *others])
        try:
            with transaction.atomic():
                group = recording.note_add(
                    actor=case.worker,
                    person=case.person,
                    note_type=types["home-visit"],
                    event_date=_day(rng, case, today, 30),
                    narrative=GROUP_NOTE.format(names=names),
                    significant=False,
                    also_for=others,
                )
        except (PermissionDenied, ValidationError):  # a sibling the worker may not change
            group = []
        if group:
            summary.group_notes += 1
            summary.notes += len(group)
    if case.index == 0 and made:
        note = made[-1]
        recording.note_correct(
            actor=case.worker,
            note=note,
            event_date=max(case.start_date, note.event_date - dt.timedelta(days=1)),
            reason=CORRECTION_REASON,
            requested_by=case.worker.display_name,
        )
        summary.corrections += 1
    if case.index == 0 and case.manager is not None:
        try:
            with transaction.atomic():
                recording.note_add(
                    actor=case.manager,
                    person=case.person,
                    note_type=types["management-oversight"],
                    event_date=_day(rng, case, today, 30),
                    narrative=_text("management-oversight", rng, case.person),
                    significant=False,
                )
        except (PermissionDenied, ValidationError):  # not a manager of a team working with them
            return
        summary.oversight_notes += 1
        summary.notes += 1


def _approval_notes(
    case: _Case, today: dt.date, types: dict[str, NoteType], summary: RecordingSeedSummary
) -> None:
    """On a team's first three cases: a case summary authorised, one waiting, one returned."""
    if case.index > 2 or case.manager is None:
        return
    notes = recording.note_add(
        actor=case.worker,
        person=case.person,
        note_type=types["case-summary"],
        event_date=today - dt.timedelta(days=2 + case.index),
        narrative=NARRATIVES["case-summary"][0].format(
            name=case.person.known_as or case.person.given_name
        ),
        significant=True,
    )
    summary.notes += len(notes)
    approval = recording.approval_for(notes[0])
    assert approval is not None
    if case.index == 0:
        work.work_item_authorise(
            actor=case.manager, item=approval.work_item, comment=AUTHORISE_COMMENT
        )
        summary.notes_authorised += 1
    elif case.index == 2:
        name = case.person.known_as or case.person.given_name
        work.work_item_return(
            actor=case.manager, item=approval.work_item, comment=RETURN_COMMENT.format(name=name)
        )
        summary.notes_returned += 1
    else:
        summary.notes_awaiting_authorisation += 1


def _visit(
    case: _Case,
    rng: random.Random,
    today: dt.date,
    visit_types: dict[str, VisitType],
    summary: RecordingSeedSummary,
) -> None:
    """The visit due first, recorded by the worker it is allocated to, on time."""
    items = selectors_recording.seed_open_visit_items(
        person_id=case.person.pk, codes=VISIT_ITEM_CODES & set(visit_types)
    )
    if not items:
        return
    item = items[0]
    worker = item.worker
    assert worker is not None
    latest = min(today, item.due_date or today)
    earliest = max(item.clock_start, latest - dt.timedelta(days=20))
    if earliest > latest:
        return
    day = earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days))
    child = recording.is_child_on(case.person, day)
    alone = rng.random() < 0.8
    name = case.person.known_as or case.person.given_name
    recording.visit_record(
        actor=_acting(worker),
        person=case.person,
        visit_type=visit_types[item.item_type.code],
        actual_date=day,
        seen=True,
        seen_alone=alone,
        bedroom_seen=(rng.random() < 0.7) if child else None,
        present="" if alone else "Their mother",
        notes=f"Saw {name}; talked about the plan and what is going well.",
    )
    summary.visits += 1


def _answer(q: dict[str, Any], rng: random.Random, today: dt.date, person: Person) -> Any:
    """A plausible answer to any question (the schema's types; files are left out)."""
    kind = q["type"]
    if kind == "text":
        return f"{person.full_name}" if "name" in q["key"] else "Noted in the visit"
    if kind == "long_text":
        return rng.choice(
            (
                "Discussed with the family; they agree with the plan.",
                "Seen at home. Strengths: warm relationships, good school attendance.",
                "Worries shared by school about punctuality; family working on routines.",
            )
        )
    if kind == "number":
        return str(int(q.get("min", 0)) + 1)
    if kind == "yes_no":
        return "yes"
    if kind == "date":
        day = today - dt.timedelta(days=rng.randint(3, 20))
        return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}
    if kind == "single_choice":
        return q["options"][0]["value"]
    if kind == "multiple_choice":
        return [q["options"][0]["value"]]
    if kind == "code_list":
        first = codelists.choices(q["code_list"])[0][0]
        return [first] if q.get("multiple") else first
    if kind == "repeating":
        return [
            {
                sub["key"]: _answer(sub, rng, today, person)
                for sub in q["questions"]
                if sub["type"] not in {"file", "person"}
            }
        ]
    return None


def _form(case: _Case, rng: random.Random, today: dt.date, summary: RecordingSeedSummary) -> None:
    """The team's assessment form on its first three cases: approved, waiting, a draft."""
    if case.index > 2 or case.manager is None:
        return
    definition = eforms_selectors.definition_by_code(code=FORMS[case.service_area])
    version = eforms_selectors.published_version(definition=definition) if definition else None
    if version is None:
        return
    submission = eforms.submission_start(actor=case.worker, person=case.person, version=version)
    answers = {
        q["key"]: _answer(q, rng, today, case.person)
        for q in top_questions(version.schema)
        if q["type"] not in {"file", "person"}
    }
    answers = {k: v for k, v in answers.items() if v is not None}
    if case.index == 2:
        half = dict(list(answers.items())[: len(answers) // 2])
        eforms.submission_save(actor=case.worker, submission=submission, answers=half)
        summary.forms_draft += 1
        return
    submission = eforms.submission_save(actor=case.worker, submission=submission, answers=answers)
    checked = eforms.submission_check(actor=case.worker, submission=submission)
    if not checked.ok:  # a form the answers above do not fit: leave it as a draft
        summary.forms_draft += 1
        return
    sent = eforms.submission_submit(actor=case.worker, submission=submission)
    if case.index == 0 and sent.work_item is not None:
        work.work_item_authorise(actor=case.manager, item=sent.work_item, comment="Agreed")
        summary.forms_approved += 1
    else:
        summary.forms_awaiting_approval += 1


def _draft(case: _Case, today: dt.date, summary: RecordingSeedSummary) -> None:
    name = case.person.known_as or case.person.given_name
    services_drafts.note_draft_save(
        actor=case.worker,
        person=case.person,
        draft_id=uuid.uuid5(uuid.NAMESPACE_URL, f"kith-demo-draft-{case.person.la_number}"),
        values=services_drafts.DraftValues.for_date(
            today, note_type_code="phone-call", narrative=DRAFT_NOTE.format(name=name)
        ),
    )
    summary.note_drafts += 1
