from django import forms


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label="Name or LA number",
        max_length=200,
        required=False,
    )
