from typing import Any

from django import forms

from kith.core.forms import GovukDateField, KithForm
from kith.people.models import Person
from kith.work.models import Priority


class PersonCreateForm(forms.Form):
    given_name = forms.CharField(
        label="Given name", max_length=100, error_messages={"required": "Enter a given name"}
    )
    family_name = forms.CharField(
        label="Family name", max_length=100, error_messages={"required": "Enter a family name"}
    )
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    sex = forms.ChoiceField(label="Sex", choices=Person.Sex.choices, initial=Person.Sex.UNKNOWN)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    team = forms.ChoiceField(
        label="Team working with them", error_messages={"required": "Select a team"}
    )
    # Set once the user has seen the likely matches and said none of them is this person.
    confirmed_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, teams: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = teams


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = [("", "Select"), *choices]


class WorkItemAddForm(KithForm):
    item_type = forms.ChoiceField(label="What needs doing")
    team = forms.ChoiceField(label="Team responsible")
    clock_start = GovukDateField(
        label="When the clock started",
        required=False,
        help_text="The date of the event that starts the timescale, e.g. the referral. "
        "Leave blank for today.",
    )
    note = forms.CharField(label="Note", max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        types: list[tuple[str, str]],
        teams: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "item_type", types)
        _set_choices(self, "team", teams)


class WorkerForm(KithForm):
    worker = forms.ChoiceField(label="Worker")
    reason = forms.CharField(label="Reason", max_length=200)

    def __init__(self, *args: Any, workers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "worker", workers)


class CommentForm(KithForm):
    comment = forms.CharField(label="Comments", widget=forms.Textarea, max_length=2000)


class ReasonForm(KithForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea, max_length=300)


class DueDateForm(KithForm):
    due_date = GovukDateField(label="New due date")
    reason = forms.CharField(label="Reason", widget=forms.Textarea, max_length=300)


class PriorityForm(KithForm):
    priority = forms.ChoiceField(label="Priority (RAG)", choices=Priority.choices)
