"""Forms for signing in and for administering accounts. Messages follow GOV.UK style."""

from typing import Any

from django import forms

from kith.accounts.selectors import role_choices, team_choices
from kith.core.forms import GovukDateField


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class SignInForm(forms.Form):
    username = forms.CharField(
        label="Username", max_length=150, error_messages={"required": "Enter your username"}
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=200,
        error_messages={"required": "Enter your password"},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app, or one of your backup codes",
        max_length=20,
        error_messages={"required": "Enter the security code"},
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).replace(" ", "").replace("-", "").strip()


class SetUpCodeForm(CodeForm):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code your authenticator app shows for Kith",
        max_length=20,
        error_messages={"required": "Enter the 6-digit security code"},
    )


class ChangePasswordForm(forms.Form):
    current_password = forms.CharField(
        label="Current password",
        strip=False,
        error_messages={"required": "Enter your current password"},
    )
    new_password = forms.CharField(
        label="New password",
        strip=False,
        help_text="At least 12 characters. A few unrelated words make a strong password.",
        error_messages={"required": "Enter a new password"},
    )
    confirm_password = forms.CharField(
        label="Confirm new password",
        strip=False,
        error_messages={"required": "Enter the new password again"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("new_password")
            and data.get("confirm_password")
            and data["new_password"] != data["confirm_password"]
        ):
            self.add_error("confirm_password", "The passwords do not match")
        return data


class UserCreateForm(forms.Form):
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter a first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter a last name"}
    )
    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="Usually firstname.lastname",
        error_messages={"required": "Enter a username"},
    )
    email = forms.EmailField(
        label="Work email address",
        error_messages={
            "required": "Enter a work email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    job_title = forms.CharField(label="Job title", max_length=150, required=False)
    swe_number = forms.RegexField(
        label="Social Work England registration number (optional)",
        regex=r"^\s*[Ss][Ww]\s*\d{1,8}\s*$",
        required=False,
        help_text="For registered social workers, for example SW123456",
        error_messages={"invalid": "Enter a registration number that starts SW then digits"},
    )
    team = forms.ChoiceField(label="Team", error_messages={"required": "Select a team"})
    role = forms.ChoiceField(label="Role", error_messages={"required": "Select a role"})
    start_date = GovukDateField(
        label="Start date", error_messages={"required": "Enter the start date"}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "team", [("", "Select a team"), *team_choices()])
        _set_choices(self, "role", [("", "Select a role"), *role_choices()])


class MembershipAddForm(forms.Form):
    team = forms.ChoiceField(label="Team", error_messages={"required": "Select a team"})
    role = forms.ChoiceField(label="Role", error_messages={"required": "Select a role"})
    start_date = GovukDateField(
        label="Start date", error_messages={"required": "Enter the start date"}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "team", [("", "Select a team"), *team_choices()])
        _set_choices(self, "role", [("", "Select a role"), *role_choices()])


class MembershipEndForm(forms.Form):
    end_date = GovukDateField(label="End date", error_messages={"required": "Enter the end date"})
    reason = forms.CharField(
        label="Reason", max_length=200, error_messages={"required": "Enter the reason"}
    )


class LeaverForm(forms.Form):
    left_on = GovukDateField(
        label="Last working day", error_messages={"required": "Enter the last working day"}
    )
    reason = forms.CharField(
        label="Reason", max_length=200, error_messages={"required": "Enter the reason"}
    )


class UserSearchForm(forms.Form):
    q = forms.CharField(label="Search staff", required=False, max_length=100)
