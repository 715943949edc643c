"""The Gateway: every typed AWS operation of one platform account in one region.

Each AWS service has its module of operations; all of them call through `AwsCalls`, which
turns boto3 exceptions into Gone, Retryable or Terminal. Reads re-filter on the client:
some servers ignore filters and page sizes.
"""

from privatelink.clouds.aws.gateway.elbv2 import LoadBalancingOperations
from privatelink.clouds.aws.gateway.endpoint_services import EndpointServiceOperations
from privatelink.clouds.aws.gateway.route53 import DnsOperations
from privatelink.clouds.aws.gateway.vpc import VpcOperations


class Gateway(VpcOperations, LoadBalancingOperations, EndpointServiceOperations, DnsOperations):
    """A platform account's EC2 and ELB in one region, and the platform's Route 53 zone.

    `role_arn` picks the pool account (None: AWS_PLATFORM_ROLE_ARN, "": the own
    credentials). The hosted zone lives in the deployment's main account, whichever
    account holds the NLBs.
    """
