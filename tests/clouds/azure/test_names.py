"""Names a re-run finds again, apart per deployment and within Azure's rules."""

import re

from privatelink.clouds.azure import names

AZURE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,78}[A-Za-z0-9_]$")


def test_names_are_the_same_on_every_run_and_read_back_to_their_privatelink(settings):
    settings.DEPLOYMENT_ID = "eu-prod"

    load_balancer = names.load_balancer_name(42)
    service = names.private_link_service_name(42)

    assert load_balancer == names.load_balancer_name(42)
    assert load_balancer != service
    assert AZURE_NAME.match(load_balancer)
    assert AZURE_NAME.match(service)
    assert names.privatelink_id_of_name(load_balancer) == 42
    assert names.privatelink_id_of_name(service) == 42


def test_another_deployments_names_are_not_taken_for_ours(settings):
    settings.DEPLOYMENT_ID = "eu-prod"
    ours = names.load_balancer_name(42)
    settings.DEPLOYMENT_ID = "eu-staging"

    assert names.load_balancer_name(42) != ours
    assert names.privatelink_id_of_name(ours) is None
    assert names.privatelink_id_of_name("lb-something-else") is None
