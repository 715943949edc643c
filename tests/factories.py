"""Builders of test data; each makes a valid object with as little as possible said."""

import ipaddress

import factory

from console import catalog, credentials, zones
from console.catalog import KafkaAuthenticationMethod
from console.models import Membership, Project, ProjectVPC, Service, ServiceNode, User
from privatelink.engine.planner import slot_key
from privatelink.models import AwsPrivateLink, Listener, PrivateLink, PrivateLinkConnection
from tests.constants import CUSTOMER_ACCOUNT, CUSTOMER_ROLE, PASSWORD


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.django.Password(PASSWORD)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"project-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    project = factory.SubFactory(ProjectFactory)
    role = "developer"


class ProjectVPCFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectVPC

    project = factory.SubFactory(ProjectFactory)
    cloud = "aws-eu-west-1"
    cidr = "10.0.0.0/16"
    state = ProjectVPC.State.ACTIVE
    aws_vpc_id = ""
    # Laid out as the reconciler builds it (console.zones), not yet built in AWS.
    subnets = factory.LazyAttribute(
        lambda o: [
            {
                "subnet_id": "",
                "availability_zone": f"eu-west-1{z}",
                "availability_zone_id": f"euw1-az{i + 1}",
                "cidr": cidr,
            }
            for i, (z, cidr) in enumerate(zip("abc", zones.subnet_cidrs(o.cidr), strict=True))
        ]
    )


class ServiceFactory(factory.django.DjangoModelFactory):
    """A running service in a Project VPC, with `nodes` nodes (default 3)."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"service-{n}")
    service_type = "kafka"
    plan = "business-4"
    project_vpc = factory.LazyAttribute(
        lambda o: (
            ProjectVPC.objects.filter(project=o.project, cloud="aws-eu-west-1").first()
            or ProjectVPCFactory(project=o.project)
        )
    )
    state = Service.State.RUNNING

    @factory.post_generation
    def nodes(self, create, extracted, **kwargs):
        if not create:
            return
        count = 3 if extracted is None else extracted
        # Each node in its zone's subnet, as console.nodes places them: an IP target's
        # zone in AWS is its subnet's.
        subnets = [ipaddress.IPv4Network(c) for c in zones.subnet_cidrs(self.project_vpc.cidr)]
        # AWS's zone names whatever the cloud, but Google's own on Google (its port mapping
        # names each node's zone).
        names = [f"eu-west-1{letter}" for letter in "abc"]
        if catalog.get_cloud(self.cloud).provider == "google":
            names = zones.default_zone_names(self.cloud)
        for i in range(count):
            zone = i % len(subnets)
            # Ids keep growing over a run on PostgreSQL (never reused after a rollback):
            # the offset wraps inside the zone's subnet, or a long run's nodes would land
            # in the next zone's.
            offset = (10 * self.pk + i // len(subnets)) % (subnets[zone].num_addresses - 20)
            address = subnets[zone].network_address + 10 + offset
            ServiceNode.objects.create(
                service=self,
                name=f"{self.name}-{i + 1}",
                private_ip=str(address),
                availability_zone=names[zone],
            )

    @factory.post_generation
    def users(self, create, extracted, **kwargs):
        """The primary user every service starts with, as console.actions creates it."""
        if create:
            credentials.create_primary_user(self)


class AwsPrivateLinkFactory(factory.django.DjangoModelFactory):
    """What the reconciler observed of a link's endpoint service in AWS: Available."""

    class Meta:
        model = AwsPrivateLink

    service_id = "vpce-svc-0123456789abcdef0"
    service_name = factory.LazyAttribute(lambda o: f"com.amazonaws.vpce.eu-west-1.{o.service_id}")
    endpoint_service_state = "Available"


class PrivateLinkFactory(factory.django.DjangoModelFactory):
    """A PrivateLink as the reconciler leaves it: `active` and converged unless told otherwise.

    A `creating` link has no endpoint service yet (and no AWS row); `converged=False` leaves
    the first change not carried out. `aws__<field>` sets a field of its AWS row."""

    class Meta:
        model = PrivateLink
        # The AWS row is saved on its own; the link needs no second save after it.
        skip_postgeneration_save = True

    class Params:
        converged = True
        provisioned = factory.LazyAttribute(lambda o: o.state != PrivateLink.State.CREATING)

    service = factory.SubFactory(ServiceFactory)
    principals = factory.LazyFunction(lambda: [CUSTOMER_ROLE])
    state = PrivateLink.State.ACTIVE
    aws = factory.Maybe(
        "provisioned",
        factory.RelatedFactory(AwsPrivateLinkFactory, factory_related_name="privatelink"),
    )
    generation = 1
    observed_generation = factory.LazyAttribute(lambda o: 1 if o.converged else 0)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # Actions store principals sorted; the page and API compare them that way.
        kwargs["principals"] = sorted(kwargs["principals"])
        return kwargs


class ConnectionFactory(factory.django.DjangoModelFactory):
    """A customer's endpoint connected to a PrivateLink, `active`, with its host number."""

    class Meta:
        model = PrivateLinkConnection

    privatelink = factory.SubFactory(PrivateLinkFactory)
    number = 1
    privatelink_connection_id = factory.LazyAttribute(
        lambda o: f"plc{o.number:05d}{o.privatelink.pk:04d}"
    )
    endpoint_id = factory.LazyAttribute(lambda o: f"vpce-0{o.number:016d}")
    owner = CUSTOMER_ACCOUNT
    dns_name = factory.LazyAttribute(
        lambda o: f"{o.endpoint_id}-abc.vpce-svc.eu-west-1.vpce.amazonaws.com"
    )
    state = PrivateLinkConnection.State.ACTIVE
    rejection_reason = ""


class ListenerFactory(factory.django.DjangoModelFactory):
    """A healthy NLB listener of one component, for one connection and node if given."""

    class Meta:
        model = Listener

    privatelink = factory.SubFactory(PrivateLinkFactory)
    component = "kafka"
    # Kafka listeners serve client certificates unless told; other components no method.
    kafka_authentication_method = factory.LazyAttribute(
        lambda o: KafkaAuthenticationMethod.CERTIFICATE.value if o.component == "kafka" else ""
    )
    connection = None
    node = None
    slot = factory.LazyAttribute(
        lambda o: slot_key(
            o.component,
            o.connection.privatelink_connection_id if o.connection else None,
            o.node.name if o.node else None,
            o.kafka_authentication_method,
        )
    )
    port = factory.Sequence(lambda n: 10000 + n)
    health = Listener.Health.HEALTHY
