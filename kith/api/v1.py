"""The JSON API, version 1. Endpoints call selectors and services only."""

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import NinjaAPI, Query, Status
from ninja.security import SessionAuth

from kith.accounts.models import Team
from kith.accounts.selectors import user_current_memberships, user_is_signed_in
from kith.api.schemas import Contact, ErrorOut, PersonIn, PersonOut, SearchHitOut, SearchOut
from kith.people import selectors as people
from kith.work import services as work


class SignedInSession(SessionAuth):
    """A Kith session with its second factor verified (the same sign-in as the pages)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if user_is_signed_in(user=request.user) else None


api = NinjaAPI(
    title="Kith API",
    version="1",
    description="Kith's JSON API. Every call goes through the access policy and is audited.",
    auth=SignedInSession(),
    urls_namespace="api",
)


@api.exception_handler(people.PersonNotFound)
def not_found(request: HttpRequest, exc: Exception) -> Any:
    return api.create_response(request, {"detail": "Not found"}, status=404)


@api.exception_handler(people.RecordAccessDenied)
def access_denied(request: HttpRequest, exc: Exception) -> Any:
    return api.create_response(request, {"detail": "You cannot open this record"}, status=403)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: Exception) -> Any:
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> Any:
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=422)


@api.get("/people", response=SearchOut, tags=["people"], summary="Search the client index")
def people_search(request: HttpRequest, q: str = "", page: Query[int] = 1) -> dict[str, Any]:
    results = people.person_search(user=request.user, terms=q, page=page)
    return {
        "terms": results.terms,
        "total": results.total,
        "page": results.page,
        "pages": results.pages,
        "results": [
            SearchHitOut(
                id=hit.person.pk,
                la_number=hit.person.la_number,
                name=hit.person.full_name,
                year_of_birth=hit.year_of_birth,
                full_access=hit.full_access,
                person=PersonOut.from_orm(hit.person) if hit.full_access else None,
                contacts=[Contact(team=c.team, managers=c.managers) for c in hit.contacts],
            )
            for hit in results.hits
        ],
    }


@api.get(
    "/people/{person_id}",
    response={200: PersonOut, 403: ErrorOut, 404: ErrorOut},
    tags=["people"],
    summary="Read a person's record",
)
def person_read(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id)
    return person


@api.post(
    "/people",
    response={201: PersonOut, 403: ErrorOut, 422: ErrorOut},
    tags=["people"],
    summary="Add a person to one of your teams' caseloads",
)
def person_create(request: HttpRequest, payload: PersonIn) -> Any:
    membership = (
        user_current_memberships(user=request.user)  # type: ignore[arg-type]
        .filter(team_id=payload.team_id, team__kind=Team.Kind.TEAM)
        .first()
    )
    if membership is None:
        raise ValidationError("team_id must be one of your current teams")
    details = payload.dict(exclude={"team_id"})
    person = work.person_add_to_caseload(actor=request.user, team=membership.team, **details)  # type: ignore[arg-type]
    return Status(201, person)
