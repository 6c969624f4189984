import datetime as dt
import uuid

from ninja import Schema


class Contact(Schema):
    team: str
    managers: list[str]


class PersonOut(Schema):
    id: uuid.UUID
    la_number: int
    given_name: str
    family_name: str
    known_as: str
    date_of_birth: dt.date | None
    sex: str
    postcode: str


class SearchHitOut(Schema):
    id: uuid.UUID
    la_number: int
    name: str
    year_of_birth: int | None
    full_access: bool
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
