"""The JSON API, version 1. Endpoints call selectors and services only."""

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Query, Status
from ninja.security import SessionAuth

from kith.access.policy import RECORD_MODULES, Do, user_modules
from kith.accounts.models import Team
from kith.accounts.selectors import user_current_memberships, user_is_signed_in
from kith.api.schemas import (
    AlertIn,
    AlertOut,
    AlertReviewIn,
    AllocationIn,
    Contact,
    EndIn,
    ErrorOut,
    IdentifierOut,
    InvolvementOut,
    PersonIn,
    PersonOut,
    PersonUpdateIn,
    RelationshipIn,
    RelationshipOut,
    SearchHitOut,
    SearchOut,
    WorkItemActionIn,
    WorkItemDetailOut,
    WorkItemEventOut,
    WorkItemIn,
    WorkItemOut,
)
from kith.eforms.api import router as eforms_router
from kith.people import selectors as people
from kith.people import services as people_services
from kith.work import selectors as work_selectors
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


@api.exception_handler(people.PersonMerged)
def merged(request: HttpRequest, exc: Exception) -> Any:
    survivor = exc.survivor_id if isinstance(exc, people.PersonMerged) else None
    return api.create_response(
        request,
        {"detail": f"This record was merged into {survivor}", "merged_into": str(survivor)},
        status=410,
    )


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
                score=round(hit.score, 1),
                reasons=hit.reasons,
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


@api.patch(
    "/people/{person_id}",
    response={200: PersonOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["people"],
    summary="Change a person's details (only the fields given)",
)
def person_update(request: HttpRequest, person_id: uuid.UUID, payload: PersonUpdateIn) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id, action=Do.EDIT)
    people_services.person_update(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        **payload.dict(exclude_unset=True),
    )
    person.refresh_from_db()
    return person


@api.get(
    "/people/{person_id}/identifiers",
    response={200: list[IdentifierOut], 403: ErrorOut, 404: ErrorOut},
    tags=["people"],
    summary="A person's identifiers (NHS number, UPNs, legacy ids)",
)
def person_identifiers(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id)
    return [
        IdentifierOut(
            id=i.pk, kind=i.kind, value=i.value, system=i.system, current=i.ended_at is None
        )
        for i in people.person_details(person=person).identifiers
    ]


def _relationship_out(related: people.RelatedPerson) -> RelationshipOut:
    theirs = related.relationship.inverse or related.relationship
    return RelationshipOut(
        id=related.relationship.pk,
        other_id=related.other.pk,
        other_la_number=related.other.la_number,
        other_name=related.other.full_name,
        they_are=related.label,
        kind=theirs.kind,
        they_hold_parental_responsibility=related.they_hold_parental_responsibility,
        they_are_main_carer=related.they_are_main_carer,
        start_date=related.relationship.start_date,
        end_date=related.relationship.end_date,
    )


@api.get(
    "/people/{person_id}/relationships",
    response={200: list[RelationshipOut], 403: ErrorOut, 404: ErrorOut},
    tags=["relationships"],
    summary="A person's family and network (what each other person is to them)",
)
def relationships_list(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id)
    family = people.person_family(user=request.user, person=person)
    return [_relationship_out(r) for r in family.current + family.past]


@api.post(
    "/people/{person_id}/relationships",
    response={201: RelationshipOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["relationships"],
    summary="Record a relationship; the inverse is recorded on the other person",
)
def relationship_add(request: HttpRequest, person_id: uuid.UUID, payload: RelationshipIn) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id, action=Do.EDIT)
    other = people.person_for_access_request(user=request.user, person_id=payload.other_id)
    if other is None:
        raise people.PersonNotFound(str(payload.other_id))
    theirs = people_services.relationship_add(
        actor=request.user,  # type: ignore[arg-type]
        person=other,
        other=person,
        kind=payload.kind,
        start_date=payload.start_date,
        parental_responsibility=payload.parental_responsibility,
        main_carer=payload.main_carer,
        note=payload.note,
    )
    assert theirs.inverse is not None
    family = people.person_family(user=request.user, person=person)
    mine = next(r for r in family.current if r.relationship.pk == theirs.inverse.pk)
    return Status(201, _relationship_out(mine))


@api.post(
    "/people/{person_id}/relationships/{relationship_id}/end",
    response={200: RelationshipOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["relationships"],
    summary="End a relationship (and its inverse)",
)
def relationship_end(
    request: HttpRequest, person_id: uuid.UUID, relationship_id: uuid.UUID, payload: EndIn
) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id, action=Do.EDIT)
    relationship = people.relationship_get(person=person, relationship_id=relationship_id)
    if relationship is None:
        raise people.PersonNotFound(str(relationship_id))
    people_services.relationship_end(
        actor=request.user,  # type: ignore[arg-type]
        relationship=relationship,
        end_date=payload.end_date,
    )
    family = people.person_family(user=request.user, person=person)
    return next(_relationship_out(r) for r in family.past if r.relationship.pk == relationship.pk)


def _alert_out(alert: Any) -> AlertOut:
    return AlertOut(
        id=alert.pk,
        kind=alert.kind,
        text=alert.text,
        review_date=alert.review_date,
        current=alert.ended_at is None,
    )


@api.get(
    "/people/{person_id}/alerts",
    response={200: list[AlertOut], 403: ErrorOut, 404: ErrorOut},
    tags=["alerts"],
    summary="A person's alerts, current first",
)
def alerts_list(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id)
    return [_alert_out(a) for a in people.person_details(person=person).alerts]


@api.post(
    "/people/{person_id}/alerts",
    response={201: AlertOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["alerts"],
    summary="Add an alert",
)
def alert_add(request: HttpRequest, person_id: uuid.UUID, payload: AlertIn) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id, action=Do.EDIT)
    alert = people_services.alert_add(actor=request.user, person=person, **payload.dict())  # type: ignore[arg-type]
    return Status(201, _alert_out(alert))


@api.post(
    "/people/{person_id}/alerts/{alert_id}/reviews",
    response={200: AlertOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["alerts"],
    summary="Review an alert: kept, changed or ended",
)
def alert_review(
    request: HttpRequest, person_id: uuid.UUID, alert_id: uuid.UUID, payload: AlertReviewIn
) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id, action=Do.EDIT)
    alert = people.alert_get(person=person, alert_id=alert_id)
    if alert is None:
        raise people.PersonNotFound(str(alert_id))
    people_services.alert_review(actor=request.user, alert=alert, **payload.dict())  # type: ignore[arg-type]
    alert.refresh_from_db()
    return _alert_out(alert)


# --- Work items and allocations ---


def _work_item_out(item: Any) -> WorkItemOut:
    today = timezone.localdate()
    return WorkItemOut(
        id=item.pk,
        person_id=item.person_id,
        type=item.item_type.code,
        type_name=item.item_type.name,
        status=item.status,
        clock_start=item.clock_start,
        due_date=item.due_date,
        due_date_fixed=item.due_date_fixed,
        team_id=item.team_id,
        team=item.team.name,
        worker_id=item.worker_id,
        worker=item.worker.display_name if item.worker else None,
        completed_on=item.completed_on,
        overdue=bool(item.is_open and item.due_date and item.due_date < today),
    )


def _work_item_detail(request: HttpRequest, item_id: uuid.UUID) -> WorkItemDetailOut:
    item = work_selectors.work_item_get(user=request.user, item_id=item_id)
    if item is None:
        raise people.PersonNotFound(str(item_id))
    history = [
        WorkItemEventOut(
            at=e.created_at,
            kind=e.kind,
            old_value=e.old_value,
            new_value=e.new_value,
            comment=e.comment,
            by=e.created_by.display_name if e.created_by else None,
        )
        for e in work_selectors.work_item_history(item=item)
    ]
    return WorkItemDetailOut(**_work_item_out(item).dict(), history=history)


@api.get(
    "/work-items/mine",
    response=list[WorkItemOut],
    tags=["work"],
    summary="My open work items, by due date",
)
def my_work_items(request: HttpRequest) -> Any:
    if not user_modules(request.user) & RECORD_MODULES:
        raise PermissionDenied("Your role does not give access to people's records.")
    return [_work_item_out(i) for i in work_selectors.my_work(user=request.user)["items"]]  # type: ignore[arg-type]


@api.get(
    "/people/{person_id}/work-items",
    response={200: list[WorkItemOut], 403: ErrorOut, 404: ErrorOut},
    tags=["work"],
    summary="A person's work items",
)
def person_work_items(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id)
    return [_work_item_out(i) for i in work_selectors.person_work_items(person=person)]


@api.post(
    "/people/{person_id}/work-items",
    response={201: WorkItemOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["work"],
    summary="Add a work item; its due date comes from the timescale rules",
)
def work_item_create(request: HttpRequest, person_id: uuid.UUID, payload: WorkItemIn) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id, action=Do.EDIT)
    item_type = next((t for t in work_selectors.work_item_types() if t.code == payload.type), None)
    if item_type is None:
        raise ValidationError(f"type: no work item type '{payload.type}'")
    team = next(
        (
            m.team
            for m in user_current_memberships(user=request.user)  # type: ignore[arg-type]
            if m.team_id == payload.team_id
        ),
        None,
    )
    if team is None:
        raise ValidationError("team_id must be one of your current teams")
    worker = None
    if payload.worker_id:
        worker = next(
            (u for u in work_selectors.team_workers(team=team) if u.pk == payload.worker_id), None
        )
        if worker is None:
            raise ValidationError("worker_id must be a member of the team")
    item = work.work_item_create(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        item_type=item_type,
        team=team,
        clock_start=payload.clock_start,
        worker=worker,
        note=payload.note,
    )
    return Status(201, _work_item_out(item))


@api.get(
    "/work-items/{item_id}",
    response={200: WorkItemDetailOut, 403: ErrorOut, 404: ErrorOut},
    tags=["work"],
    summary="A work item with its history",
)
def work_item_read(request: HttpRequest, item_id: uuid.UUID) -> Any:
    return _work_item_detail(request, item_id)


WORK_ITEM_ACTIONS = (
    "start",
    "complete",
    "authorise",
    "allocate",
    "reassign",
    "return",
    "cancel",
    "move-due-date",
)


@api.post(
    "/work-items/{item_id}/{action}",
    response={200: WorkItemDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["work"],
    summary="Act on a work item: " + ", ".join(WORK_ITEM_ACTIONS),
)
def work_item_act(
    request: HttpRequest, item_id: uuid.UUID, action: str, payload: WorkItemActionIn
) -> Any:
    if action not in WORK_ITEM_ACTIONS:
        raise people.PersonNotFound(action)
    item = work_selectors.work_item_get(user=request.user, item_id=item_id)
    if item is None:
        raise people.PersonNotFound(str(item_id))
    actor = request.user
    worker = None
    if payload.worker_id:
        worker = next(
            (u for u in work_selectors.team_workers(team=item.team) if u.pk == payload.worker_id),
            None,
        )
        if worker is None:
            raise ValidationError("worker_id must be a member of the item's team")
    if action == "start":
        work.work_item_start(actor=actor, item=item)  # type: ignore[arg-type]
    elif action == "complete":
        work.work_item_complete(actor=actor, item=item)  # type: ignore[arg-type]
    elif action == "authorise":
        work.work_item_authorise(actor=actor, item=item, comment=payload.comment)  # type: ignore[arg-type]
    elif action == "allocate":
        work.work_item_allocate(actor=actor, item=item, worker=worker, reason=payload.reason)  # type: ignore[arg-type]
    elif action == "reassign":
        if worker is None:
            raise ValidationError("worker_id is needed to reassign")
        work.work_item_reassign(actor=actor, item=item, worker=worker, comment=payload.comment)  # type: ignore[arg-type]
    elif action == "return":
        work.work_item_return(actor=actor, item=item, comment=payload.comment)  # type: ignore[arg-type]
    elif action == "cancel":
        work.work_item_cancel(actor=actor, item=item, reason=payload.reason)  # type: ignore[arg-type]
    else:
        if payload.due_date is None:
            raise ValidationError("due_date is needed to move the due date")
        work.work_item_move_due_date(
            actor=actor,  # type: ignore[arg-type]
            item=item,
            due_date=payload.due_date,
            reason=payload.reason,
        )
    return _work_item_detail(request, item_id)


def _involvement_out(involvement: Any) -> InvolvementOut:
    allocation = getattr(involvement, "current_allocation", None)
    return InvolvementOut(
        id=involvement.pk,
        team_id=involvement.team_id,
        team=involvement.team.name,
        start_date=involvement.start_date,
        priority=involvement.priority,
        worker_id=allocation.worker_id if allocation else None,
        worker=allocation.worker.display_name if allocation else None,
    )


@api.get(
    "/people/{person_id}/involvements",
    response={200: list[InvolvementOut], 403: ErrorOut, 404: ErrorOut},
    tags=["work"],
    summary="Teams working with the person and the worker allocated in each",
)
def person_involvements(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id)
    return [_involvement_out(i) for i in work_selectors.person_involvements(person=person)]


@api.post(
    "/people/{person_id}/involvements/{involvement_id}/allocation",
    response={200: InvolvementOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    tags=["work"],
    summary="Allocate (or reallocate) the person to a worker in the team",
)
def person_allocate(
    request: HttpRequest, person_id: uuid.UUID, involvement_id: uuid.UUID, payload: AllocationIn
) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id)
    involvement = work_selectors.involvement_get(person=person, involvement_id=involvement_id)
    if involvement is None:
        raise people.PersonNotFound(str(involvement_id))
    worker = next(
        (
            u
            for u in work_selectors.team_workers(team=involvement.team)
            if u.pk == payload.worker_id
        ),
        None,
    )
    if worker is None:
        raise ValidationError("worker_id must be a member of the team")
    work.person_allocate(
        actor=request.user,  # type: ignore[arg-type]
        involvement=involvement,
        worker=worker,
        reason=payload.reason,
    )
    if payload.priority and payload.priority != involvement.priority:
        work.involvement_set_priority(
            actor=request.user,  # type: ignore[arg-type]
            involvement=involvement,
            priority=payload.priority,
        )
    return next(
        _involvement_out(i)
        for i in work_selectors.person_involvements(person=person)
        if i.pk == involvement.pk
    )


api.add_router("/", eforms_router)
# Case notes and visits (kith.recording), in their own module.
from kith.api.recording import router as recording_router  # noqa: E402

api.add_router("", recording_router)
# Children looked after (kith.children, cla part), in its own module.
from kith.api.children_cla import router as children_cla_router  # noqa: E402

api.add_router("", children_cla_router)
# The child in need journey (kith.children, CIN part), in its own module.
from kith.api.children_cin import router as children_cin_router  # noqa: E402

api.add_router("", children_cin_router)
# Statutory returns (kith.returns): builds, their progress and files.
from kith.api.returns import router as returns_router  # noqa: E402

api.add_router("", returns_router)
# The duplicate scan and its pairs (kith.people, data quality staff), in their own module.
from kith.api.duplicates import router as duplicates_router  # noqa: E402

api.add_router("", duplicates_router)
