"""Who is calling, as AWS sees it, and which allowed principals let that caller in.

The caller is found from the request's access key exactly as moto's own
`sts:GetCallerIdentity` finds it: keys from `sts:AssumeRole` are a session of that role in
the role's account, keys of an IAM user are that user, and any other key is the default
account. Nothing here reads moto's account header or `MOTO_ACCOUNT_ID`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from moto.ec2.exceptions import EC2ClientError
from moto.iam.models import get_account_id_from
from moto.sts.models import sts_backends
from moto.utilities.utils import get_partition

from fakeaws.addresses import PRINCIPAL_PATTERN

_ASSUMED_ROLE = re.compile(r"^arn:([\w-]+):sts::(\d{12}):assumed-role/([^/]+)/.+$")
_STS_USER = re.compile(r"^arn:([\w-]+):sts::(\d{12}):user/(.+)$")


class InvalidPrincipal(EC2ClientError):
    def __init__(self, principal: str) -> None:
        super().__init__("InvalidPrincipal", f"Invalid Principal: '{principal}'")


def validate_principals(principals: Iterable[str]) -> None:
    for principal in principals:
        if principal != "*" and not PRINCIPAL_PATTERN.match(principal):
            raise InvalidPrincipal(principal)


@dataclass(frozen=True)
class Caller:
    """The account and the IAM identity (user or role ARN) behind a request."""

    account_id: str
    arn: str
    partition: str = "aws"

    @property
    def root_arn(self) -> str:
        return f"arn:{self.partition}:iam::{self.account_id}:root"

    def is_allowed_by(self, principals: Iterable[str]) -> bool:
        """An allowed `*`, this account's root or this very identity lets the caller in."""
        return not {"*", self.root_arn, self.arn}.isdisjoint(principals)


def caller_for_access_key(access_key: str, region: str) -> Caller:
    partition = get_partition(region)
    account_id = get_account_id_from(access_key)
    _, arn, account_id = sts_backends[account_id][partition].get_caller_identity(access_key, region)
    return Caller(account_id=account_id, arn=_iam_arn(arn), partition=partition)


def _iam_arn(arn: str) -> str:
    """The IAM ARN that allowed principals name, from the ARN `GetCallerIdentity` shows."""
    if match := _ASSUMED_ROLE.match(arn):
        partition, account_id, role = match.groups()
        return f"arn:{partition}:iam::{account_id}:role/{role}"
    if match := _STS_USER.match(arn):
        partition, account_id, user = match.groups()
        return f"arn:{partition}:iam::{account_id}:user/{user}"
    return arn
