"""Children looked after in the JSON API (a router added to ``kith.api.v1.api``). Endpoints
open the child through ``people.selectors.person_get`` and call the cla selectors and services
only; a broken SSDA903 rule is a 422 naming the rule."""

import datetime as dt
import uuid
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import Router, Schema, Status

from kith.access.policy import Do
from kith.api.schemas import ErrorOut
from kith.children import selectors_cla as selectors
from kith.children import services_cla as services
from kith.people import selectors as people

router = Router(tags=["children looked after"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class EpisodeOut(Schema):
    """One SSDA903 Episodes row, as derived."""

    id: uuid.UUID
    decom: dt.date
    rne: str
    ls: str
    cin: str
    place: str
    place_provider: str
    dec: dt.date | None
    rec: str
    reason_place_change: str
    home_post: str
    pl_post: str
    urn: str


class PlacementIn(Schema):
    place: str
    place_provider: str = ""
    provider_name: str = ""
    carer: str = ""
    urn: str = ""
    pl_post: str = ""
    home_post: str = ""
    intended_until_18: bool = False
    placed_outside_england: bool = False


class CareStartIn(Schema):
    start_date: dt.date
    ls: str
    cin: str
    placement: PlacementIn


class LegalStatusIn(Schema):
    on: dt.date
    ls: str


class PlacementChangeIn(Schema):
    on: dt.date
    placement: PlacementIn
    same_carer: bool
    reason_place_change: str = ""
    # A new legal status the same day (RNE B or U)
    ls: str = ""


class PlacementReturnIn(Schema):
    on: dt.date


class UascEndIn(Schema):
    ceased_date: dt.date


class DoloEndIn(Schema):
    end_date: dt.date


class CareEndIn(Schema):
    on: dt.date
    rec: str


class StatusOut(Schema):
    looked_after: bool
    since: dt.date | None
    legal_status: str
    legal_status_since: dt.date | None
    placement_type: str | None
    placement_start: dt.date | None
    next_review_due: dt.date | None
    next_visit_due: dt.date | None
    health_assessment_due: dt.date | None
    last_review: dt.date | None
    last_iro_contact: dt.date | None
    missing_now: bool


class LookedAfterOut(Schema):
    status: StatusOut
    episodes: list[EpisodeOut]


class ReviewIn(Schema):
    review_date: dt.date
    participation: str = ""
    cancelled: bool = False


class ReviewOut(Schema):
    id: uuid.UUID
    due_date: dt.date | None
    review_date: dt.date
    cancelled: bool
    participation: str


class IroContactIn(Schema):
    contact_date: dt.date
    iro_name: str = ""
    notes: str = ""


class HealthCheckIn(Schema):
    # health_assessment, dental_check, immunisations, development_check
    kind: str
    check_date: dt.date
    up_to_date: bool | None = None
    notes: str = ""


class SdqIn(Schema):
    sdq_date: dt.date
    score: int | None = None
    reason: str = ""


class WellbeingIn(Schema):
    recorded_on: dt.date
    substance_misuse: bool
    intervention_received: bool | None = None
    intervention_offered: bool | None = None
    convicted: bool | None = None


class MissingIn(Schema):
    kind: str  # M missing, A away without authorisation
    start_date: dt.date
    end_date: dt.date | None = None
    rhi_offered: bool | None = None
    rhi_accepted: bool | None = None


class UascIn(Schema):
    start_date: dt.date
    ceased_date: dt.date | None = None


class DoloIn(Schema):
    start_date: dt.date
    end_date: dt.date | None = None


class SwEpisodeIn(Schema):
    sw_id: str
    start_date: dt.date
    end_date: dt.date | None = None
    reason: str = ""


class SwDeriveIn(Schema):
    # Derive from the allocations that started on or before this day
    as_at: dt.date


class SwEpisodeOut(Schema):
    id: uuid.UUID
    sw_id: str
    start_date: dt.date
    end_date: dt.date | None
    reason: str


class AdoptionIn(Schema):
    adm_decision_date: dt.date
    placement_order_date: dt.date | None = None
    matched_date: dt.date | None = None
    placed_date: dt.date | None = None
    placed_ceased_date: dt.date | None = None
    placed_ceased_reason: str = ""
    decision_reversed_date: dt.date | None = None
    foster_care: str = ""
    nb_adoptr: str = ""
    sex_adoptr: str = ""
    ls_adoptr: str = ""


class AdoptionChangeIn(Schema):
    """A later stage of the journey: only the fields sent change."""

    adm_decision_date: dt.date | None = None
    placement_order_date: dt.date | None = None
    matched_date: dt.date | None = None
    placed_date: dt.date | None = None
    placed_ceased_date: dt.date | None = None
    placed_ceased_reason: str | None = None
    decision_reversed_date: dt.date | None = None
    foster_care: str | None = None
    nb_adoptr: str | None = None
    sex_adoptr: str | None = None
    ls_adoptr: str | None = None


class AdoptionOut(Schema):
    id: uuid.UUID
    adm_decision_date: dt.date
    placement_order_date: dt.date | None
    matched_date: dt.date | None
    placed_date: dt.date | None
    placed_ceased_date: dt.date | None
    placed_ceased_reason: str
    decision_reversed_date: dt.date | None
    foster_care: str
    nb_adoptr: str
    sex_adoptr: str
    ls_adoptr: str


class PreviousPermanenceIn(Schema):
    prev_perm: str
    la_perm: str = ""
    date_perm: dt.date | None = None


class CareLeaverIn(Schema):
    # eligible, relevant, former_relevant, qualifying
    eligibility: str
    contact_date: dt.date
    in_touch: str
    accommodation: str = ""
    activity: str = ""
    pathway_plan_review_date: dt.date | None = None
    personal_adviser: str = ""


class RecordedOut(Schema):
    id: uuid.UUID


def _episode_out(e: Any) -> EpisodeOut:
    return EpisodeOut(
        id=e.pk,
        decom=e.decom,
        rne=e.rne,
        ls=e.ls,
        cin=e.cin,
        place=e.place,
        place_provider=e.place_provider,
        dec=e.dec,
        rec=e.rec,
        reason_place_change=e.reason_place_change,
        home_post=e.home_post,
        pl_post=e.pl_post,
        urn=e.urn,
    )


def _status_out(s: Any) -> StatusOut:
    return StatusOut(
        looked_after=s.looked_after,
        since=s.since,
        legal_status=s.legal_status,
        legal_status_since=s.legal_status_since,
        placement_type=s.placement.place if s.placement else None,
        placement_start=s.placement.start_date if s.placement else None,
        next_review_due=s.next_review_due,
        next_visit_due=s.next_visit_due,
        health_assessment_due=s.health_assessment_due,
        last_review=s.last_review,
        last_iro_contact=s.last_iro_contact,
        missing_now=s.missing_now,
    )


def _placement(p: PlacementIn) -> services.PlacementDetails:
    return services.PlacementDetails(**p.dict())


def _edit(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person, _ = people.person_get(user=request.user, person_id=person_id, action=Do.EDIT)
    return person


def _episodes(request: HttpRequest, person: Any) -> list[EpisodeOut]:
    found = selectors.person_looked_after(user=request.user, person=person)
    return [_episode_out(e) for e in found.episodes]


@router.get(
    "/people/{person_id}/looked-after",
    response={200: LookedAfterOut, 403: ErrorOut, 404: ErrorOut},
    summary="The child's looked-after status and their SSDA903 episodes",
)
def looked_after_read(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person, decision = people.person_get(user=request.user, person_id=person_id)
    found = selectors.person_looked_after(user=request.user, person=person, decision=decision)
    assert found.status is not None
    return LookedAfterOut(
        status=_status_out(found.status), episodes=[_episode_out(e) for e in found.episodes]
    )


@router.post(
    "/people/{person_id}/looked-after/start",
    response={201: list[EpisodeOut], **ERRORS},
    summary="The child starts to be looked after (episode RNE S); reviews and visits fall due",
)
def care_start(request: HttpRequest, person_id: uuid.UUID, payload: CareStartIn) -> Any:
    person = _edit(request, person_id)
    services.care_start(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        start_date=payload.start_date,
        ls=payload.ls,
        cin=payload.cin,
        placement=_placement(payload.placement),
    )
    return Status(201, _episodes(request, person))


@router.post(
    "/people/{person_id}/looked-after/legal-status",
    response={201: list[EpisodeOut], **ERRORS},
    summary="A change of legal status: the episode ends X1 and an RNE L episode starts",
)
def legal_status_change(request: HttpRequest, person_id: uuid.UUID, payload: LegalStatusIn) -> Any:
    person = _edit(request, person_id)
    services.legal_status_change(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        on=payload.on,
        ls=payload.ls,
    )
    return Status(201, _episodes(request, person))


@router.post(
    "/people/{person_id}/looked-after/placement",
    response={201: list[EpisodeOut], **ERRORS},
    summary="A placement move (RNE P/T, or B/U with a legal status change the same day)",
)
def placement_change(request: HttpRequest, person_id: uuid.UUID, payload: PlacementChangeIn) -> Any:
    person = _edit(request, person_id)
    services.placement_change(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        on=payload.on,
        placement=_placement(payload.placement),
        same_carer=payload.same_carer,
        reason_place_change=payload.reason_place_change,
        ls=payload.ls,
    )
    return Status(201, _episodes(request, person))


@router.post(
    "/people/{person_id}/looked-after/placement/return",
    response={201: list[EpisodeOut], **ERRORS},
    summary="Back from a temporary placement (T0–T4) to the usual one (RNE P, 903 rule 383)",
)
def placement_return(request: HttpRequest, person_id: uuid.UUID, payload: PlacementReturnIn) -> Any:
    person = _edit(request, person_id)
    services.placement_return(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        on=payload.on,
    )
    return Status(201, _episodes(request, person))


@router.post(
    "/people/{person_id}/looked-after/end",
    response={201: list[EpisodeOut], **ERRORS},
    summary="The child ceases to be looked after (REC)",
)
def care_end(request: HttpRequest, person_id: uuid.UUID, payload: CareEndIn) -> Any:
    person = _edit(request, person_id)
    services.care_end(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        on=payload.on,
        rec=payload.rec,
    )
    return Status(201, _episodes(request, person))


@router.post(
    "/people/{person_id}/looked-after/reviews",
    response={201: ReviewOut, **ERRORS},
    summary="A looked-after review held or cancelled; the next review falls due",
)
def review_create(request: HttpRequest, person_id: uuid.UUID, payload: ReviewIn) -> Any:
    person = _edit(request, person_id)
    review = services.review_record(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        review_date=payload.review_date,
        participation=payload.participation,
        cancelled=payload.cancelled,
    )
    return Status(
        201,
        ReviewOut(
            id=review.pk,
            due_date=review.due_date,
            review_date=review.review_date,
            cancelled=review.cancelled,
            participation=review.participation,
        ),
    )


T = TypeVar("T")


def _found(row: T | None, row_id: uuid.UUID) -> T:
    """The child's row the request names, or not found (404) if it is not theirs."""
    if row is None:
        raise people.PersonNotFound(str(row_id))
    return row


def _recorded(row: Any) -> Any:
    return Status(201, RecordedOut(id=row.pk))


@router.post(
    "/people/{person_id}/looked-after/iro-contacts",
    response={201: RecordedOut, **ERRORS},
    summary="The IRO's contact with the child",
)
def iro_contact_create(request: HttpRequest, person_id: uuid.UUID, payload: IroContactIn) -> Any:
    person = _edit(request, person_id)
    return _recorded(
        services.iro_contact_add(actor=request.user, person=person, **payload.dict())  # type: ignore[arg-type]
    )


@router.post(
    "/people/{person_id}/looked-after/health-checks",
    response={201: RecordedOut, **ERRORS},
    summary="A health assessment, dental check or immunisations check",
)
def health_check_create(request: HttpRequest, person_id: uuid.UUID, payload: HealthCheckIn) -> Any:
    person = _edit(request, person_id)
    return _recorded(
        services.health_check_add(actor=request.user, person=person, **payload.dict())  # type: ignore[arg-type]
    )


@router.post(
    "/people/{person_id}/looked-after/sdq-scores",
    response={201: RecordedOut, **ERRORS},
    summary="A Strengths and Difficulties Questionnaire score (0–40) or the reason for none",
)
def sdq_create(request: HttpRequest, person_id: uuid.UUID, payload: SdqIn) -> Any:
    person = _edit(request, person_id)
    return _recorded(services.sdq_add(actor=request.user, person=person, **payload.dict()))  # type: ignore[arg-type]


@router.post(
    "/people/{person_id}/looked-after/wellbeing",
    response={201: RecordedOut, **ERRORS},
    summary="Substance misuse (and interventions) and convictions (OC2)",
)
def wellbeing_create(request: HttpRequest, person_id: uuid.UUID, payload: WellbeingIn) -> Any:
    person = _edit(request, person_id)
    return _recorded(
        services.wellbeing_add(actor=request.user, person=person, **payload.dict())  # type: ignore[arg-type]
    )


@router.post(
    "/people/{person_id}/looked-after/missing",
    response={201: RecordedOut, **ERRORS},
    summary="A missing or away period, with the return home interview",
)
def missing_create(request: HttpRequest, person_id: uuid.UUID, payload: MissingIn) -> Any:
    person = _edit(request, person_id)
    return _recorded(
        services.missing_record(actor=request.user, person=person, **payload.dict())  # type: ignore[arg-type]
    )


@router.put(
    "/people/{person_id}/looked-after/missing/{episode_id}",
    response={200: RecordedOut, **ERRORS},
    summary="Change a missing or away period (its end, the return home interview)",
)
def missing_update(
    request: HttpRequest, person_id: uuid.UUID, episode_id: uuid.UUID, payload: MissingIn
) -> Any:
    person = _edit(request, person_id)
    episode = _found(
        selectors.missing_get(user=request.user, person=person, episode_id=episode_id), episode_id
    )
    row = services.missing_record(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        episode=episode,
        **payload.dict(),
    )
    return RecordedOut(id=row.pk)


@router.post(
    "/people/{person_id}/looked-after/uasc",
    response={201: RecordedOut, **ERRORS},
    summary="Unaccompanied asylum-seeking child status (and the date it ceased)",
)
def uasc_create(request: HttpRequest, person_id: uuid.UUID, payload: UascIn) -> Any:
    person = _edit(request, person_id)
    return _recorded(services.uasc_record(actor=request.user, person=person, **payload.dict()))  # type: ignore[arg-type]


@router.post(
    "/people/{person_id}/looked-after/dolo",
    response={201: RecordedOut, **ERRORS},
    summary="A deprivation of liberty order",
)
def dolo_create(request: HttpRequest, person_id: uuid.UUID, payload: DoloIn) -> Any:
    person = _edit(request, person_id)
    return _recorded(services.dolo_record(actor=request.user, person=person, **payload.dict()))  # type: ignore[arg-type]


@router.patch(
    "/people/{person_id}/looked-after/uasc/{status_id}",
    response={200: RecordedOut, **ERRORS},
    summary="The date the child's UASC status ceased (DUC), on the status recorded",
)
def uasc_end(
    request: HttpRequest, person_id: uuid.UUID, status_id: uuid.UUID, payload: UascEndIn
) -> Any:
    person = _edit(request, person_id)
    status = _found(
        selectors.uasc_get(user=request.user, person=person, status_id=status_id), status_id
    )
    row = services.uasc_end(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        status=status,
        ceased_date=payload.ceased_date,
    )
    return RecordedOut(id=row.pk)


@router.patch(
    "/people/{person_id}/looked-after/dolo/{order_id}",
    response={200: RecordedOut, **ERRORS},
    summary="The date a deprivation of liberty order ended, on the order recorded",
)
def dolo_end(
    request: HttpRequest, person_id: uuid.UUID, order_id: uuid.UUID, payload: DoloEndIn
) -> Any:
    person = _edit(request, person_id)
    order = _found(
        selectors.dolo_get(user=request.user, person=person, order_id=order_id), order_id
    )
    row = services.dolo_end(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        order=order,
        end_date=payload.end_date,
    )
    return RecordedOut(id=row.pk)


@router.post(
    "/people/{person_id}/looked-after/sw-episodes",
    response={201: RecordedOut, **ERRORS},
    summary="A social worker episode recorded directly",
)
def sw_episode_create(request: HttpRequest, person_id: uuid.UUID, payload: SwEpisodeIn) -> Any:
    person = _edit(request, person_id)
    return _recorded(
        services.sw_episode_add(actor=request.user, person=person, **payload.dict())  # type: ignore[arg-type]
    )


@router.post(
    "/people/{person_id}/looked-after/sw-episodes/from-allocations",
    response={201: list[SwEpisodeOut], **ERRORS},
    summary="Derive the child's social worker episodes from their allocations",
)
def sw_episodes_derive(request: HttpRequest, person_id: uuid.UUID, payload: SwDeriveIn) -> Any:
    person = _edit(request, person_id)
    made = services.sw_episodes_from_allocations(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        as_at=payload.as_at,
    )
    return Status(
        201,
        [
            SwEpisodeOut(
                id=e.pk,
                sw_id=e.sw_id,
                start_date=e.start_date,
                end_date=e.end_date,
                reason=e.reason,
            )
            for e in made
        ],
    )


@router.post(
    "/people/{person_id}/looked-after/adoption",
    response={201: RecordedOut, **ERRORS},
    summary="The adoption journey: decision, placement order, match, placement, adopters",
)
def adoption_create(request: HttpRequest, person_id: uuid.UUID, payload: AdoptionIn) -> Any:
    person = _edit(request, person_id)
    return _recorded(
        services.adoption_record(actor=request.user, person=person, **payload.dict())  # type: ignore[arg-type]
    )


def _adoption_out(a: Any) -> AdoptionOut:
    return AdoptionOut(
        id=a.pk,
        adm_decision_date=a.adm_decision_date,
        placement_order_date=a.placement_order_date,
        matched_date=a.matched_date,
        placed_date=a.placed_date,
        placed_ceased_date=a.placed_ceased_date,
        placed_ceased_reason=a.placed_ceased_reason,
        decision_reversed_date=a.decision_reversed_date,
        foster_care=a.foster_care,
        nb_adoptr=a.nb_adoptr,
        sex_adoptr=a.sex_adoptr,
        ls_adoptr=a.ls_adoptr,
    )


@router.get(
    "/people/{person_id}/looked-after/adoption",
    response={200: list[AdoptionOut], 403: ErrorOut, 404: ErrorOut},
    summary="The child's adoption journeys: decision, placement order, match, placement, ceased",
)
def adoption_list(request: HttpRequest, person_id: uuid.UUID) -> Any:
    person, decision = people.person_get(user=request.user, person_id=person_id)
    found = selectors.person_adoption(user=request.user, person=person, decision=decision)
    return [_adoption_out(a) for a in found]


@router.patch(
    "/people/{person_id}/looked-after/adoption/{record_id}",
    response={200: AdoptionOut, **ERRORS},
    summary="A later stage of an adoption journey (only the fields sent change)",
)
def adoption_update(
    request: HttpRequest, person_id: uuid.UUID, record_id: uuid.UUID, payload: AdoptionChangeIn
) -> Any:
    person = _edit(request, person_id)
    record = _found(
        selectors.adoption_get(user=request.user, person=person, record_id=record_id), record_id
    )
    row = services.adoption_record(
        actor=request.user,  # type: ignore[arg-type]
        person=person,
        record=record,
        **payload.dict(exclude_unset=True),
    )
    return _adoption_out(row)


@router.post(
    "/people/{person_id}/looked-after/previous-permanence",
    response={201: RecordedOut, **ERRORS},
    summary="Permanence before this period of care (PrevPerm)",
)
def previous_permanence_create(
    request: HttpRequest, person_id: uuid.UUID, payload: PreviousPermanenceIn
) -> Any:
    person = _edit(request, person_id)
    return _recorded(
        services.previous_permanence_record(actor=request.user, person=person, **payload.dict())  # type: ignore[arg-type]
    )


@router.post(
    "/people/{person_id}/looked-after/care-leaver-contacts",
    response={201: RecordedOut, **ERRORS},
    summary="A care leaver's situation at the latest contact (OC3)",
)
def care_leaver_contact_create(
    request: HttpRequest, person_id: uuid.UUID, payload: CareLeaverIn
) -> Any:
    person = _edit(request, person_id)
    return _recorded(
        services.care_leaver_contact_add(actor=request.user, person=person, **payload.dict())  # type: ignore[arg-type]
    )
