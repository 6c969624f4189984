from typing import Any

from django import forms

from kith.core.forms import GovukDateField, KithForm
from kith.returns.registry import KINDS, RANGE, YEAR


class ReturnRunForm(KithForm):
    kind = forms.ChoiceField(
        label="Return",
        choices=[("", "Choose a return"), *((k.kind, k.title) for k in KINDS.values())],
    )
    year = forms.IntegerField(
        label="Collection year",
        help_text="For the SSDA903 and CIN census: the year it ends in March, like 2026",
        required=False,
        min_value=2012,
        max_value=2100,
    )
    date_from = GovukDateField(label="From", required=False, help_text="For Annex A")
    date_to = GovukDateField(label="To", required=False, help_text="For Annex A")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = KINDS.get(data.get("kind") or "")
        if kind is None:
            return data
        if kind.period == YEAR and not data.get("year") and "year" not in self.errors:
            self.add_error("year", f"Enter the collection year for the {kind.title}")
        if kind.period == RANGE:
            for name, what in (("date_from", "first"), ("date_to", "last")):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, f"Enter the {what} day of the range for {kind.title}")
            if (
                data.get("date_from")
                and data.get("date_to")
                and data["date_from"] > data["date_to"]
            ):
                self.add_error(
                    "date_to", "The ‘to’ date must be the same as or after the ‘from’ date"
                )
        return data

    def parameters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "year": data.get("year"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
