"""Forms of the PrivateLink pages: they turn what a person typed into principals and
component choices, with errors in words, using the same validators as the actions."""

from collections.abc import Callable
from typing import Any

from django import forms

from console.catalog import KafkaAuthenticationMethod
from console.errors import ActionError, InvalidInput
from console.models import Service
from privatelink.endpoint_ip import EXAMPLE as ENDPOINT_IP_EXAMPLE
from privatelink.endpoint_ip import clean_endpoint_ip
from privatelink.principals import clean_principal, clean_principals
from privatelink.subscriptions import EXAMPLE as SUBSCRIPTION_EXAMPLE
from privatelink.subscriptions import clean_subscription, clean_subscriptions

PRINCIPAL_HELP = (
    "An IAM ARN such as arn:aws:iam::123456789012:user/name (that user), ...:role/app (a "
    "role), ...:root (every identity of the account) or * (anyone). A role you allow can "
    "connect from any VPC of its choosing, so allow only roles you trust."
)


# Room for 16 principals of the longest form AWS accepts, one per line, with spaces to spare.
PRINCIPALS_TEXT_MAX = 4096
PRINCIPAL_MAX = 2048


def _in_form_words[T](check: Callable[[Any], T], value: Any) -> T:
    """Run a check of privatelink.principals, its refusal becoming the field's error."""
    try:
        return check(value)
    except InvalidInput as exc:
        raise forms.ValidationError(exc.message) from exc


class PrincipalField(forms.CharField):
    """One IAM principal, cleaned as the actions clean it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", PRINCIPAL_MAX)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        return _in_form_words(clean_principal, super().clean(value))


class PrincipalsField(forms.CharField):
    """One principal per line, cleaned as the actions clean a whole list (`check`: by
    default the IAM principals' check)."""

    widget = forms.Textarea

    def __init__(
        self, *, check: Callable[[list[str]], list[str]] = clean_principals, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.check = check

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value)
        return _in_form_words(self.check, [line for line in text.splitlines() if line.strip()])

    def has_changed(self, initial: Any, data: Any) -> bool:
        # Compared as lists, so that an edit that only reorders the lines changes nothing.
        try:
            return bool(self.clean(data) != initial)
        except forms.ValidationError:
            return True


class CreatePrivateLinkForm(forms.Form):
    principals = PrincipalsField(
        label="Allowed principals",
        max_length=PRINCIPALS_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="One IAM ARN per line. " + PRINCIPAL_HELP,
    )


class PrincipalRowForm(forms.Form):
    """One more principal for the create form's list, checked before it is added."""

    new_principal = PrincipalField(label="Add one principal")


class PrincipalForm(forms.Form):
    """One principal to add or remove, with the digest of the list the person saw."""

    principal = PrincipalField(label="Principal to allow", help_text=PRINCIPAL_HELP)
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)


SUBSCRIPTION_HELP = (
    f"An Azure subscription id, a GUID such as {SUBSCRIPTION_EXAMPLE}. Anyone who can create "
    "a private endpoint in an allowed subscription can ask to connect; you approve each one."
)
# Room for 16 subscription ids (36 characters each), one per line, with spaces to spare.
SUBSCRIPTIONS_TEXT_MAX = 2048
SUBSCRIPTION_MAX = 64


class SubscriptionField(forms.CharField):
    """One Azure subscription id, cleaned as the Azure actions clean it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", SUBSCRIPTION_MAX)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        return _in_form_words(clean_subscription, super().clean(value))


class CreateAzurePrivateLinkForm(forms.Form):
    subscriptions = PrincipalsField(
        check=clean_subscriptions,
        label="Allowed subscriptions",
        max_length=SUBSCRIPTIONS_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="One subscription id per line. " + SUBSCRIPTION_HELP,
    )


class SubscriptionForm(forms.Form):
    """One subscription to add or remove, with the digest of the list the person saw."""

    subscription = SubscriptionField(label="Subscription to allow", help_text=SUBSCRIPTION_HELP)
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)


class EndpointAddressForm(forms.Form):
    """The IP address of a customer's private endpoint, which its privatelink host resolves
    to."""

    address = forms.CharField(
        label="Endpoint IP address",
        max_length=45,
        help_text=f"The private endpoint's address in your network, such as {ENDPOINT_IP_EXAMPLE}.",
    )

    def clean_address(self) -> str:
        return _in_form_words(clean_endpoint_ip, self.cleaned_data["address"])


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
    """The Advanced configuration: one checkbox per privatelink-capable component of the
    service's type and, for Kafka, one per client authentication method."""

    # Kafka's method checkboxes: `authentication_<method>` beside the components' names.
    AUTHENTICATION_PREFIX = "authentication_"

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
        self.method_names: list[str] = []
        if service.type.kafka_authentication:
            methods = service.kafka_authentication_methods()
            for method in KafkaAuthenticationMethod:
                name = f"{self.AUTHENTICATION_PREFIX}{method}"
                self.fields[name] = forms.BooleanField(
                    label=AUTHENTICATION_LABELS[method], required=False, initial=method in methods
                )
                self.method_names.append(name)

    def access(self) -> dict[str, bool]:
        return {
            name: bool(self.cleaned_data.get(name))
            for name in self.fields
            if name not in self.method_names
        }

    def authentication(self) -> dict[str, bool] | None:
        """`kafka_authentication_methods` as ticked; None for a type without them."""
        if not self.method_names:
            return None
        return {
            name.removeprefix(self.AUTHENTICATION_PREFIX): bool(self.cleaned_data.get(name))
            for name in self.method_names
        }

    def method_fields(self) -> list[tuple[str, forms.BoundField]]:
        """(method, its checkbox) for the template."""
        return [
            (name.removeprefix(self.AUTHENTICATION_PREFIX), self[name])
            for name in self.method_names
        ]

    def add_action_error(self, error: ActionError) -> None:
        """Show an action's error next to the component or method it names, else above the
        form."""
        path = error.field or ""
        field = path.rsplit(".", 1)[-1]
        if ".kafka_authentication_methods." in f".{path}":
            field = f"{self.AUTHENTICATION_PREFIX}{field}"
        self.add_error(field if field in self.fields else None, error.message)


AUTHENTICATION_LABELS = {
    KafkaAuthenticationMethod.CERTIFICATE: "Client certificate",
    KafkaAuthenticationMethod.SASL: "SASL: user name and password",
}
