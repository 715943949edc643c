"""What the PrivateLink page says and shows, checked against what the platform documents:
the AWS names only once usable, the limits, zones and ports to know before connecting,
principals guidance, and the price where the decision is made."""

import pytest

from privatelink.models import PrivateLink
from tests.pages.conftest import HTMX

PAGE = "/projects/demo/services/my-kafka/privatelink/"
SERVICE_NAME = "com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0"


@pytest.mark.parametrize(
    ("state", "endpoint_service_state"),
    [("creating", "Pending"), ("creating", "Available"), ("active", "Pending")],
)
def test_the_service_name_and_command_wait_until_a_customer_can_use_them(
    developer_client, make_privatelink, state, endpoint_service_state
):
    link = make_privatelink(state="creating")
    # The reconciler records the endpoint service's names as soon as AWS has created it,
    # while it is still Pending.
    PrivateLink.objects.filter(pk=link.pk).update(
        state=state,
        aws_service_id="vpce-svc-0123456789abcdef0",
        aws_service_name=SERVICE_NAME,
        endpoint_service_state=endpoint_service_state,
    )
    for response in (developer_client.get(PAGE), developer_client.get(PAGE + "summary", **HTMX)):
        html = response.content.decode()
        assert SERVICE_NAME not in html
        assert "vpce-svc-0123456789abcdef0" not in html
        assert "create-vpc-endpoint" not in html
        assert "The service name appears here when" in html


def test_the_service_name_and_command_show_once_available_and_active(
    developer_client, make_privatelink
):
    make_privatelink(state="active")
    html = developer_client.get(PAGE + "summary", **HTMX).content.decode()
    assert f'<code data-testid="aws-service-name">{SERVICE_NAME}</code>' in html
    assert f"--service-name {SERVICE_NAME}" in html
