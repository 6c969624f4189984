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
    postcode = forms.RegexField(
        label="Postcode",
        regex=r"^\s*[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}\s*$",
        required=False,
        error_messages={"invalid": "Enter a real postcode, like SW1A 1AA"},
    )
    team = forms.ChoiceField(
        label="Team working with them", error_messages={"required": "Select a team"}
    )

    def __init__(self, *args: Any, teams: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = teams
