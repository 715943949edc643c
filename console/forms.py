"""Forms of the inventory pages: a Project VPC and a service, as a person types them."""

from typing import Any

from django import forms

from console import catalog, host_names
from console.models import Project, ProjectVPC


class ProjectVPCForm(forms.Form):
    cloud = forms.ChoiceField(choices=[(c, c) for c in catalog.CLOUDS], initial="aws-eu-west-1")
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
    service_type = forms.ChoiceField(
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
    plan = forms.ChoiceField(
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
