"""Names are RFC 1035, per deployment, and give back the PrivateLink id; marks round-trip
through a description and spell as labels."""

import re

from privatelink.clouds.google import names
from privatelink.clouds.google.labels import (
    ownership_description,
    ownership_labels,
    tags_of,
)
from privatelink.clouds.ownership import TAG_DEPLOYMENT, TAG_OWNER

RFC1035 = re.compile(r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")


def test_names_are_valid_compute_names_that_give_back_the_link(settings):
    settings.DEPLOYMENT_ID = "test-deployment"
    made = [
        names.nat_subnet_name(12345),
        names.health_check_name(12345),
        names.backend_service_name(12345),
        names.forwarding_rule_name(12345),
        names.service_attachment_name(12345),
    ]

    assert all(RFC1035.match(name) for name in [*made, names.network_name(3)])
    assert {names.privatelink_id_of_name(name) for name in made} == {12345}
    assert names.privatelink_id_of_name(names.network_name(3)) is None
    assert names.privatelink_id_of_name("pl-other-12345-psc") is None


def test_marks_round_trip_through_a_description(settings):
    settings.DEPLOYMENT_ID = "Test:Deployment"

    assert tags_of(ownership_description("privatelink/7")) == {
        TAG_DEPLOYMENT: "Test:Deployment",
        TAG_OWNER: "privatelink/7",
    }
    assert tags_of("made by hand") == {}
    assert tags_of('["privatelink/7"]') == {}
    assert ownership_labels("privatelink/7") == {
        "privatelink-console-deployment": "test-deployment",
        "privatelink-console-owner": "privatelink-7",
    }
