"""Builders of test data; each makes a valid object with as little as possible said."""

import ipaddress

import factory

from console import credentials
from console.models import Membership, Project, ProjectVPC, Service, ServiceNode, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.django.Password("correct horse battery staple")


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
    subnets = factory.LazyFunction(
        lambda: [
            {"subnet_id": "", "availability_zone": f"eu-west-1{z}", "cidr": f"10.0.{i}.0/24"}
            for i, z in enumerate("abc")
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
        base = ipaddress.IPv4Network(self.project_vpc.cidr).network_address + 10 + 10 * self.pk
        for i in range(count):
            ServiceNode.objects.create(
                service=self,
                name=f"{self.name}-{i + 1}",
                private_ip=str(base + i),
                availability_zone=f"eu-west-1{'abc'[i % 3]}",
            )

    @factory.post_generation
    def users(self, create, extracted, **kwargs):
        """The primary user every service starts with, as console.actions creates it."""
        if create:
            credentials.create_primary_user(self)
