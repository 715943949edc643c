"""The only door to AWS: client factory, typed operations and error classification.

Views, forms, the API, admin and the engine never import this package; the AWS driver does.
"""

from privatelink.clouds.aws.gateway.elbv2 import AwsListener, AwsLoadBalancer, AwsTargetGroup
from privatelink.clouds.aws.gateway.endpoint_services import AwsConnection, AwsEndpointService
from privatelink.clouds.aws.gateway.errors import GatewayError, Gone, Retryable, Terminal
from privatelink.clouds.aws.gateway.operations import Gateway
from privatelink.clouds.aws.gateway.tags import Tagged
from privatelink.clouds.aws.gateway.vpc import AwsSubnet

__all__ = [
    "AwsConnection",
    "AwsEndpointService",
    "AwsListener",
    "AwsLoadBalancer",
    "AwsSubnet",
    "AwsTargetGroup",
    "Gateway",
    "GatewayError",
    "Gone",
    "Retryable",
    "Tagged",
    "Terminal",
]
