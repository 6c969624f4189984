"""Forms for the looked-after journey (GOV.UK patterns). Choices come from the SSDA903 code
lists in force today; the services check every rule again, by its DfE code."""

from typing import Any

from django import forms

from kith.core.forms import GovukDateField, KithForm

YES_NO = [("yes", "Yes"), ("no", "No")]


def _select(label: str, required: bool = True, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={"required": f"Select the {label.lower()}"},
    )


class _CodedForm(KithForm):
    """A form whose select fields take their choices from code lists: ``codes`` maps a field
    name to its (code, label) choices."""

    def __init__(self, *args: Any, codes: dict[str, list[tuple[str, str]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in codes.items():
            if name in self.fields:
                self.fields[name].choices = [("", "Select"), *choices]  # type: ignore[attr-defined]


class PlacementFields(_CodedForm):
    place = _select("Placement type")
    place_provider = _select(
        "Placement provider", required=False, help_text="None for temporary and Z11–Z14 placements"
    )
    provider_name = forms.CharField(label="Provider's name", required=False)
    carer = forms.CharField(label="Carer", required=False, help_text="Who the child lives with")
    urn = forms.CharField(
        label="Ofsted URN", required=False, help_text="For placements registered with Ofsted"
    )
    pl_post = forms.CharField(label="Placement postcode", required=False)
    home_post = forms.CharField(label="Home postcode", required=False)
    intended_until_18 = forms.BooleanField(
        label="This placement is intended to last until the child is 18", required=False
    )


class CareStartForm(PlacementFields):
    decom = GovukDateField(
        label="Date the child started to be looked after",
        error_messages={"required": "Enter the date the child started to be looked after"},
    )
    ls = _select("Legal status")
    cin = _select("Category of need")
    field_order = ["decom", "ls", "cin"]


class LegalStatusForm(_CodedForm):
    decom = GovukDateField(
        label="Date the legal status changed",
        error_messages={"required": "Enter the date the legal status changed"},
    )
    ls = _select("Legal status")


class PlacementChangeForm(PlacementFields):
    decom = GovukDateField(
        label="Date of the move", error_messages={"required": "Enter the date of the move"}
    )
    same_carer = forms.ChoiceField(
        label="Is the child staying with the same carer?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the carer stays the same"},
    )
    reason_place_change = _select("Reason for the placement change", required=False)
    ls = _select(
        "New legal status", required=False, help_text="Only if the legal status changes that day"
    )
    field_order = ["decom", "same_carer", "reason_place_change", "ls"]


class PlacementReturnForm(_CodedForm):
    decom = GovukDateField(
        label="Date the child went back to their usual placement",
        error_messages={"required": "Enter the date the child went back"},
    )


class CareEndForm(_CodedForm):
    dec = GovukDateField(
        label="Date the child ceased to be looked after",
        error_messages={"required": "Enter the date the child ceased to be looked after"},
    )
    rec = _select("Reason the child ceased to be looked after")


class ReviewForm(_CodedForm):
    review_date = GovukDateField(
        label="Date of the review", error_messages={"required": "Enter the date of the review"}
    )
    participation = _select(
        "How the child took part", required=False, help_text="PN0 for a child under 4"
    )
    cancelled = forms.BooleanField(label="The review was cancelled", required=False)


def _yes_no(label: str, help_text: str = "") -> forms.ChoiceField:
    """An optional yes/no answer (radios); blank means not known or not asked."""
    return forms.ChoiceField(
        label=label, choices=YES_NO, required=False, help_text=help_text, widget=forms.RadioSelect
    )


def yes_no_value(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class HealthCheckForm(_CodedForm):
    kind = _select("Kind of check")
    check_date = GovukDateField(
        label="Date of the check", error_messages={"required": "Enter the date of the check"}
    )
    up_to_date = _yes_no("Are the child's immunisations up to date?", "Immunisations checks only")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)


class IroContactForm(_CodedForm):
    contact_date = GovukDateField(
        label="Date of the contact", error_messages={"required": "Enter the date of the contact"}
    )
    iro_name = forms.CharField(label="Independent reviewing officer", required=False)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)


class SdqForm(_CodedForm):
    sdq_date = GovukDateField(
        label="Date of the questionnaire",
        error_messages={"required": "Enter the date of the questionnaire"},
    )
    # No bounds here: the SSDA903 rule (0 to 40) says what is wrong, by its code.
    score = forms.IntegerField(
        label="SDQ score",
        required=False,
        help_text="0 to 40; leave blank if there is no score",
        error_messages={"invalid": "The SDQ score must be a whole number"},
    )
    reason = _select("Reason for no score", required=False, help_text="Only if there is no score")


class MissingForm(_CodedForm):
    kind = forms.ChoiceField(
        label="Was the child missing or away?",
        choices=[("M", "Missing"), ("A", "Away without authorisation")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select missing or away"},
    )
    start_date = GovukDateField(
        label="Date the child went missing",
        error_messages={"required": "Enter the date the child went missing"},
    )
    end_date = GovukDateField(
        label="Date the child came back", required=False, help_text="Leave blank if still missing"
    )
    rhi_offered = _yes_no("Was a return home interview offered?")
    rhi_accepted = _yes_no("Was the return home interview accepted?")


class MissingEndForm(_CodedForm):
    episode = _select("Missing or away period")
    end_date = GovukDateField(
        label="Date the child came back",
        error_messages={"required": "Enter the date the child came back"},
    )
    rhi_offered = _yes_no("Was a return home interview offered?")
    rhi_accepted = _yes_no("Was the return home interview accepted?")


class CareLeaverForm(_CodedForm):
    eligibility = _select("Eligibility")
    contact_date = GovukDateField(
        label="Date of the latest contact",
        error_messages={"required": "Enter the date of the latest contact"},
    )
    in_touch = _select("Is the council in touch with the young person?")
    accommodation = _select("Accommodation", required=False)
    activity = _select("Main activity", required=False)
    pathway_plan_review_date = GovukDateField(
        label="Date of the next pathway plan review", required=False
    )
    personal_adviser = forms.CharField(label="Personal adviser", required=False)


class WellbeingForm(_CodedForm):
    recorded_on = GovukDateField(label="Date", error_messages={"required": "Enter the date"})
    substance_misuse = forms.ChoiceField(
        label="Does the child have a substance misuse problem?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child has a substance misuse problem"},
    )
    intervention_received = _yes_no("Did the child receive an intervention?")
    intervention_offered = _yes_no(
        "Was an intervention offered?", "Only if the child did not receive one"
    )
    convicted = _yes_no("Was the child convicted of an offence?")


class UascForm(_CodedForm):
    start_date = GovukDateField(
        label="Date UASC status started",
        error_messages={"required": "Enter the date UASC status started"},
    )
    ceased_date = GovukDateField(label="Date UASC status ceased", required=False)


class DoloForm(_CodedForm):
    start_date = GovukDateField(
        label="Date the order started",
        error_messages={"required": "Enter the date the order started"},
    )
    end_date = GovukDateField(label="Date the order ended", required=False)


class SwEpisodeForm(_CodedForm):
    sw_id = forms.CharField(
        label="Social worker ID",
        help_text="Their Social Work England registration number (SW…)",
        error_messages={"required": "Enter the social worker ID"},
    )
    start_date = GovukDateField(
        label="Date the social worker started",
        error_messages={"required": "Enter the date the social worker started"},
    )
    end_date = GovukDateField(label="Date the social worker ended", required=False)
    reason = _select("Reason for the change of social worker", required=False)


class PreviousPermanenceForm(_CodedForm):
    prev_perm = _select("Previous permanence option")
    la_perm = forms.CharField(label="Local authority that made the order", required=False)
    date_perm = GovukDateField(label="Date of the order", required=False)


class DoloEndForm(_CodedForm):
    end_date = GovukDateField(
        label="Date the order ended",
        error_messages={"required": "Enter the date the order ended"},
    )


class UascEndForm(_CodedForm):
    ceased_date = GovukDateField(
        label="Date UASC status ceased",
        help_text="No later than the child's 18th birthday",
        error_messages={"required": "Enter the date UASC status ceased"},
    )


# --- Adoption: one form for each stage of the journey ----------------------------------------


class AdoptionDecisionForm(_CodedForm):
    adm_decision_date = GovukDateField(
        label="Date of the decision that the child should be placed for adoption",
        help_text="The agency decision maker's decision",
        error_messages={
            "required": "Enter the date of the decision that the child should be placed for "
            "adoption"
        },
    )


class AdoptionPlacementOrderForm(_CodedForm):
    placement_order_date = GovukDateField(
        label="Date of the placement order",
        error_messages={"required": "Enter the date of the placement order"},
    )


class AdoptionMatchForm(_CodedForm):
    matched_date = GovukDateField(
        label="Date the child was matched with the adopters",
        error_messages={"required": "Enter the date the child was matched with the adopters"},
    )
    nb_adoptr = forms.ChoiceField(
        label="One adopter or a couple?",
        choices=[("1", "One adopter"), ("2", "A couple")],
        required=False,
        widget=forms.RadioSelect,
    )
    sex_adoptr = _select("Sex of the adopters", required=False)
    ls_adoptr = _select(
        "Legal status of the adopters", required=False, help_text="L0 for a single adopter"
    )
    foster_care = forms.ChoiceField(
        label="Are the adopters the child's foster carers?",
        choices=[("1", "Yes"), ("0", "No")],
        required=False,
        widget=forms.RadioSelect,
    )


class AdoptionPlacedForm(_CodedForm):
    placed_date = GovukDateField(
        label="Date the child was placed for adoption",
        error_messages={"required": "Enter the date the child was placed for adoption"},
    )


class AdoptionCeasedForm(_CodedForm):
    placed_ceased_date = GovukDateField(
        label="Date the child ceased to be placed for adoption",
        help_text="The adoption order, or the day the plan for adoption ended",
        error_messages={"required": "Enter the date the child ceased to be placed for adoption"},
    )
    placed_ceased_reason = _select("Reason the child ceased to be placed for adoption")
    decision_reversed_date = GovukDateField(
        label="Date the decision was reversed",
        required=False,
        help_text="Only if the agency decision maker reversed the decision",
    )
