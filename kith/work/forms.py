from typing import Any

from django import forms

from kith.core.forms import GovukDateField
from kith.people.models import Person


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
