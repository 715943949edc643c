"""Data the benchmarks read: a project with a Kafka service whose PrivateLink is active, with
`n` nodes, principals, connections and other services, as the reconciler leaves them."""

from dataclasses import dataclass

from console.models import Service, ServiceNode, User
from tests.factories import (
    ConnectionFactory,
    ListenerFactory,
    MembershipFactory,
    PrivateLinkFactory,
    ProjectFactory,
    ServiceFactory,
    UserFactory,
)

SERVICE = "my-kafka"
FIRST_PORT = 10000


@dataclass(frozen=True)
class World:
    user: User
    project: str
    service: str

    @property
    def overview_url(self) -> str:
        return f"/projects/{self.project}/services/{self.service}/"

    @property
    def access_only_url(self) -> str:
        return f"/bench/access/{self.project}/{self.service}"

    @property
    def status_fragment_url(self) -> str:
        return self.overview_url + "privatelink/summary"

    @property
    def privatelink_url(self) -> str:
        return self.overview_url + "privatelink/"

    @property
    def connections_fragment_url(self) -> str:
        return self.overview_url + "privatelink/connections"


def build(project_name: str, n: int) -> World:
    """A project named `project_name` whose service has n of everything that can grow."""
    project = ProjectFactory(name=project_name)
    user = UserFactory(email=f"{project_name}@bench.example.com")
    MembershipFactory(user=user, project=project, role="developer")
    for i in range(n):
        ServiceFactory(project=project, name=f"other-{i}", nodes=1)
    service: Service = ServiceFactory(project=project, name=SERVICE, nodes=0)
    nodes = [
        ServiceNode.objects.create(
            service=service,
            name=f"{SERVICE}-{i + 1}",
            private_ip=f"10.0.{1 + i // 200}.{10 + i % 200}",
            availability_zone=f"eu-west-1{'abc'[i % 3]}",
        )
        for i in range(n)
    ]
    service.user_config = {"privatelink_access": {"kafka": True, "schema_registry": True}}
    service.save()
    link = PrivateLinkFactory(
        service=service, principals=[f"arn:aws:iam::111122223333:role/app-{i}" for i in range(n)]
    )
    connections = [ConnectionFactory(privatelink=link, number=number) for number in range(1, n + 1)]
    # One port per broker of the first connection: an NLB holds at most 50 listeners in
    # AWS, but the pages must not care how many rows there are.
    for port, node in enumerate(nodes, start=FIRST_PORT):
        ListenerFactory(privatelink=link, connection=connections[0], node=node, port=port)
    ListenerFactory(privatelink=link, component="schema_registry", port=12695)
    return World(user=user, project=project_name, service=SERVICE)
