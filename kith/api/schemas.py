import datetime as dt
import uuid

from ninja import Schema


class Contact(Schema):
    team: str
    managers: list[str]


class IdentifierOut(Schema):
    id: uuid.UUID
    kind: str
    value: str
    system: str
    current: bool


class AlertOut(Schema):
    id: uuid.UUID
    kind: str
    text: str
    review_date: dt.date
    current: bool


class PersonOut(Schema):
    id: uuid.UUID
    la_number: int
    given_name: str
    middle_names: str
    family_name: str
    known_as: str
    date_of_birth: dt.date | None
    expected_date_of_birth: dt.date | None
    date_of_death: dt.date | None
    sex: str
    gender_identity: str
    ethnicity: str
    first_language: str
    interpreter_required: bool
    religion: str
    disabilities: list[str]
    communication_needs: str
    immigration_status: str
    postcode: str


class PersonUpdateIn(Schema):
    """Only the fields given are changed."""

    given_name: str | None = None
    middle_names: str | None = None
    family_name: str | None = None
    known_as: str | None = None
    date_of_birth: dt.date | None = None
    expected_date_of_birth: dt.date | None = None
    date_of_death: dt.date | None = None
    sex: str | None = None
    gender_identity: str | None = None
    ethnicity: str | None = None
    first_language: str | None = None
    interpreter_required: bool | None = None
    religion: str | None = None
    disabilities: list[str] | None = None
    communication_needs: str | None = None
    immigration_status: str | None = None


class RelationshipOut(Schema):
    id: uuid.UUID
    other_id: uuid.UUID
    other_la_number: int
    other_name: str
    they_are: str
    kind: str
    they_hold_parental_responsibility: bool
    they_are_main_carer: bool
    start_date: dt.date | None
    end_date: dt.date | None


class RelationshipIn(Schema):
    """``other_id`` is ``kind`` of this person (e.g. kind "parent": the other is their parent)."""

    other_id: uuid.UUID
    kind: str
    start_date: dt.date | None = None
    parental_responsibility: bool = False
    main_carer: bool = False
    note: str = ""


class EndIn(Schema):
    end_date: dt.date


class AlertIn(Schema):
    kind: str
    text: str
    review_date: dt.date


class AlertReviewIn(Schema):
    outcome: str
    note: str = ""
    next_review_date: dt.date | None = None
    text: str = ""


class SearchHitOut(Schema):
    id: uuid.UUID
    la_number: int
    name: str
    year_of_birth: int | None
    full_access: bool
    score: float
    reasons: list[str]
    person: PersonOut | None = None
    contacts: list[Contact] = []


class SearchOut(Schema):
    terms: str
    total: int
    page: int
    pages: int
    results: list[SearchHitOut]


class PersonIn(Schema):
    given_name: str
    family_name: str
    known_as: str = ""
    date_of_birth: dt.date | None = None
    sex: str = "U"
    postcode: str = ""
    team_id: uuid.UUID


class ErrorOut(Schema):
    detail: str


class WorkItemOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    type: str
    type_name: str
    status: str
    clock_start: dt.date
    due_date: dt.date | None
    due_date_fixed: bool
    team_id: uuid.UUID
    team: str
    worker_id: uuid.UUID | None
    worker: str | None
    completed_on: dt.date | None
    overdue: bool


class WorkItemEventOut(Schema):
    at: dt.datetime
    kind: str
    old_value: str
    new_value: str
    comment: str
    by: str | None


class WorkItemDetailOut(WorkItemOut):
    history: list[WorkItemEventOut]


class WorkItemIn(Schema):
    type: str
    team_id: uuid.UUID
    clock_start: dt.date | None = None
    worker_id: uuid.UUID | None = None
    note: str = ""


class WorkItemActionIn(Schema):
    """``worker_id`` for allocate/reassign (null: back to the team); ``reason`` for allocate,
    cancel and move-due-date; ``comment`` for return and reassign; ``due_date`` for
    move-due-date."""

    worker_id: uuid.UUID | None = None
    reason: str = ""
    comment: str = ""
    due_date: dt.date | None = None


class InvolvementOut(Schema):
    id: uuid.UUID
    team_id: uuid.UUID
    team: str
    start_date: dt.date
    priority: str
    worker_id: uuid.UUID | None
    worker: str | None


class AllocationIn(Schema):
    worker_id: uuid.UUID
    reason: str
    priority: str | None = None
