"""Forms of the child in need journey (GOV.UK patterns). Choices are code lists in force today,
given by the views; the DfE rules are checked by the services, whose messages land on the
fields they name."""

import datetime as dt
from typing import Any

from django import forms

from kith.core.forms import GovukDateField, KithForm

YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _blank(choices: list[tuple[str, str]], text: str = "Choose") -> list[tuple[str, str]]:
    return [("", text), *choices]


def _radio(label: str, message: str, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=required,
        error_messages={"required": message},
    )


class _Choices(KithForm):
    """Sets ``choices`` on the fields named in the keyword arguments."""

    def __init__(self, *args: Any, choices: dict[str, list[tuple[str, str]]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, options in choices.items():
            field = self.fields[name]
            plain_select = type(field.widget) is forms.Select
            field.choices = _blank(options) if plain_select else options  # type: ignore[attr-defined]


class ContactForm(_Choices):
    team = forms.ChoiceField(label="Team taking the contact")
    received_date = GovukDateField(label="Date received")
    received_time = forms.CharField(
        label="Time received", help_text="For example, 14:30", max_length=5
    )
    source = forms.ChoiceField(label="Source of the contact (CIN referral source)")
    referrer = forms.CharField(label="Who got in touch", max_length=200)
    summary = forms.CharField(label="What the contact is about", widget=forms.Textarea)
    priority = forms.ChoiceField(
        label="Priority", choices=[("red", "Red"), ("amber", "Amber"), ("green", "Green")]
    )
    screening = forms.CharField(label="Screening", widget=forms.Textarea, required=False)

    def clean_received_time(self) -> dt.time:
        raw = self.cleaned_data["received_time"].strip()
        try:
            return dt.time.fromisoformat(raw if len(raw) > 4 else f"0{raw}")
        except ValueError as exc:
            raise forms.ValidationError("Enter the time as hours and minutes, like 14:30") from exc


class ContactDecisionForm(_Choices):
    decision = forms.ChoiceField(label="Decision")
    decided_on = GovukDateField(label="Date of the decision")
    reason = forms.CharField(label="Reasons", widget=forms.Textarea, required=False)
    primary_need = forms.ChoiceField(label="Primary need (for a referral)", required=False)
    early_help_organisation = forms.CharField(
        label="Who will provide early help", required=False, max_length=200
    )


class ReferralForm(_Choices):
    team = forms.ChoiceField(label="Team")
    referral_date = GovukDateField(label="Referral date")
    referral_source = forms.ChoiceField(label="Source of referral")
    primary_need = forms.ChoiceField(label="Primary need", required=False)
    referral_nfa = forms.BooleanField(label="No further action on the referral", required=False)


class ClosureForm(_Choices):
    closure_date = GovukDateField(label="Closure date")
    closure_reason = forms.ChoiceField(label="Reason for closure")


class AssessmentStartForm(KithForm):
    start_date = GovukDateField(label="Date the assessment started")
    child_seen_date = GovukDateField(label="Date the child was seen", required=False)


class AssessmentUpdateForm(_Choices):
    child_seen_date = GovukDateField(label="Date the child was seen", required=False)
    internal_review_date = GovukDateField(label="Internal review date", required=False)
    authorisation_date = GovukDateField(
        label="Authorisation date",
        required=False,
        help_text="The assessment is complete once authorised",
    )
    factors = forms.MultipleChoiceField(
        label="Factors identified at assessment",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Choose 21 (no factors identified) on its own",
    )
    outcome = forms.ChoiceField(label="Outcome", required=False)
    outcome_nfa = forms.BooleanField(label="No further action", required=False)


class StrategyDiscussionForm(KithForm):
    discussion_date = GovukDateField(label="Date of the discussion")
    attendees = forms.CharField(
        label="Who took part, and for which agencies", widget=forms.Textarea
    )
    start_s47 = _radio("Start a section 47 enquiry", "Select whether to start an enquiry")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)


class Section47StartForm(_Choices):
    start_date = GovukDateField(label="Date the enquiry started")
    strategy_discussion = forms.ChoiceField(label="Strategy discussion", required=False)


class Section47EndForm(_Choices):
    end_date = GovukDateField(label="Date the enquiry ended")
    outcome = forms.ChoiceField(label="Outcome")
    icpc_required = _radio(
        "Is an initial conference needed", "Select whether a conference is needed"
    )


class ConferenceForm(_Choices):
    conference_date = GovukDateField(label="Date of the conference")
    section47 = forms.ChoiceField(label="Section 47 enquiry it follows", required=False)
    transfer_in = forms.BooleanField(
        label="Transfer-in conference (a plan from another council)", required=False
    )
    cp_plan = _radio("Child protection plan", "Select whether a plan was decided")
    initial_category = forms.ChoiceField(label="Category of abuse", required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)


class CPReviewForm(_Choices):
    review_date = GovukDateField(label="Date of the review")
    continue_plan = _radio("Does the plan continue", "Select whether the plan continues")
    quorate = _radio("Was the conference quorate", "Select whether it was quorate")
    participation = forms.ChoiceField(label="Child's participation", required=False)
    latest_category = forms.ChoiceField(label="Latest category of abuse", required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)


class CoreGroupForm(KithForm):
    meeting_date = GovukDateField(label="Date of the meeting")
    attendees = forms.CharField(label="Who attended", widget=forms.Textarea)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)


class CINPlanStartForm(KithForm):
    start_date = GovukDateField(label="Date the plan started")


class CINPlanEndForm(KithForm):
    end_date = GovukDateField(label="Date the plan ended")


class PreProceedingsForm(_Choices):
    start_date = GovukDateField(label="Date pre-proceedings started")
    letter_before_proceedings_sent = GovukDateField(
        label="Letter before proceedings sent", required=False
    )
    fgdm_offered = _radio("Family group decision making meeting offered", "", required=False)
    fgdm_facilitated = _radio("Family group decision making meeting held", "", required=False)
    initial_meeting_date = GovukDateField(label="Initial pre-proceedings meeting", required=False)
    review_meetings = forms.IntegerField(label="Review meetings held", min_value=0, required=False)
    step_decision_date = GovukDateField(
        label="Date of the decision to step up or down", required=False
    )
    outcome = forms.ChoiceField(label="Outcome", required=False)
    court_application_date = GovukDateField(label="Date of the court application", required=False)
    letter_initial_cp_date = GovukDateField(
        label="Letter of intent (initial child protection) sent", required=False
    )
