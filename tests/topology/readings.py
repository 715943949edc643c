"""What the topology test reads to wait and to check: the processes' database (read
only), the fake AWS as the platform account sees it, and the figures it reports."""

import time
from typing import Any

import psycopg

from fakeaws.customer import platform_client


class Figures:
    """What the run measured, printed at the end whether it passed or not."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.values: dict[str, str] = {}

    def add(self, name: str, value: str) -> None:
        self.values[name] = value

    def lap(self, name: str, since: float) -> float:
        seconds = time.monotonic() - since
        self.add(name, f"{seconds:.1f} s")
        return seconds

    def report(self) -> str:
        self.add("whole run", f"{time.monotonic() - self.started:.1f} s")
        width = max(len(name) for name in self.values)
        return "\n".join(f"  {name.ljust(width)}  {value}" for name, value in self.values.items())


class Database:
    """Read-only look at the processes' database, to wait for and check what they did."""

    def __init__(self, url: str) -> None:
        self.url = url

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()  # type: ignore[arg-type]

    def value(self, sql: str, *params: Any) -> Any:
        return self.rows(sql, *params)[0][0]


def aws_inventory(aws_endpoint: str, region: str) -> dict[str, list[dict[str, Any]]]:
    """The platform account's NLBs, endpoint services and target groups in the fake AWS."""
    elb = platform_client("elbv2", region, aws_endpoint)
    ec2 = platform_client("ec2", region, aws_endpoint)
    return {
        "load_balancers": elb.describe_load_balancers()["LoadBalancers"],
        "endpoint_services": ec2.describe_vpc_endpoint_service_configurations()[
            "ServiceConfigurations"
        ],
        "target_groups": elb.describe_target_groups()["TargetGroups"],
    }
