"""Fixtures of the page tests: PrivateLinks in given states, clients of each role."""

import pytest

ROLE_ARN = "arn:aws:iam::111122223333:role/app"


@pytest.fixture
def make_privatelink(service):
    """Build a PrivateLink of `service` (or another) as the reconciler would leave it."""
    from privatelink.models import PrivateLink

    def make(state="active", principals=(ROLE_ARN,), of=None, converged=True):
        return PrivateLink.objects.create(
            service=of or service,
            principals=sorted(principals),
            state=state,
            aws_service_id="vpce-svc-0123456789abcdef0" if state != "creating" else "",
            aws_service_name=(
                "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"
                if state != "creating"
                else ""
            ),
            endpoint_service_state="Available" if state != "creating" else "",
            generation=1,
            observed_generation=1 if converged else 0,
        )

    return make


@pytest.fixture
def make_connection():
    from privatelink.models import PrivateLinkConnection

    def make(privatelink, number=1, state="active", reason=""):
        return PrivateLinkConnection.objects.create(
            privatelink=privatelink,
            privatelink_connection_id=f"plc{number:05d}{privatelink.pk:04d}",
            vpc_endpoint_id=f"vpce-0{number:016d}",
            owner_account="111122223333",
            dns_name=f"vpce-0{number:016d}-abc.vpce-svc.eu-west-1.vpce.amazonaws.com",
            state=state,
            rejection_reason=reason,
            number=number,
        )

    return make


@pytest.fixture
def make_listener():
    from privatelink.models import Listener

    def make(privatelink, component, port, health="healthy", connection=None, node=None):
        slot = ":".join(
            part
            for part in (
                component,
                connection.privatelink_connection_id if connection else "",
                node.name if node else "",
            )
            if part
        )
        return Listener.objects.create(
            privatelink=privatelink,
            component=component,
            connection=connection,
            node=node,
            slot=slot,
            port=port,
            health=health,
        )

    return make


@pytest.fixture
def read_only_client(client, read_only_user):
    client.force_login(read_only_user)
    return client


@pytest.fixture
def outsider_client(client, outsider):
    client.force_login(outsider)
    return client


HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def queued(monkeypatch):
    """Records reconciles the actions queue, without a broker."""
    from privatelink import queue

    calls: list[int] = []
    monkeypatch.setattr(
        queue, "reconcile_service", lambda pk, countdown=None: calls.append(pk) or True
    )
    return calls
