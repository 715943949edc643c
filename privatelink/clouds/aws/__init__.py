"""AWS: the engine's driver for one platform account in one region (`make_driver`).

Imported only through `privatelink.clouds.registry`, so the engine loads boto3 only when
it drives AWS.
"""

from privatelink.clouds.aws.driver import make_driver

__all__ = ["make_driver"]
