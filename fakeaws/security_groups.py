"""A VPC's default security group as AWS makes it: it lets in all traffic from its own
members (moto's has no inbound rule), so an endpoint created without a group named is
reachable from clients in that group, as in AWS."""

from __future__ import annotations

from typing import Any

from moto.ec2.models import EC2Backend
from moto.ec2.models.security_groups import SecurityGroup, SecurityGroupRule

from fakeaws.patching import original, replace


def create_security_group(self: EC2Backend, *args: Any, **kwargs: Any) -> SecurityGroup:
    group: SecurityGroup = original(EC2Backend, "create_security_group")(self, *args, **kwargs)
    if group.is_default and not group.ingress_rules:
        group.ingress_rules.append(
            SecurityGroupRule(
                self,
                "-1",
                group.id,
                None,
                None,
                None,
                source_group={"GroupId": group.id, "UserId": self.account_id},
                is_egress=False,
            )
        )
    return group


def install() -> None:
    replace(EC2Backend, "create_security_group", create_security_group)
