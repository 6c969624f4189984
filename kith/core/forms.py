"""Form fields that match the GOV.UK Design System's patterns."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def add_validation_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its fields where it names them."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class DatePartsWidget(forms.Widget):
    """Day, month and year boxes (the GOV.UK date input). Rendered by components/forms.jinja."""

    input_type = "date_parts"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, str, str]:
        return (
            str(data.get(f"{name}-day", "")).strip(),
            str(data.get(f"{name}-month", "")).strip(),
            str(data.get(f"{name}-year", "")).strip(),
        )

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in ("day", "month", "year"))

    @staticmethod
    def parts_for(value: Any) -> tuple[str, str, str]:
        if isinstance(value, dt.date):
            return (str(value.day), str(value.month), str(value.year))
        if isinstance(value, (tuple, list)) and len(value) == 3:
            return (str(value[0]), str(value[1]), str(value[2]))
        return ("", "", "")


class GovukDateField(forms.Field):
    widget = DatePartsWidget

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        day, month, year = value if value else ("", "", "")
        if not (day or month or year):
            return None
        label = (self.label or "The date").capitalize()
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise forms.ValidationError(f"{label} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise forms.ValidationError(f"{label} must be a real date")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise forms.ValidationError(f"{label} must be a real date") from exc


class KithForm(forms.Form):
    """A form whose "required" errors name the field, as the GOV.UK pattern asks
    ("Enter the date they moved in", "Select the kind of name"), never "This field is required"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        default = forms.Field.default_error_messages["required"]
        for field in self.fields.values():
            if field.error_messages.get("required") != default:
                continue
            label = str(field.label or "a value")
            label = label[0].lower() + label[1:]
            verb = "Select" if isinstance(field, forms.ChoiceField) else "Enter"
            field.error_messages["required"] = f"{verb} {label}"
