"""Pages for the looked-after journey on a child's record: the Looked after tab and the forms
for one user action each (start, legal status change, placement move, end, review, health
check, IRO contact, SDQ score, missing period and its end, care leaver contact, wellbeing,
UASC and its end, DoLO and its end, social worker episode, previous permanence, and the
adoption journey stage by stage). Every
read goes through ``people.selectors.person_get`` and the cla selectors; writes call the cla
services, whose rule messages (named by their DfE code) show on the form's fields."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from kith.access.policy import Decision, Do, decide
from kith.accounts.models import User
from kith.children import selectors_cla as selectors
from kith.children import services_cla as services
from kith.children.forms_cla import (
    AdoptionCeasedForm,
    AdoptionDecisionForm,
    AdoptionMatchForm,
    AdoptionPlacedForm,
    AdoptionPlacementOrderForm,
    CareEndForm,
    CareLeaverForm,
    CareStartForm,
    DoloEndForm,
    DoloForm,
    HealthCheckForm,
    IroContactForm,
    LegalStatusForm,
    MissingEndForm,
    MissingForm,
    PlacementChangeForm,
    PlacementReturnForm,
    PreviousPermanenceForm,
    ReviewForm,
    SdqForm,
    SwEpisodeForm,
    UascEndForm,
    UascForm,
    WellbeingForm,
    yes_no_value,
)
from kith.children.models import CareLeaverContact, HealthCheck
from kith.core.forms import add_validation_errors
from kith.core.views import forbidden
from kith.people import selectors as people_selectors
from kith.people.models import Person
from kith.people.pages import render_person_page

TAB = "looked-after"


class _Refused(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _actor(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied("Sign in first.")
    return request.user


def _open(request: HttpRequest, person_id: uuid.UUID, action: Do = Do.VIEW) -> Any:
    try:
        return people_selectors.person_get(user=request.user, person_id=person_id, action=action)
    except people_selectors.PersonNotFound as exc:
        raise Http404("No such person") from exc
    except people_selectors.PersonMerged as merged:
        raise _Refused(
            HttpResponseRedirect(reverse("children:looked-after", args=[merged.survivor_id]))
        ) from merged
    except people_selectors.RecordAccessDenied as denied:
        raise _Refused(forbidden(request)) from denied


def _codes(*names: tuple[str, str]) -> dict[str, list[tuple[str, str]]]:
    found = {field: selectors.code_choices(list_name) for field, list_name in names}
    if "cin" in found:
        found["cin"] = [c for c in found["cin"] if c[0] not in {"N0", "N9"}]
    return found


PLACEMENT_CODES = (("place", "ssda903_place"), ("place_provider", "ssda903_place_provider"))


@require_GET
def looked_after(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        person, decision = _open(request, person_id)
    except _Refused as refused:
        return refused.response
    found = selectors.person_looked_after(user=request.user, person=person, decision=decision)
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="children/cla/looked_after.jinja",
        tab=TAB,
        context={
            "page_title": f"Looked after – {person.full_name}",
            "found": found,
            "status": found.status,
            "may_edit": decide(request.user, person.pk, Do.EDIT).allowed,
            "adopter_sexes": ADOPTER_SEXES,
        },
    )


def _form_page(
    request: HttpRequest,
    person: Person,
    decision: Decision,
    form: Any,
    *,
    title: str,
    submit: str,
    intro: str = "",
) -> HttpResponse:
    return render_person_page(
        request,
        person=person,
        decision=decision,
        template="children/cla/form.jinja",
        tab=TAB,
        context={
            "page_title": f"{title} – {person.full_name}",
            "form": form,
            "form_title": title,
            "form_intro": intro,
            "submit_text": submit,
            "cancel_url": reverse("children:looked-after", args=[person.pk]),
            "page_has_errors": bool(form.errors),
        },
    )


def _placement(data: dict[str, Any]) -> services.PlacementDetails:
    return services.PlacementDetails(
        place=data.get("place") or "",
        place_provider=data.get("place_provider") or "",
        provider_name=data.get("provider_name") or "",
        carer=data.get("carer") or "",
        urn=data.get("urn") or "",
        pl_post=data.get("pl_post") or "",
        home_post=data.get("home_post") or "",
        intended_until_18=bool(data.get("intended_until_18")),
    )


def _handle(
    request: HttpRequest,
    person_id: uuid.UUID,
    form_class: Any,
    codes: dict[str, list[tuple[str, str]]] | Callable[[Person], dict[str, list[tuple[str, str]]]],
    save: Any,
    *,
    title: str,
    submit: str,
    done: str,
    intro: str = "",
    initial: dict[str, Any] | Callable[[Person], dict[str, Any]] | None = None,
) -> HttpResponse:
    try:
        person, decision = _open(request, person_id, Do.EDIT)
    except _Refused as refused:
        return refused.response
    form = form_class(
        request.POST or None,
        codes=codes(person) if callable(codes) else codes,
        initial=initial(person) if callable(initial) else (initial or {}),
    )
    if request.method == "POST" and form.is_valid():
        try:
            save(_actor(request), person, form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return HttpResponseRedirect(reverse("children:looked-after", args=[person.pk]))
    return _form_page(request, person, decision, form, title=title, submit=submit, intro=intro)


@require_http_methods(["GET", "POST"])
def care_start(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.care_start(
            actor=actor,
            person=person,
            start_date=data["decom"],
            ls=data["ls"],
            cin=data["cin"],
            placement=_placement(data),
        )

    return _handle(
        request,
        person_id,
        CareStartForm,
        _codes(("ls", "ssda903_ls"), ("cin", "cin_need_codes"), *PLACEMENT_CODES),
        save,
        title="Start a period of care",
        submit="Start the period of care",
        done="The child is looked after. The first review, visit and health assessment are due.",
    )


@require_http_methods(["GET", "POST"])
def legal_status_change(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.legal_status_change(actor=actor, person=person, on=data["decom"], ls=data["ls"])

    return _handle(
        request,
        person_id,
        LegalStatusForm,
        _codes(("ls", "ssda903_ls")),
        save,
        title="Change of legal status",
        submit="Save the legal status",
        done="Legal status changed.",
    )


@require_http_methods(["GET", "POST"])
def placement_change(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.placement_change(
            actor=actor,
            person=person,
            on=data["decom"],
            placement=_placement(data),
            same_carer=data["same_carer"] == "yes",
            reason_place_change=data.get("reason_place_change") or "",
            ls=data.get("ls") or "",
        )

    return _handle(
        request,
        person_id,
        PlacementChangeForm,
        _codes(
            ("reason_place_change", "ssda903_reason_place_change"),
            ("ls", "ssda903_ls"),
            *PLACEMENT_CODES,
        ),
        save,
        title="Placement move",
        submit="Save the move",
        done="Placement changed. A statutory visit is due within a week.",
    )


@require_http_methods(["GET", "POST"])
def placement_return(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.placement_return(actor=actor, person=person, on=data["decom"])

    return _handle(
        request,
        person_id,
        PlacementReturnForm,
        {},
        save,
        title="Back to the usual placement",
        submit="Save the return",
        intro="The child goes back from the temporary placement to the placement they were in "
        "before it: the same carer, provider and postcode, as a new episode (reason P).",
        done="The child is back in their usual placement.",
    )


@require_http_methods(["GET", "POST"])
def care_end(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.care_end(actor=actor, person=person, on=data["dec"], rec=data["rec"])

    codes = _codes(("rec", "ssda903_rec"))
    codes["rec"] = [c for c in codes["rec"] if c[0] != "X1"]
    return _handle(
        request,
        person_id,
        CareEndForm,
        codes,
        save,
        title="End the period of care",
        submit="End the period of care",
        done="The child is no longer looked after.",
    )


@require_http_methods(["GET", "POST"])
def review_record(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.review_record(
            actor=actor,
            person=person,
            review_date=data["review_date"],
            participation=data.get("participation") or "",
            cancelled=bool(data.get("cancelled")),
        )

    return _handle(
        request,
        person_id,
        ReviewForm,
        _codes(("participation", "ssda903_review_code")),
        save,
        title="Record a looked-after review",
        submit="Save the review",
        done="Review recorded.",
    )


@require_http_methods(["GET", "POST"])
def health_check_record(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.health_check_add(
            actor=actor,
            person=person,
            kind=data["kind"],
            check_date=data["check_date"],
            up_to_date=yes_no_value(data.get("up_to_date")),
            notes=data.get("notes") or "",
        )

    # The "Record" link beside the health assessment due asks for a health assessment.
    kind = request.GET.get("kind", "")
    return _handle(
        request,
        person_id,
        HealthCheckForm,
        {"kind": list(HealthCheck.Kind.choices)},
        save,
        title="Record a health check",
        submit="Save the health check",
        done="Health check recorded.",
        intro="A health assessment completes the health assessment that is due.",
        initial={"kind": kind} if kind in HealthCheck.Kind.values else None,
    )


@require_http_methods(["GET", "POST"])
def iro_contact_record(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.iro_contact_add(
            actor=actor,
            person=person,
            contact_date=data["contact_date"],
            iro_name=data.get("iro_name") or "",
            notes=data.get("notes") or "",
        )

    return _handle(
        request,
        person_id,
        IroContactForm,
        {},
        save,
        title="Record an IRO contact",
        submit="Save the contact",
        done="IRO contact recorded.",
    )


@require_http_methods(["GET", "POST"])
def sdq_record(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.sdq_add(
            actor=actor,
            person=person,
            sdq_date=data["sdq_date"],
            score=data.get("score"),
            reason=data.get("reason") or "",
        )

    return _handle(
        request,
        person_id,
        SdqForm,
        _codes(("reason", "ssda903_oc2_sdq_reason")),
        save,
        title="Record an SDQ score",
        submit="Save the SDQ score",
        done="SDQ score recorded.",
    )


@require_http_methods(["GET", "POST"])
def missing_record(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.missing_record(
            actor=actor,
            person=person,
            kind=data["kind"],
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            rhi_offered=yes_no_value(data.get("rhi_offered")),
            rhi_accepted=yes_no_value(data.get("rhi_accepted")),
        )

    return _handle(
        request,
        person_id,
        MissingForm,
        {},
        save,
        title="Record a missing or away period",
        submit="Save the period",
        done="Missing or away period recorded.",
    )


@require_http_methods(["GET", "POST"])
def missing_end(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def episodes(person: Person) -> dict[str, list[tuple[str, str]]]:
        found = selectors.person_looked_after(user=request.user, person=person)
        return {
            "episode": [
                (
                    str(m.pk),
                    f"{'Missing' if m.kind == 'M' else 'Away'} from {m.start_date:%-d %B %Y}"
                    + (f" to {m.end_date:%-d %B %Y}" if m.end_date else " (still open)"),
                )
                for m in found.missing
            ]
        }

    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        episode = selectors.missing_get(
            user=request.user, person=person, episode_id=data["episode"]
        )
        if episode is None:
            raise ValidationError({"episode": "Select the missing or away period"})
        services.missing_record(
            actor=actor,
            person=person,
            episode=episode,
            kind=episode.kind,
            start_date=episode.start_date,
            end_date=data["end_date"],
            rhi_offered=yes_no_value(data.get("rhi_offered")),
            rhi_accepted=yes_no_value(data.get("rhi_accepted")),
        )

    return _handle(
        request,
        person_id,
        MissingEndForm,
        episodes,
        save,
        title="The child came back",
        submit="Save",
        done="Missing or away period updated.",
        intro="When the child came back, and the return home interview.",
    )


@require_http_methods(["GET", "POST"])
def care_leaver_record(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.care_leaver_contact_add(
            actor=actor,
            person=person,
            eligibility=data["eligibility"],
            contact_date=data["contact_date"],
            in_touch=data["in_touch"],
            accommodation=data.get("accommodation") or "",
            activity=data.get("activity") or "",
            pathway_plan_review_date=data.get("pathway_plan_review_date"),
            personal_adviser=data.get("personal_adviser") or "",
        )

    return _handle(
        request,
        person_id,
        CareLeaverForm,
        {
            "eligibility": list(CareLeaverContact.Eligibility.choices),
            **_codes(
                ("in_touch", "ssda903_oc3_in_touch"),
                ("accommodation", "ssda903_oc3_accom"),
                ("activity", "ssda903_oc3_activ"),
            ),
        },
        save,
        title="Record a care leaver contact",
        submit="Save the contact",
        done="Care leaver contact recorded.",
    )


@require_http_methods(["GET", "POST"])
def wellbeing_record(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.wellbeing_add(
            actor=actor,
            person=person,
            recorded_on=data["recorded_on"],
            substance_misuse=data["substance_misuse"] == "yes",
            intervention_received=yes_no_value(data.get("intervention_received")),
            intervention_offered=yes_no_value(data.get("intervention_offered")),
            convicted=yes_no_value(data.get("convicted")),
        )

    return _handle(
        request,
        person_id,
        WellbeingForm,
        {},
        save,
        title="Record substance misuse and convictions",
        submit="Save",
        done="Recorded.",
    )


@require_http_methods(["GET", "POST"])
def uasc_record(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.uasc_record(
            actor=actor,
            person=person,
            start_date=data["start_date"],
            ceased_date=data.get("ceased_date"),
        )

    return _handle(
        request,
        person_id,
        UascForm,
        {},
        save,
        title="Unaccompanied asylum-seeking child status",
        submit="Save the UASC status",
        done="UASC status recorded.",
    )


@require_http_methods(["GET", "POST"])
def dolo_record(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.dolo_record(
            actor=actor, person=person, start_date=data["start_date"], end_date=data.get("end_date")
        )

    return _handle(
        request,
        person_id,
        DoloForm,
        {},
        save,
        title="Record a deprivation of liberty order",
        submit="Save the order",
        done="Deprivation of liberty order recorded.",
    )


@require_http_methods(["GET", "POST"])
def sw_episode_record(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.sw_episode_add(
            actor=actor,
            person=person,
            sw_id=data["sw_id"],
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            reason=data.get("reason") or "",
        )

    return _handle(
        request,
        person_id,
        SwEpisodeForm,
        _codes(("reason", "ssda903_sw_reason")),
        save,
        title="Record a social worker episode",
        submit="Save the episode",
        done="Social worker episode recorded.",
    )


@require_http_methods(["GET", "POST"])
def previous_permanence_record(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.previous_permanence_record(
            actor=actor,
            person=person,
            prev_perm=data["prev_perm"],
            la_perm=data.get("la_perm") or "",
            date_perm=data.get("date_perm"),
        )

    return _handle(
        request,
        person_id,
        PreviousPermanenceForm,
        _codes(("prev_perm", "ssda903_prev_perm")),
        save,
        title="Record previous permanence",
        submit="Save",
        done="Previous permanence recorded.",
    )


def _row_once(get: Callable[[Person], Any], missing: str) -> Callable[[Person], Any]:
    """The child's row a page is about, read (and the read audited) once per request, however
    many times the form and the save ask for it; 404 if it is not theirs."""
    found: dict[str, Any] = {}

    def row(person: Person) -> Any:
        if "row" not in found:
            value = get(person)
            if value is None:
                raise Http404(missing)
            found["row"] = value
        return found["row"]

    return row


@require_http_methods(["GET", "POST"])
def uasc_end(request: HttpRequest, person_id: uuid.UUID, status_id: uuid.UUID) -> HttpResponse:
    status = _row_once(
        lambda person: selectors.uasc_get(user=request.user, person=person, status_id=status_id),
        "No such UASC status",
    )

    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.uasc_end(
            actor=actor, person=person, status=status(person), ceased_date=data["ceased_date"]
        )

    return _handle(
        request,
        person_id,
        UascEndForm,
        {},
        save,
        title="UASC status ceased",
        submit="Save the date",
        done="UASC status ceased.",
        initial=lambda person: {"ceased_date": status(person).ceased_date},
    )


@require_http_methods(["GET", "POST"])
def dolo_end(request: HttpRequest, person_id: uuid.UUID, order_id: uuid.UUID) -> HttpResponse:
    order = _row_once(
        lambda person: selectors.dolo_get(user=request.user, person=person, order_id=order_id),
        "No such order",
    )

    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.dolo_end(
            actor=actor, person=person, order=order(person), end_date=data["end_date"]
        )

    return _handle(
        request,
        person_id,
        DoloEndForm,
        {},
        save,
        title="End the deprivation of liberty order",
        submit="Save the end date",
        done="Deprivation of liberty order ended.",
        initial=lambda person: {"end_date": order(person).end_date},
    )


# --- Adoption --------------------------------------------------------------------------------

# AD1 SEX_ADOPTR in words (the code list has the codes alone).
ADOPTER_SEXES = {
    "M1": "a single man",
    "F1": "a single woman",
    "MM": "two men",
    "FF": "two women",
    "MF": "a man and a woman",
}


def _worded(choices: list[tuple[str, str]], words: dict[str, str]) -> list[tuple[str, str]]:
    return [
        (code, f"{code} – {words[code]}" if code in words else label) for code, label in choices
    ]


@require_http_methods(["GET", "POST"])
def adoption_record(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """The first stage: the agency decision maker's decision (a new adoption record)."""

    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.adoption_record(
            actor=actor, person=person, adm_decision_date=data["adm_decision_date"]
        )

    return _handle(
        request,
        person_id,
        AdoptionDecisionForm,
        {},
        save,
        title="Record an adoption decision",
        submit="Save the decision",
        done="Adoption decision recorded. Record the placement order, match and placement "
        "as they happen.",
        intro="The agency decision maker's decision that the child should be placed for "
        "adoption. The placement order, the match with adopters and the placement are "
        "recorded on this record later, from the Looked after tab.",
    )


@dataclass(frozen=True)
class AdoptionStage:
    form: Any
    title: str
    submit: str
    done: str
    fields: tuple[str, ...]
    intro: str = ""


ADOPTION_STAGES = {
    "decision": AdoptionStage(
        AdoptionDecisionForm,
        "Change the date of the adoption decision",
        "Save the decision",
        "Adoption decision changed.",
        ("adm_decision_date",),
    ),
    "placement-order": AdoptionStage(
        AdoptionPlacementOrderForm,
        "Record the placement order",
        "Save the placement order",
        "Placement order recorded.",
        ("placement_order_date",),
        "Record the change of legal status (E1, placement order granted) too.",
    ),
    "match": AdoptionStage(
        AdoptionMatchForm,
        "Record the match with adopters",
        "Save the match",
        "Match with adopters recorded.",
        ("matched_date", "nb_adoptr", "sex_adoptr", "ls_adoptr", "foster_care"),
    ),
    "placement": AdoptionStage(
        AdoptionPlacedForm,
        "Record the placement for adoption",
        "Save the placement",
        "Placement for adoption recorded.",
        ("placed_date",),
        "Record the move to the adopters as a placement move too (placement type A3 to A6).",
    ),
    "ceased": AdoptionStage(
        AdoptionCeasedForm,
        "The child ceased to be placed for adoption",
        "Save",
        "Recorded: the child ceased to be placed for adoption.",
        ("placed_ceased_date", "placed_ceased_reason", "decision_reversed_date"),
    ),
}


@require_http_methods(["GET", "POST"])
def adoption_stage(
    request: HttpRequest, person_id: uuid.UUID, record_id: uuid.UUID, stage: str
) -> HttpResponse:
    """A later stage of the adoption journey, recorded (or corrected) on its record."""
    step = ADOPTION_STAGES.get(stage)
    if step is None:
        raise Http404("No such stage of adoption")
    record = _row_once(
        lambda person: selectors.adoption_get(
            user=request.user, person=person, record_id=record_id
        ),
        "No such adoption record",
    )

    def save(actor: User, person: Person, data: dict[str, Any]) -> None:
        services.adoption_record(
            actor=actor,
            person=person,
            record=record(person),
            **{name: data.get(name) for name in step.fields},
        )

    codes = {
        "sex_adoptr": _worded(selectors.code_choices("ssda903_ad1_sex_adoptr"), ADOPTER_SEXES),
        **_codes(
            ("ls_adoptr", "ssda903_ad1_ls_adoptr"),
            ("placed_ceased_reason", "ssda903_reason_placed_ceased"),
        ),
    }
    return _handle(
        request,
        person_id,
        step.form,
        codes,
        save,
        title=step.title,
        submit=step.submit,
        done=step.done,
        intro=step.intro,
        initial=lambda person: {name: getattr(record(person), name) for name in step.fields},
    )
