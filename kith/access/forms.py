from typing import Any

from django import forms

from kith.access.models import Module, PersonRestriction, RestrictionGroup
from kith.accounts.selectors import user_list


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need this record now?",
        help_text="Your manager and the record's team manager will see this.",
        max_length=2000,
        error_messages={"required": "Explain the emergency"},
    )


class ConflictForm(forms.Form):
    relationship = forms.CharField(
        label="How do you know this person?",
        help_text="For example: relative, neighbour, friend of the family",
        max_length=200,
        error_messages={"required": "Say how you know the person"},
    )


class ReviewForm(forms.Form):
    justified = forms.TypedChoiceField(
        label="Was the emergency access justified?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        error_messages={"required": "Select yes or no"},
    )
    note = forms.CharField(label="Notes", required=False, max_length=2000)


class RestrictionForm(forms.Form):
    la_number = forms.IntegerField(
        label="LA person number", error_messages={"required": "Enter the LA person number"}
    )
    level = forms.ChoiceField(label="Restriction", choices=PersonRestriction.Level.choices)
    group = forms.ModelChoiceField(
        label="Who may see the record",
        queryset=RestrictionGroup.objects.all(),
        empty_label="Select a group",
        error_messages={"required": "Select a group"},
    )
    reason = forms.CharField(
        label="Reason", max_length=300, error_messages={"required": "Give the reason"}
    )


class RestrictionGroupForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=150, error_messages={"required": "Enter a name"}
    )
    description = forms.CharField(label="Description", required=False, max_length=1000)
    members = forms.MultipleChoiceField(label="Members", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(u.pk), f"{u.display_name} ({u.username})") for u in user_list()]


MODULE_CHOICES = Module.choices
