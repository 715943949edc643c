"""Forms of the PrivateLink pages: they turn what a person typed into principals and
component choices, with errors in words, using the same validators as the actions."""

from typing import Any

from django import forms

from console.errors import ActionError, InvalidInput
from console.models import Service
from privatelink.principals import clean_principal, clean_principals

PRINCIPAL_HELP = (
    "An IAM ARN such as arn:aws:iam::123456789012:user/name (that user), ...:role/app (a "
    "role), ...:root (every identity of the account) or * (anyone). A role you allow can "
    "connect from any VPC of its choosing, so allow only roles you trust."
)


# Room for 16 principals of the longest form AWS accepts, one per line, with spaces to spare.
PRINCIPALS_TEXT_MAX = 4096


class CreatePrivateLinkForm(forms.Form):
    principals = forms.CharField(
        label="Allowed principals",
        max_length=PRINCIPALS_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="One IAM ARN per line. " + PRINCIPAL_HELP,
    )

    def clean_principals(self) -> list[str]:
        lines = [line for line in self.cleaned_data["principals"].splitlines() if line.strip()]
        try:
            return clean_principals(lines)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from exc


class PrincipalRowForm(forms.Form):
    """One more principal for the create form's list, checked before it is added."""

    new_principal = forms.CharField(
        label="Add one principal",
        max_length=2048,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def clean_new_principal(self) -> str:
        try:
            return clean_principal(self.cleaned_data["new_principal"])
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from exc


class PrincipalForm(forms.Form):
    """One principal to add or remove, with the digest of the list the person saw."""

    principal = forms.CharField(
        label="Principal to allow",
        max_length=2048,
        help_text=PRINCIPAL_HELP,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_principal(self) -> str:
        try:
            return clean_principal(self.cleaned_data["principal"])
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from exc


class DeletePrivateLinkForm(forms.Form):
    confirm = forms.CharField(label="Type the service name to confirm", max_length=63)

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        self.fields["confirm"].help_text = f"Type {service.name} to delete its PrivateLink."
        self.fields["confirm"].widget.attrs.update(autocomplete="off", spellcheck="false")

    def clean_confirm(self) -> str:
        typed: str = self.cleaned_data["confirm"].strip()
        if typed != self.service.name:
            raise forms.ValidationError(
                f"That is not the service name. Type {self.service.name} exactly."
            )
        return typed


class ComponentAccessForm(forms.Form):
    """One checkbox per privatelink-capable component of the service's type."""

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        current = service.privatelink_access()
        for component in service.type.privatelink_components:
            self.fields[component.name] = forms.BooleanField(
                label=component.label,
                required=False,
                initial=current.get(component.name, False),
            )

    def access(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in self.fields}

    def add_action_error(self, error: ActionError) -> None:
        """Show an action's error next to the component it names, else above the form."""
        field = (error.field or "").rsplit(".", 1)[-1]
        self.add_error(field if field in self.fields else None, error.message)
