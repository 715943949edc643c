"""The PrivateLink connection life cycle between the platform and customer accounts."""

import pytest
from botocore.exceptions import ClientError

from tests.constants import EXAMPLE_ACCOUNT, EXAMPLE_OTHER_ACCOUNT, EXAMPLE_USER

CUSTOMER_ROLE = f"arn:aws:iam::{EXAMPLE_ACCOUNT}:role/connector"


def test_allowed_user_gets_pending_acceptance_endpoint_when_service_requires_acceptance(
    fake_aws, platform
):
    service = platform.service(acceptance_required=True)

    endpoint = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER).create_endpoint(
        service["ServiceName"]
    )

    assert endpoint.state == "pendingAcceptance"
    assert service["ServiceId"] in endpoint.dns_name
    assert endpoint.id.startswith("vpce-")


def test_endpoint_is_available_at_once_when_service_does_not_require_acceptance(fake_aws, platform):
    service = platform.service(acceptance_required=False)

    endpoint = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER).create_endpoint(
        service["ServiceName"]
    )

    assert endpoint.state == "available"


def test_principal_that_is_not_allowed_is_refused_as_aws_refuses_it(fake_aws, platform):
    service = platform.service(principals=(EXAMPLE_USER,))
    stranger = fake_aws.customer(EXAMPLE_ACCOUNT, f"arn:aws:iam::{EXAMPLE_ACCOUNT}:user/eve")

    with pytest.raises(ClientError) as refused:
        stranger.create_endpoint(service["ServiceName"])

    assert refused.value.response["Error"]["Code"] == "InvalidServiceName"
    assert stranger.list_endpoints() == []
    assert platform.connections() == []


def test_service_with_no_principals_refuses_every_other_account(fake_aws, platform):
    service = platform.service(principals=())

    with pytest.raises(ClientError, match="InvalidServiceName"):
        fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER).create_endpoint(service["ServiceName"])


def test_allowed_role_connects_as_a_session_of_that_role(fake_aws, platform):
    service = platform.service(principals=(CUSTOMER_ROLE,))

    endpoint = fake_aws.customer(EXAMPLE_ACCOUNT, CUSTOMER_ROLE).create_endpoint(
        service["ServiceName"]
    )

    assert endpoint.state == "pendingAcceptance"


@pytest.mark.parametrize("allowed", [f"arn:aws:iam::{EXAMPLE_ACCOUNT}:root", "*"])
def test_account_root_or_star_admits_every_identity_of_the_account(fake_aws, platform, allowed):
    service = platform.service(principals=(allowed,))

    endpoint = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER).create_endpoint(
        service["ServiceName"]
    )

    assert endpoint.state == "pendingAcceptance"


def test_root_of_another_account_does_not_admit_this_account(fake_aws, platform):
    service = platform.service(principals=(f"arn:aws:iam::{EXAMPLE_OTHER_ACCOUNT}:root",))

    with pytest.raises(ClientError, match="InvalidServiceName"):
        fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER).create_endpoint(service["ServiceName"])


def test_unknown_service_name_is_invalid_service_name(fake_aws, platform):
    customer = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER)

    with pytest.raises(ClientError, match="InvalidServiceName"):
        customer.create_endpoint("com.amazonaws.vpce.eu-west-1.vpce-svc-0000000000000000")


def test_provider_sees_connections_of_every_account_with_the_aws_answer_shape(fake_aws, platform):
    service = platform.service(
        principals=(EXAMPLE_USER, f"arn:aws:iam::{EXAMPLE_OTHER_ACCOUNT}:root")
    )
    first = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER).create_endpoint(service["ServiceName"])
    second = fake_aws.customer(
        EXAMPLE_OTHER_ACCOUNT, f"arn:aws:iam::{EXAMPLE_OTHER_ACCOUNT}:root"
    ).create_endpoint(service["ServiceName"])

    connections = platform.connections(
        Filters=[{"Name": "service-id", "Values": [service["ServiceId"]]}]
    )

    assert [(c["VpcEndpointId"], c["VpcEndpointOwner"]) for c in connections] == [
        (first.id, EXAMPLE_ACCOUNT),
        (second.id, EXAMPLE_OTHER_ACCOUNT),
    ]
    connection = connections[0]
    assert connection["ServiceId"] == service["ServiceId"]
    assert connection["VpcEndpointState"] == "pendingAcceptance"
    assert connection["CreationTimestamp"] is not None
    assert connection["DnsEntries"][0]["DnsName"] == first.dns_name
    assert connection["DnsEntries"][0]["HostedZoneId"]
    assert connection["NetworkLoadBalancerArns"] == service["NetworkLoadBalancerArns"]
    assert connection["IpAddressType"] == "ipv4"
    assert connection["VpcEndpointConnectionId"].startswith("vpce-con-")
    assert {"Key": "Name", "Value": "customer"} in connection["Tags"]


def test_accepting_makes_the_connection_available_on_both_sides(fake_aws, platform):
    service = platform.service()
    customer = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER)
    endpoint = customer.create_endpoint(service["ServiceName"])

    answer = platform.ec2.accept_vpc_endpoint_connections(
        ServiceId=service["ServiceId"], VpcEndpointIds=[endpoint.id]
    )

    assert answer["Unsuccessful"] == []
    assert customer.describe_endpoint(endpoint.id).state == "available"
    assert [c["VpcEndpointState"] for c in platform.connections()] == ["available"]


def test_rejecting_makes_the_connection_rejected_on_both_sides(fake_aws, platform):
    service = platform.service()
    customer = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER)
    endpoint = customer.create_endpoint(service["ServiceName"])

    answer = platform.ec2.reject_vpc_endpoint_connections(
        ServiceId=service["ServiceId"], VpcEndpointIds=[endpoint.id]
    )

    assert answer["Unsuccessful"] == []
    assert customer.describe_endpoint(endpoint.id).state == "rejected"
    assert [c["VpcEndpointState"] for c in platform.connections()] == ["rejected"]


def test_unknown_endpoint_ids_come_back_unsuccessful_and_the_rest_is_accepted(fake_aws, platform):
    service = platform.service()
    endpoint = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER).create_endpoint(
        service["ServiceName"]
    )

    answer = platform.ec2.accept_vpc_endpoint_connections(
        ServiceId=service["ServiceId"], VpcEndpointIds=[endpoint.id, "vpce-0123456789abcdef0"]
    )

    assert answer["Unsuccessful"] == [
        {
            "Error": {
                "Code": "InvalidVpcEndpointId.NotFound",
                "Message": "The Vpc Endpoint Id 'vpce-0123456789abcdef0' does not exist",
            },
            "ResourceId": "vpce-0123456789abcdef0",
        }
    ]
    assert [c["VpcEndpointState"] for c in platform.connections()] == ["available"]


def test_accepting_for_an_unknown_service_fails_the_call(fake_aws, platform):
    with pytest.raises(ClientError) as failed:
        platform.ec2.accept_vpc_endpoint_connections(
            ServiceId="vpce-svc-00000000", VpcEndpointIds=["vpce-0123456789abcdef0"]
        )

    assert failed.value.response["Error"]["Code"] == "InvalidVpcEndpointServiceId.NotFound"


def test_connections_filter_by_endpoint_id_and_state_and_page_with_next_token(fake_aws, platform):
    service = platform.service(principals=("*",))
    customer = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER)
    endpoints = [customer.create_endpoint(service["ServiceName"]) for _ in range(7)]
    platform.ec2.accept_vpc_endpoint_connections(
        ServiceId=service["ServiceId"], VpcEndpointIds=[endpoints[0].id]
    )

    by_id = platform.connections(Filters=[{"Name": "vpc-endpoint-id", "Values": [endpoints[3].id]}])
    pending = platform.connections(
        Filters=[{"Name": "vpc-endpoint-state", "Values": ["pendingAcceptance"]}]
    )
    first_page = platform.ec2.describe_vpc_endpoint_connections(MaxResults=5)
    second_page = platform.ec2.describe_vpc_endpoint_connections(
        MaxResults=5, NextToken=first_page["NextToken"]
    )
    paginated = [
        c["VpcEndpointId"]
        for page in platform.ec2.get_paginator("describe_vpc_endpoint_connections").paginate(
            PaginationConfig={"PageSize": 5}
        )
        for c in page["VpcEndpointConnections"]
    ]

    assert [c["VpcEndpointId"] for c in by_id] == [endpoints[3].id]
    assert [c["VpcEndpointId"] for c in pending] == [e.id for e in endpoints[1:]]
    assert len(first_page["VpcEndpointConnections"]) == 5
    assert len(second_page["VpcEndpointConnections"]) == 2
    assert "NextToken" not in second_page
    assert paginated == [e.id for e in endpoints]


def test_provider_sees_no_connections_of_services_it_does_not_own(fake_aws, platform):
    service = platform.service()
    fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER).create_endpoint(service["ServiceName"])
    other_provider = fake_aws.customer(
        EXAMPLE_OTHER_ACCOUNT, f"arn:aws:iam::{EXAMPLE_OTHER_ACCOUNT}:root"
    )

    assert (
        other_provider.client("ec2").describe_vpc_endpoint_connections()["VpcEndpointConnections"]
        == []
    )


def test_customer_sees_a_service_it_is_allowed_to_use(fake_aws, platform):
    service = platform.service()
    customer = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER)

    details = customer.describe_services([service["ServiceName"]])

    assert [(d["ServiceId"], d["Owner"]) for d in details] == [
        (service["ServiceId"], "123456789012")
    ]


def test_customer_does_not_see_a_service_it_is_not_allowed_to_use(fake_aws, platform):
    service = platform.service(principals=(CUSTOMER_ROLE,))
    customer = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER)

    with pytest.raises(ClientError, match="InvalidServiceName"):
        customer.describe_services([service["ServiceName"]])


def test_removing_the_principal_keeps_an_accepted_connection(fake_aws, platform):
    service = platform.service()
    customer = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER)
    endpoint = customer.create_endpoint(service["ServiceName"])
    platform.ec2.accept_vpc_endpoint_connections(
        ServiceId=service["ServiceId"], VpcEndpointIds=[endpoint.id]
    )

    platform.ec2.modify_vpc_endpoint_service_permissions(
        ServiceId=service["ServiceId"], RemoveAllowedPrincipals=[EXAMPLE_USER]
    )

    assert customer.describe_endpoint(endpoint.id).state == "available"
    with pytest.raises(ClientError, match="InvalidServiceName"):
        customer.create_endpoint(service["ServiceName"])


def test_deleting_the_endpoint_service_turns_its_endpoints_failed(fake_aws, platform):
    service = platform.service()
    customer = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER)
    endpoint = customer.create_endpoint(service["ServiceName"])

    platform.ec2.delete_vpc_endpoint_service_configurations(ServiceIds=[service["ServiceId"]])

    assert customer.describe_endpoint(endpoint.id).state == "failed"
    assert platform.connections() == []


def test_customer_deletes_its_endpoint_and_the_provider_sees_it_deleted(fake_aws, platform):
    service = platform.service()
    customer = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER)
    endpoint = customer.create_endpoint(service["ServiceName"])

    customer.delete_endpoint(endpoint.id)

    assert customer.describe_endpoint(endpoint.id).state == "deleted"
    assert [c["VpcEndpointState"] for c in platform.connections()] == ["deleted"]


def test_customer_network_is_created_once_in_three_zones_and_reused(fake_aws, platform):
    customer = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER)

    first = customer.network()
    again = customer.network()

    ec2 = customer.client("ec2")
    zones = {
        s["AvailabilityZone"]
        for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [first[0]]}])["Subnets"]
    }
    assert first == again
    assert zones == {"eu-west-1a", "eu-west-1b", "eu-west-1c"}
    assert ec2.describe_vpcs(VpcIds=[first[0]])["Vpcs"][0]["OwnerId"] == EXAMPLE_ACCOUNT


def test_two_helpers_for_the_same_user_both_stay_in_the_customer_account(fake_aws, platform):
    first = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER)
    first.network()
    second = fake_aws.customer(EXAMPLE_ACCOUNT, EXAMPLE_USER)
    second.network()

    identities = [h.client("sts").get_caller_identity()["Arn"] for h in (first, second)]

    assert identities == [EXAMPLE_USER, EXAMPLE_USER]
