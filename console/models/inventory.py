"""What runs where: Project VPCs, services and their nodes."""

import ipaddress
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from console import catalog, host_names
from console.errors import echo
from console.models.accounts import Project, slug_validator
from console.models.host_labels import HostLabel
from console.models.timestamps import Timestamped

# The ranges a Project VPC may take, as on the platform: RFC 1918's private networks only.
# Python's `is_private` would also let through loopback, link-local (169.254/16, where AWS
# serves instance metadata), "this network" (0/8) and reserved (240/4) ranges.
PRIVATE_RANGES = tuple(
    ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)


class ProjectVPC(Timestamped):
    class State(models.TextChoices):
        CREATING = "creating", "Creating"
        ACTIVE = "active", "Active"
        DELETING = "deleting", "Deleting"

    project = models.ForeignKey(Project, models.CASCADE, related_name="vpcs")
    # The id the API and avn know the VPC by, a UUID as on the platform; the integer key
    # stays internal (foreign keys, AWS tags), so no other table changes.
    public_id = models.UUIDField("Project VPC id", default=uuid.uuid4, unique=True, editable=False)
    cloud = models.CharField(max_length=32, choices=[(c, c) for c in catalog.CLOUDS])
    cidr = models.CharField("CIDR", max_length=18)
    state = models.CharField(max_length=16, choices=State.choices, default=State.CREATING)
    aws_vpc_id = models.CharField("AWS VPC id", max_length=32, blank=True)
    # [{"subnet_id": "subnet-...", "availability_zone": "eu-west-1a", "cidr": "10.0.0.0/24"}]
    subnets = models.JSONField(default=list, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "Project VPC"
        ordering = ["project__name", "cloud"]
        constraints = [
            # The platform gives a project one VPC per cloud region.
            models.UniqueConstraint(fields=["project", "cloud"], name="projectvpc_one_per_cloud"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.cloud} {self.cidr}"

    @property
    def region(self) -> str:
        return catalog.region_of(self.cloud)

    @property
    def network_id(self) -> str:
        """The network's id in its cloud, once built: the AWS VPC id, or the Azure virtual
        network's resource id (recorded with each of its subnets)."""
        if self.aws_vpc_id:
            return self.aws_vpc_id
        return next(
            (s["virtual_network_id"] for s in self.subnets if "virtual_network_id" in s), ""
        )

    @property
    def network(self) -> ipaddress.IPv4Network:
        return ipaddress.IPv4Network(self.cidr)

    def clean(self) -> None:
        try:
            network = ipaddress.IPv4Network(self.cidr, strict=True)
        except ValueError as exc:
            raise ValidationError(
                {"cidr": f"Enter an IPv4 network such as 10.0.0.0/16 ({echo(str(exc))})."}
            ) from exc
        if not any(network.subnet_of(allowed) for allowed in PRIVATE_RANGES):
            raise ValidationError(
                {
                    "cidr": f"{network} is not a private range; use one inside "
                    f"{', '.join(map(str, PRIVATE_RANGES[:-1]))} or {PRIVATE_RANGES[-1]} "
                    "(RFC 1918)."
                }
            )
        if not 16 <= network.prefixlen <= 24:
            raise ValidationError({"cidr": "The prefix length must be between /16 and /24."})
        self._check_reserved(network)

    def _check_reserved(self, network: ipaddress.IPv4Network) -> None:
        """Refuse a range overlapping one the platform keeps in this cloud's networks."""
        if self.cloud not in catalog.CLOUDS:
            return  # the cloud itself is refused where it is chosen
        provider = catalog.get_cloud(self.cloud).provider
        for reserved, purpose in catalog.RESERVED_RANGES.get(provider, ()):
            if network.overlaps(ipaddress.IPv4Network(reserved)):
                raise ValidationError(
                    {
                        "cidr": f"{network} overlaps {reserved}, which the platform keeps for "
                        f"{purpose} on {catalog.PROVIDERS[provider]}; choose a range outside it."
                    }
                )


class Service(Timestamped):
    class State(models.TextChoices):
        REBUILDING = "REBUILDING", "Rebuilding"
        RUNNING = "RUNNING", "Running"
        POWEROFF = "POWEROFF", "Powered off"
        # Being terminated: its PrivateLink is torn down first, the row goes last.
        DELETING = "DELETING", "Deleting"

    project = models.ForeignKey(Project, models.CASCADE, related_name="services")
    name = models.CharField(max_length=63, validators=[slug_validator])
    service_type = models.CharField(
        max_length=32, choices=[(t.name, t.label) for t in catalog.SERVICE_TYPES.values()]
    )
    plan = models.CharField(max_length=32, choices=[(p, p) for p in catalog.PLANS])
    project_vpc = models.ForeignKey(
        ProjectVPC, models.PROTECT, null=True, blank=True, related_name="services"
    )
    # The cloud region the service runs in; its Project VPC's when it has one.
    cloud = models.CharField(
        max_length=32, choices=[(c, c) for c in catalog.CLOUDS], default=catalog.CLOUDS[0]
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.RUNNING)
    user_config = models.JSONField(default=dict, blank=True)
    # The first label of every host of the service (`<label>.<domain>`,
    # `privatelink-N-<label>.<domain>`), reserved in HostLabel when the service is first
    # saved: usually `<service>-<project>`, with a suffix when that was taken.
    host_label = models.CharField(max_length=63, editable=False)

    class Meta:
        ordering = ["project__name", "name"]
        constraints = [
            # Service names address a service inside its project (URLs, the API, DNS).
            models.UniqueConstraint(
                fields=["project", "name"], name="service_name_unique_in_project"
            ),
            # Two services never share a host: `demo/my-kafka` and `kafka-demo/my` would both
            # be `my-kafka-demo` by name alone.
            models.UniqueConstraint(fields=["host_label"], name="service_host_label_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.project}/{self.name}"

    @property
    def type(self) -> catalog.ServiceType:
        return catalog.get_service_type(self.service_type)

    def clean(self) -> None:
        # Only at creation: a service created under earlier rules keeps its name.
        if self._state.adding and self.project_id:
            problem = host_names.service_name_problem(self.name, self.project.name)
            if problem:
                raise ValidationError({"name": problem})

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.host_label:
            self.host_label = HostLabel.reserve(self.project.name, self.name)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = [*kwargs["update_fields"], "host_label"]
        super().save(*args, **kwargs)

    @property
    def dynamic_host(self) -> str:
        from django.conf import settings

        return f"{self.host_label}.{settings.PLATFORM_DOMAIN}"

    def privatelink_access(self) -> dict[str, bool]:
        access: dict[str, Any] = self.user_config.get("privatelink_access", {})
        return {c.name: bool(access.get(c.name, False)) for c in self.type.privatelink_components}

    def kafka_authentication_methods(self) -> tuple[str, ...]:
        """The Kafka client authentication methods switched on (none for other types)."""
        if not self.type.kafka_authentication:
            return ()
        return catalog.kafka_authentication_methods(self.user_config)

    def ports_of(self, component: catalog.Component) -> tuple[catalog.ComponentPort, ...]:
        """Where `component` answers now: for Kafka, one port per method switched on."""
        return component.ports(self.kafka_authentication_methods())


class ServiceNode(models.Model):
    service = models.ForeignKey(Service, models.CASCADE, related_name="nodes")
    name = models.CharField(max_length=63)
    private_ip = models.GenericIPAddressField("private IP", protocol="IPv4")
    availability_zone = models.CharField(max_length=32)

    class Meta:
        ordering = ["service", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "name"], name="servicenode_name_unique_in_service"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        vpc = self.service.project_vpc if self.service_id else None
        if vpc and ipaddress.IPv4Address(self.private_ip) not in vpc.network:
            raise ValidationError(
                {"private_ip": f"The address must lie inside the VPC's CIDR {vpc.cidr}."}
            )
