"""Forms of the inventory pages: a Project VPC and a service, as a person types them."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from console import catalog, host_names
from console.errors import echo
from console.models import Project, ProjectVPC


class ChoiceField(forms.ChoiceField):
    """A choice whose refusal quotes what was sent cut short, as every error quotes input
    (`console.errors.echo`): Django's own would repeat a 100 KB value whole."""

    def validate(self, value: Any) -> None:
        try:
            super().validate(value)
        except ValidationError as exc:
            if exc.code != "invalid_choice":
                raise
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": echo(value)},
            ) from exc


class TypedChoiceField(ChoiceField, forms.TypedChoiceField):
    """Django's TypedChoiceField with the refusal of `ChoiceField` above."""


class ProjectVPCForm(forms.Form):
    cloud = ChoiceField(choices=[(c, c) for c in catalog.CLOUDS], initial="aws-eu-west-1")
    cidr = forms.CharField(
        label="Network (CIDR)",
        max_length=18,
        initial="10.0.0.0/16",
        help_text=(
            "A private IPv4 range from /16 to /24. For PrivateLink any private range works, "
            "even one your own VPCs use: nothing is routed between the VPCs. Overlap matters "
            "only for VPC peering."
        ),
    )


class ServiceForm(forms.Form):
    service_type = ChoiceField(
        label="Service type",
        choices=[(t.name, t.label) for t in catalog.SERVICE_TYPES.values()],
        initial="kafka",
    )
    name = forms.CharField(
        max_length=63,
        help_text="Lowercase letters, digits and single hyphens, starting with a letter and "
        "not ending with a hyphen. It becomes part of the host names: the service name, a "
        f"hyphen and the project name have at most {host_names.HOST_LABEL_MAX} characters.",
    )
    plan = ChoiceField(
        choices=[(p, p) for p in catalog.PLANS],
        initial="business-4",
        help_text="The plan sets the number of nodes (Kafka business-4: 3 brokers, premium-6: 6).",
    )
    project_vpc = forms.ModelChoiceField(
        label="Project VPC",
        queryset=ProjectVPC.objects.none(),
        required=False,
        empty_label="None (public internet, no PrivateLink)",
    )

    # "<type>.<component>", grouped by service type; only the chosen type's count.
    privatelink_access = forms.MultipleChoiceField(
        label="PrivateLink access",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (t.label, [(f"{t.name}.{c.name}", c.label) for c in t.privatelink_components])
            for t in catalog.SERVICE_TYPES.values()
        ],
        help_text=(
            "The components to reach over PrivateLink (user config privatelink_access). "
            "They can be chosen before the service has a PrivateLink; this takes effect "
            "when the PrivateLink is active."
        ),
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vpcs = ProjectVPC.objects.filter(project=project).order_by("cloud")
        self.fields["project_vpc"].queryset = vpcs  # type: ignore[attr-defined]
        first = vpcs.first()
        if first is not None:
            self.fields["project_vpc"].initial = first.pk

    def clean(self) -> dict[str, Any]:
        """Turn the ticked components into the user config the service is created with."""
        cleaned = super().clean() or {}
        kind = cleaned.get("service_type")
        picked: list[str] = cleaned.get("privatelink_access") or []
        if kind:
            others = [p for p in picked if p.split(".", 1)[0] != kind]
            if others:
                label = catalog.get_service_type(kind).label
                self.add_error(
                    "privatelink_access",
                    f"Tick only components of {label}: untick "
                    f"{', '.join(p.replace('.', ' ', 1) for p in others)}.",
                )
            access = {p.split(".", 1)[1]: True for p in picked if p.split(".", 1)[0] == kind}
            cleaned["user_config"] = {"privatelink_access": access} if access else {}
        return cleaned
