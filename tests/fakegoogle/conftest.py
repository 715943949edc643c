"""The producer's side of Private Service Connect, built with the real SDK as the console
will: a network, a nodes subnet, a PSC NAT subnet, an internal load balancer and its
service attachment."""

from dataclasses import dataclass

import pytest
from google.cloud import compute_v1

from fakegoogle.pytest_plugin import PLATFORM_PROJECT, FakeGoogle
from fakegoogle.sdk import Compute

REGION = "europe-west1"
CUSTOMER = "customer-project"
STRANGER = "stranger-project"
NAT_RANGE = "172.24.0.0/29"  # 8 addresses, 4 of them Google's: room for 4 endpoints


def scope(collection: str, name: str, project: str = PLATFORM_PROJECT) -> str:
    where = "global" if collection == "networks" else f"regions/{REGION}"
    return f"projects/{project}/{where}/{collection}/{name}"


@dataclass
class Producer:
    compute: Compute

    def subnet(self, name: str, cidr: str, purpose: str = "PRIVATE_SERVICE_CONNECT") -> str:
        self.compute.wait(
            self.compute.subnetworks.insert(
                project=PLATFORM_PROJECT,
                region=REGION,
                subnetwork_resource=compute_v1.Subnetwork(
                    name=name,
                    network=scope("networks", "net"),
                    ip_cidr_range=cidr,
                    purpose=purpose,
                ),
            ),
            PLATFORM_PROJECT,
        )
        return scope("subnetworks", name)

    def attachment(
        self, name: str = "sa", nat_subnets: tuple[str, ...] = ("nat",), **fields: object
    ) -> compute_v1.ServiceAttachment:
        resource = compute_v1.ServiceAttachment(
            name=name,
            target_service=scope("forwardingRules", "rule"),
            connection_preference="ACCEPT_MANUAL",
            nat_subnets=[scope("subnetworks", s) for s in nat_subnets],
            **fields,
        )
        self.compute.wait(
            self.compute.service_attachments.insert(
                project=PLATFORM_PROJECT, region=REGION, service_attachment_resource=resource
            ),
            PLATFORM_PROJECT,
        )
        return self.get(name)

    def get(self, name: str = "sa") -> compute_v1.ServiceAttachment:
        return self.compute.service_attachments.get(
            project=PLATFORM_PROJECT, region=REGION, service_attachment=name
        )

    def patch(self, name: str = "sa", **fields: object) -> compute_v1.Operation:
        current = self.get(name)
        fields.setdefault("fingerprint", current.fingerprint)
        return self.compute.wait(
            self.compute.service_attachments.patch(
                project=PLATFORM_PROJECT,
                region=REGION,
                service_attachment=name,
                service_attachment_resource=compute_v1.ServiceAttachment(**fields),
            ),
            PLATFORM_PROJECT,
        )

    def statuses(self, name: str = "sa") -> dict[str, str]:
        """Each connected endpoint's status by the endpoint's name."""
        return {e.endpoint.rsplit("/", 1)[-1]: e.status for e in self.get(name).connected_endpoints}


def build_producer(compute: Compute) -> Producer:
    """Network `net`, subnets `nodes` and `nat` (PSC), health check `hc`, backend service
    `bes` and the internal forwarding rule `rule` on port 9092."""
    wait = compute.wait
    wait(
        compute.networks.insert(
            project=PLATFORM_PROJECT,
            network_resource=compute_v1.Network(name="net", auto_create_subnetworks=False),
        ),
        PLATFORM_PROJECT,
    )
    producer = Producer(compute)
    producer.subnet("nodes", "10.0.0.0/24", purpose="PRIVATE")
    producer.subnet("nat", NAT_RANGE)
    wait(
        compute.health_checks.insert(
            project=PLATFORM_PROJECT,
            region=REGION,
            health_check_resource=compute_v1.HealthCheck(
                name="hc", type_="TCP", tcp_health_check=compute_v1.TCPHealthCheck(port=9092)
            ),
        ),
        PLATFORM_PROJECT,
    )
    wait(
        compute.backend_services.insert(
            project=PLATFORM_PROJECT,
            region=REGION,
            backend_service_resource=compute_v1.BackendService(
                name="bes",
                load_balancing_scheme="INTERNAL",
                protocol="TCP",
                health_checks=[scope("healthChecks", "hc")],
            ),
        ),
        PLATFORM_PROJECT,
    )
    wait(
        compute.forwarding_rules.insert(
            project=PLATFORM_PROJECT,
            region=REGION,
            forwarding_rule_resource=compute_v1.ForwardingRule(
                name="rule",
                load_balancing_scheme="INTERNAL",
                backend_service=scope("backendServices", "bes"),
                subnetwork=scope("subnetworks", "nodes"),
                I_p_protocol="TCP",
                ports=["9092"],
            ),
        ),
        PLATFORM_PROJECT,
    )
    return producer


@pytest.fixture
def compute(fake_google: FakeGoogle) -> Compute:
    return fake_google.compute()


@pytest.fixture
def producer(compute: Compute) -> Producer:
    return build_producer(compute)
