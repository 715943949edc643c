"""Project VPCs and converged PrivateLinks laid out straight through the gateway's own
operations, as the reconciler leaves them (a tagged NLB and endpoint service allowing the
customer's role, no listeners), which is much quicker than reconciling each one."""

from console.models import ProjectVPC, Service
from console.zones import subnet_cidrs
from privatelink.clouds.aws.gateway import Gateway
from privatelink.engine import naming
from privatelink.models import AwsPrivateLink, PrivateLink
from tests.constants import CUSTOMER_ROLE


def lay_out_vpc(vpc: ProjectVPC, gateway: Gateway) -> list[str]:
    """The Project VPC's AWS VPC with a subnet in each of three zones, recorded on its row
    as active; returns the subnet ids."""
    owner = naming.project_vpc_owner(vpc.pk)
    aws_vpc = gateway.create_vpc(vpc.cidr, owner)
    zones = gateway.availability_zones()[:3]
    vpc.aws_vpc_id = aws_vpc
    vpc.subnets = [
        gateway.create_subnet(aws_vpc, cidr, zone, owner)
        for zone, cidr in zip(zones, subnet_cidrs(vpc.cidr), strict=True)
    ]
    vpc.state = ProjectVPC.State.ACTIVE
    vpc.save()
    return [s["subnet_id"] for s in vpc.subnets]


def lay_out_link(service: Service, gateway: Gateway, subnets: list[str]) -> None:
    """An active PrivateLink of `service` with its NLB in `subnets` and its endpoint service."""
    link = PrivateLink.objects.create(
        service=service, principals=[CUSTOMER_ROLE], generation=1, observed_generation=1
    )
    owner = naming.owner(link.pk)
    balancer = gateway.create_load_balancer(naming.load_balancer_name(link.pk), subnets, owner)
    gateway.enable_cross_zone(balancer.arn)  # as the reconciler leaves every NLB
    endpoint = gateway.create_endpoint_service(balancer.arn, owner, naming.client_token(link.pk))
    gateway.modify_principals(endpoint.service_id, add={CUSTOMER_ROLE}, remove=set())
    PrivateLink.objects.filter(pk=link.pk).update(state=PrivateLink.State.ACTIVE)
    AwsPrivateLink.objects.create(
        privatelink=link,
        nlb_arn=balancer.arn,
        service_id=endpoint.service_id,
        service_name=endpoint.service_name,
        endpoint_service_state=endpoint.state,
    )
