"""Forms for the client index. Fields check shape; the services check the rules."""

from typing import Any

from django import forms

from kith.core import codelists
from kith.core.forms import GovukDateField, KithForm
from kith.people.models import (
    Alert,
    AlertReview,
    ContactDetail,
    Organisation,
    Person,
    PersonIdentifier,
    PersonName,
    ProfessionalInvolvement,
    RelationshipType,
)


class PersonSearchForm(KithForm):
    q = forms.CharField(
        label="Name, date of birth, postcode or an identifier",
        help_text=(
            "For example 'Robert Smith 2015 LS6' or '12/03/2015 Smith'. "
            "An NHS number, UPN or LA number finds the person exactly."
        ),
        max_length=200,
        required=False,
    )


def _choices(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return [("", "Select"), *pairs]


class PersonEditForm(KithForm):
    given_name = forms.CharField(label="Given name", max_length=100)
    middle_names = forms.CharField(label="Middle names", max_length=200, required=False)
    family_name = forms.CharField(label="Family name", max_length=100)
    known_as = forms.CharField(label="Known as", max_length=100, required=False)
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    expected_date_of_birth = GovukDateField(
        label="Expected date of birth",
        required=False,
        help_text="Only for an unborn child. For example, 27 3 2027",
    )
    date_of_death = GovukDateField(label="Date of death", required=False)
    sex = forms.ChoiceField(label="Sex", choices=Person.Sex.choices)
    gender_identity = forms.CharField(label="Gender identity", max_length=100, required=False)
    ethnicity = forms.ChoiceField(label="Ethnicity", required=False)
    first_language = forms.CharField(label="First language", max_length=100, required=False)
    interpreter_required = forms.BooleanField(label="Needs an interpreter", required=False)
    religion = forms.CharField(label="Religion or belief", max_length=100, required=False)
    disabilities = forms.MultipleChoiceField(
        label="Disabilities", required=False, widget=forms.CheckboxSelectMultiple
    )
    communication_needs = forms.CharField(
        label="Communication needs", required=False, widget=forms.Textarea
    )
    immigration_status = forms.CharField(label="Immigration status", max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ethnicity = self.fields["ethnicity"]
        assert isinstance(ethnicity, forms.ChoiceField)
        ethnicity.choices = [("", "Not recorded"), *codelists.choices("ssda903_ethnic")]
        disabilities = self.fields["disabilities"]
        assert isinstance(disabilities, forms.MultipleChoiceField)
        disabilities.choices = codelists.choices("cin_disability")


class IdentifierForm(KithForm):
    kind = forms.ChoiceField(label="Identifier", choices=_choices(*PersonIdentifier.Kind.choices))
    value = forms.CharField(label="Number or id", max_length=50)
    system = forms.CharField(
        label="System it comes from",
        max_length=60,
        required=False,
        help_text="For a legacy id only, for example CareFirst",
    )


class NameForm(KithForm):
    kind = forms.ChoiceField(label="Kind of name", choices=_choices(*PersonName.Kind.choices))
    given_name = forms.CharField(label="Given name", max_length=100, required=False)
    family_name = forms.CharField(label="Family name", max_length=100, required=False)


class AddressForm(KithForm):
    line_1 = forms.CharField(label="Address line 1", max_length=200)
    line_2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    town = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    uprn = forms.CharField(
        label="UPRN", max_length=12, required=False, help_text="Unique property reference number"
    )
    start_date = GovukDateField(
        label="Date they moved in", error_messages={"required": "Enter the date they moved in"}
    )


class ContactDetailForm(KithForm):
    kind = forms.ChoiceField(label="Kind", choices=_choices(*ContactDetail.Kind.choices))
    value = forms.CharField(label="Number or email address", max_length=200)
    note = forms.CharField(
        label="Note", max_length=200, required=False, help_text="For example, work phone"
    )


class AlertForm(KithForm):
    kind = forms.ChoiceField(label="What the alert is about", choices=_choices(*Alert.Kind.choices))
    text = forms.CharField(label="What staff need to know", widget=forms.Textarea, max_length=2000)
    review_date = GovukDateField(
        label="Review by", error_messages={"required": "Enter the date to review the alert by"}
    )


class AlertReviewForm(KithForm):
    outcome = forms.ChoiceField(label="Outcome", choices=_choices(*AlertReview.Outcome.choices))
    text = forms.CharField(
        label="New wording", widget=forms.Textarea, required=False, help_text="If it changed"
    )
    note = forms.CharField(label="Review note", widget=forms.Textarea, required=False)
    next_review_date = GovukDateField(label="Next review by", required=False)


class RelationshipForm(KithForm):
    other_la_number = forms.IntegerField(
        label="Their LA number",
        help_text="Find them first; add them as a person if they have no record",
        min_value=1,
    )
    kind = forms.ChoiceField(
        label="They are this person's",
        choices=_choices(*RelationshipType.choices),
    )
    start_date = GovukDateField(label="Since", required=False)
    parental_responsibility = forms.BooleanField(
        label="They have parental responsibility for this person", required=False
    )
    main_carer = forms.BooleanField(label="They are the main carer", required=False)
    note = forms.CharField(label="Note", max_length=200, required=False)


class EndDateForm(KithForm):
    end_date = GovukDateField(label="End date", error_messages={"required": "Enter the end date"})


class HouseholdForm(KithForm):
    name = forms.CharField(label="Household name", max_length=200, help_text="e.g. Smith, Oak Road")
    address = forms.CharField(label="Address", max_length=300, required=False)
    start_date = GovukDateField(label="Living there since")


class HouseholdMemberForm(KithForm):
    la_number = forms.IntegerField(label="LA number of the person joining", min_value=1)
    start_date = GovukDateField(label="Living there since")


class ProfessionalForm(KithForm):
    role = forms.ChoiceField(label="Role", choices=_choices(*ProfessionalInvolvement.Role.choices))
    organisation = forms.ChoiceField(label="Organisation", required=False)
    contact_name = forms.CharField(label="Name", max_length=200, required=False)
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    email = forms.EmailField(label="Email", required=False)
    start_date = GovukDateField(label="Since", required=False)

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "None or not listed"), *organisations]


class OrganisationForm(KithForm):
    kind = forms.ChoiceField(label="Kind", choices=_choices(*Organisation.Kind.choices))
    name = forms.CharField(label="Name", max_length=200)
    code = forms.CharField(
        label="Code",
        max_length=20,
        required=False,
        help_text="ODS code for health, URN for schools",
    )
    address = forms.CharField(label="Address", max_length=300, required=False)
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    email = forms.EmailField(label="Email", required=False)


class MergeChooseForm(KithForm):
    first = forms.IntegerField(label="LA number of the first record", min_value=1)
    second = forms.IntegerField(label="LA number of the second record", min_value=1)


class MergeForm(KithForm):
    survivor = forms.ChoiceField(
        label="Which record stays", choices=[("first", "First"), ("second", "Second")]
    )
    reason = forms.CharField(
        label="Why these are the same person", widget=forms.Textarea, max_length=2000
    )


class ReasonForm(KithForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea, max_length=2000)


class DismissForm(KithForm):
    first = forms.UUIDField(widget=forms.HiddenInput)
    second = forms.UUIDField(widget=forms.HiddenInput)
    note = forms.CharField(label="Note", max_length=300, required=False)
