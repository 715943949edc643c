"""The platform's DNS zone, as the engine reaches it: the connection hosts of every cloud's
links live in it, each record with a TXT record beside it naming the PrivateLink that owns it.

The zone is Route 53's (the AWS driver serves it), whichever cloud holds the link: an AWS
link publishes a CNAME to its endpoint's DNS name; an Azure link an A record to its
endpoint's IP address, through the same interface (other drivers reach it through
`privatelink.clouds.registry.platform_dns`).
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Protocol

# The ownership record of a host sits one label below it, as a TXT record: a CNAME may
# share its name with no other record.
OWNER_RECORD_PREFIX = "_owner."


# The kinds of a host's record: an alias of the endpoint's DNS name, or its IPv4 address.
CNAME_RECORD = "CNAME"
A_RECORD = "A"


@dataclass(frozen=True)
class DnsRecord:
    """A host's record target and the owner its ownership TXT record names ('' when absent),
    and the record's kind (CNAME or A)."""

    target: str = ""
    owner: str = ""
    kind: str = CNAME_RECORD


class DnsZone(Protocol):
    """The platform's zone: records are read in bulk, written and deleted with their owner."""

    # Called before every call to the zone: the run's lease keep-alive.
    before_call: Callable[[], None] | None

    def hosted_zone(self, domain: str) -> str:
        """The zone's id for `domain`."""
        ...

    def dns_records(self, zone_id: str, names: Collection[str]) -> dict[str, DnsRecord]:
        """The record and ownership record of each host in `names` that has either."""
        ...

    def publish_cname(self, zone_id: str, name: str, target: str, owner: str) -> None:
        """The host's CNAME and its ownership record, written together (all or nothing)."""
        ...

    def publish_a(self, zone_id: str, name: str, address: str, owner: str) -> None:
        """The host's A record and its ownership record, written together (all or nothing)."""
        ...

    def delete_record(self, zone_id: str, name: str, record: DnsRecord) -> None:
        """Delete the host's record (of its kind) and ownership record, those that exist."""
        ...
