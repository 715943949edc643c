"""Forms of the inventory pages: a Project VPC and a service, as a person types them."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from console import catalog
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
        help_text="Lowercase letters, digits and hyphens, starting with a letter; "
        "it becomes part of the host names.",
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

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vpcs = ProjectVPC.objects.filter(project=project).order_by("cloud")
        self.fields["project_vpc"].queryset = vpcs  # type: ignore[attr-defined]
        first = vpcs.first()
        if first is not None:
            self.fields["project_vpc"].initial = first.pk
