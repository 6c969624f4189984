from django import forms

from kith.audit.models import Action
from kith.core.forms import GovukDateField


class AuditSearchForm(forms.Form):
    username = forms.CharField(label="Username", required=False, max_length=150)
    person_id = forms.UUIDField(
        label="Person record id",
        required=False,
        error_messages={"invalid": "Enter a record id as shown in the record's address"},
    )
    date_from = GovukDateField(label="From", required=False)
    date_to = GovukDateField(label="To", required=False)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *Action.choices]
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The ‘to’ date must be the same as or after the ‘from’ date")
        return data
