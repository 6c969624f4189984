"""Forms for administrators' timescale pages: add a local rule, end a rule."""

from typing import Any

from django import forms

from kith.core.forms import GovukDateField, KithForm
from kith.work.models import TimescaleRule, TimeUnit

UNIT_CHOICES = [("", "Select a unit"), *TimeUnit.choices]
OPTIONAL_UNIT_CHOICES = [("", "No separate clock"), *TimeUnit.choices]


def _length_field(label: str, required: bool, help_text: str = "") -> forms.IntegerField:
    name = label[0].lower() + label[1:]
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=1,
        max_value=9999,
        help_text=help_text,
        error_messages={
            "required": f"Enter the {name}",
            "invalid": f"The {name} must be a whole number, like 15",
            "min_value": f"The {name} must be 1 or more",
            "max_value": f"The {name} must be 9999 or less",
        },
    )


class TimescaleRuleForm(KithForm):
    """A council's own rule for a type of work. The service checks that clocks go together
    (a first length needs its unit, only a recurring step has first and second clocks)."""

    item_type = forms.ChoiceField(
        label="Type of work", error_messages={"required": "Select the type of work"}
    )
    description = forms.CharField(
        label="Description",
        max_length=300,
        help_text="What staff see, for example: Visit a child in need at least every 15 "
        "working days",
        error_messages={
            "required": "Enter a description of the rule, as staff will see it",
            "max_length": "The description must be 300 characters or fewer",
        },
    )
    starts = forms.ChoiceField(
        label="The clock starts when",
        choices=TimescaleRule.Starts.choices,
        initial=TimescaleRule.Starts.ITEM_START,
        error_messages={"required": "Select when the clock starts"},
    )
    first_length = _length_field(
        "First length",
        required=False,
        help_text="Only for a step that recurs and whose first one is due sooner or later "
        "than the rest, like a first review within 20 working days",
    )
    first_unit = forms.ChoiceField(label="Unit of the first length", required=False)
    second_length = _length_field(
        "Second length", required=False, help_text="Only if the second one differs as well"
    )
    second_unit = forms.ChoiceField(label="Unit of the second length", required=False)
    length = _length_field(
        "Regular length", required=True, help_text="For a step that recurs: the time between"
    )
    unit = forms.ChoiceField(
        label="Unit of the regular length",
        error_messages={"required": "Select the unit of the regular length"},
    )
    recurs = forms.BooleanField(
        label="This step recurs: completing one starts the next", required=False
    )
    effective_from = GovukDateField(
        label="Applies from",
        help_text="It applies to work whose clock starts on or after this date. For example, "
        "1 4 2026",
        error_messages={"required": "Enter the date the rule applies from"},
    )
    source = forms.CharField(
        label="Source or reason (optional)",
        max_length=300,
        required=False,
        help_text="For example, the decision or local procedure that set it",
        error_messages={"max_length": "The source must be 300 characters or fewer"},
    )

    def __init__(self, *args: Any, types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("item_type", [("", "Select the type of work"), *types])
        self._choices("unit", UNIT_CHOICES)
        self._choices("first_unit", OPTIONAL_UNIT_CHOICES)
        self._choices("second_unit", OPTIONAL_UNIT_CHOICES)

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class TimescaleRuleEndForm(KithForm):
    effective_to = GovukDateField(
        label="Last day it applies",
        help_text="It applies to work whose clock starts on or before this date. For example, "
        "31 3 2026",
        error_messages={"required": "Enter the last day the rule applies"},
    )
