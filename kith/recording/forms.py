"""Forms for case notes and visits (GOV.UK patterns: errors name what is wrong)."""

import datetime as dt
from typing import Any

from django import forms

from kith.core.forms import GovukDateField, KithForm

YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class NoteForm(KithForm):
    note_type = forms.ChoiceField(
        label="Type of note", error_messages={"required": "Select the type of note"}
    )
    event_date = GovukDateField(
        label="Date it happened",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date it happened"},
    )
    narrative = forms.CharField(
        label="Note", widget=forms.Textarea, error_messages={"required": "Enter the note"}
    )
    significant = forms.BooleanField(
        label="This is a significant event",
        required=False,
        help_text="Significant events appear in the person's chronology",
    )
    pinned = forms.BooleanField(
        label="Pin this note", required=False, help_text="Pinned notes appear at the top"
    )
    also_for = forms.MultipleChoiceField(
        label="Also record this note for",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each person chosen gets the same note, linked so a correction applies to all",
    )

    def __init__(
        self,
        *args: Any,
        types: list[tuple[str, str]],
        people: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note_type"].choices = [("", "Select a type"), *types]  # type: ignore[attr-defined]
        if people:
            self.fields["also_for"].choices = people  # type: ignore[attr-defined]
        else:
            del self.fields["also_for"]

    def clean_event_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("event_date")
        if value is None:
            raise forms.ValidationError("Enter the date it happened")
        return value


class CorrectionForm(KithForm):
    narrative = forms.CharField(
        label="Corrected note",
        widget=forms.Textarea,
        error_messages={"required": "Enter the corrected note"},
    )
    event_date = GovukDateField(
        label="Date it happened", error_messages={"required": "Enter the date it happened"}
    )
    significant = forms.BooleanField(label="This is a significant event", required=False)
    reason = forms.CharField(
        label="Why is the note being corrected",
        widget=forms.Textarea,
        help_text="The original stays on the record, with your reason",
        error_messages={"required": "Enter why the note is being corrected"},
    )
    requested_by = forms.CharField(
        label="Who asked for the correction",
        help_text="For example, the team manager, or you",
        error_messages={"required": "Enter who asked for the correction"},
    )

    def clean_event_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("event_date")
        if value is None:
            raise forms.ValidationError("Enter the date it happened")
        return value


class AmendForm(KithForm):
    narrative = forms.CharField(
        label="Amended note",
        widget=forms.Textarea,
        error_messages={"required": "Enter the amended note"},
    )
    event_date = GovukDateField(
        label="Date it happened", error_messages={"required": "Enter the date it happened"}
    )
    significant = forms.BooleanField(label="This is a significant event", required=False)

    def clean_event_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("event_date")
        if value is None:
            raise forms.ValidationError("Enter the date it happened")
        return value


class DeletionForm(KithForm):
    reason = forms.CharField(
        label="Why is the note being deleted",
        widget=forms.Textarea,
        help_text="The note leaves the record; managers can still see it, with your reason",
        error_messages={"required": "Enter why the note is being deleted"},
    )
    requested_by = forms.CharField(
        label="Who asked for the deletion",
        error_messages={"required": "Enter who asked for the deletion"},
    )


class NoteFilterForm(forms.Form):
    type = forms.MultipleChoiceField(
        label="Types of note", required=False, widget=forms.CheckboxSelectMultiple
    )
    significant = forms.BooleanField(label="Significant events only", required=False)
    date_from = GovukDateField(label="From date", required=False)
    date_to = GovukDateField(label="To date", required=False)

    def __init__(self, *args: Any, types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = types  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The to date must be the same as or after the from date")
        return cleaned


class VisitPlanForm(KithForm):
    visit_type = forms.ChoiceField(
        label="Type of visit", error_messages={"required": "Select the type of visit"}
    )
    planned_date = GovukDateField(
        label="Date of the planned visit",
        error_messages={"required": "Enter the date of the planned visit"},
    )

    def __init__(self, *args: Any, types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visit_type"].choices = [("", "Select a type"), *types]  # type: ignore[attr-defined]

    def clean_planned_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("planned_date")
        if value is None:
            raise forms.ValidationError("Enter the date of the planned visit")
        return value


class VisitRecordForm(KithForm):
    visit_type = forms.ChoiceField(
        label="Type of visit", error_messages={"required": "Select the type of visit"}
    )
    actual_date = GovukDateField(
        label="Date of the visit", error_messages={"required": "Enter the date of the visit"}
    )
    seen = forms.ChoiceField(
        label="Were they seen",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they were seen"},
    )
    seen_alone = forms.ChoiceField(
        label="Were they seen alone", choices=YES_NO, widget=forms.RadioSelect, required=False
    )
    bedroom_seen = forms.ChoiceField(
        label="Was their bedroom seen", choices=YES_NO, widget=forms.RadioSelect, required=False
    )
    present_people = forms.MultipleChoiceField(
        label="Who else was there, from their family and household",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    present = forms.CharField(
        label="Anyone else who was there",
        required=False,
        help_text="For example, a foster carer, an interpreter, a health visitor",
    )
    notes = forms.CharField(label="Notes of the visit", widget=forms.Textarea, required=False)

    def __init__(
        self,
        *args: Any,
        types: list[tuple[str, str]],
        people: list[tuple[str, str]],
        child: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visit_type"].choices = [("", "Select a type"), *types]  # type: ignore[attr-defined]
        if people:
            self.fields["present_people"].choices = people  # type: ignore[attr-defined]
        else:
            del self.fields["present_people"]
        if not child:
            del self.fields["bedroom_seen"]

    def clean_actual_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("actual_date")
        if value is None:
            raise forms.ValidationError("Enter the date of the visit")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("seen") == "yes" and not cleaned.get("seen_alone"):
            self.add_error("seen_alone", "Select whether they were seen alone")
        return cleaned
