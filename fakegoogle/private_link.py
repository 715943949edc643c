"""Service attachments and the consumer endpoints connected to them.

A consumer's forwarding rule whose `target` is a service attachment is an endpoint: it gets
a `pscConnectionId` and a status (`PENDING`, `ACCEPTED`, `REJECTED`, `CLOSED`) that the
attachment decides. With `ACCEPT_MANUAL`, the lists name consumers by project, by VPC
network or one endpoint at a time (its forwarding rule's URL), one kind for both lists of
an attachment, as Google requires: an endpoint listed in `consumerRejectLists` (by its
project, its network or itself) is rejected, one listed in `consumerAcceptLists` accepted
(up to the entry's `connectionLimit`), any other left pending. Each accepted endpoint takes
one address of the attachment's NAT subnets: once they are full, further endpoints stay
pending.

As on Google, a patch of the lists is not applied to the endpoints in its answer: the
endpoints are reviewed once the patch's operation is over, so a later read shows them.
Accepted endpoints no longer listed go back to pending only when `reconcileConnections` is
true; an endpoint the reject list comes to name is always rejected.
"""

from __future__ import annotations

from typing import Any

from fakegoogle import timing
from fakegoogle.errors import in_use, invalid, quota_exceeded
from fakegoogle.network import PURPOSE_PSC, host_addresses
from fakegoogle.quotas import quotas
from fakegoogle.resources import (
    Kind,
    Target,
    check_fingerprint,
    envelope,
    fingerprint,
    link,
    path_of,
    referenced,
    whole_number,
)
from fakegoogle.store import Resource, new_id, public, store

ACCEPT_MANUAL = "ACCEPT_MANUAL"
ACCEPT_AUTOMATIC = "ACCEPT_AUTOMATIC"
PENDING = "PENDING"
ACCEPTED = "ACCEPTED"
REJECTED = "REJECTED"
CLOSED = "CLOSED"
# What a patch may change; the rest is fixed at insert.
PATCHABLE = {
    "connectionPreference",
    "consumerAcceptLists",
    "consumerRejectLists",
    "natSubnets",
    "reconcileConnections",
    "description",
}


# Compute's name of the regional quota, in `regions.get` and in its quotaExceeded refusal.
SERVICE_ATTACHMENT_METRIC = "SERVICE_ATTACHMENTS"


def attachments_in(project: str, region: str) -> int:
    """The project's service attachments in the region: the quota's usage."""
    return sum(
        1
        for _, a in store.items("serviceAttachments")
        if a["_project"] == project and a["_region"] == region
    )


def _build_attachment(target: Target, body: dict[str, Any]) -> Resource:
    limit = quotas.current.service_attachments
    if attachments_in(target.project, target.region) >= limit:
        raise quota_exceeded(SERVICE_ATTACHMENT_METRIC, limit, target.region)
    service_link = body.get("targetService") or body.get("producerForwardingRule")
    rule = referenced(
        "resource.targetService", service_link, "forwardingRules", region=target.region
    )
    if rule.get("loadBalancingScheme") != "INTERNAL":
        raise invalid(
            f"Invalid value for field 'resource.targetService': '{service_link}'. The "
            "forwarding rule must be an internal load balancer's."
        )
    attachment = envelope(target, "compute#serviceAttachment", body)
    attachment.update(
        {
            "targetService": rule["selfLink"],
            "producerForwardingRule": rule["selfLink"],
            "enableProxyProtocol": bool(body.get("enableProxyProtocol", False)),
            "pscServiceAttachmentId": {"high": new_id(), "low": new_id()},
            "_closed": [],
        }
    )
    _apply(attachment, body, target.region)
    return attachment


def _apply(attachment: Resource, body: dict[str, Any], region: str) -> None:
    """Validate and set the fields a patch may change; a new fingerprint."""
    preference = str(body.get("connectionPreference") or attachment.get("connectionPreference"))
    if preference not in {ACCEPT_MANUAL, ACCEPT_AUTOMATIC}:
        raise invalid(
            f"Invalid value for field 'resource.connectionPreference': '{preference}'. "
            "ACCEPT_AUTOMATIC or ACCEPT_MANUAL."
        )
    accept = [
        _accept_entry(item, f"resource.consumerAcceptLists[{index}]")
        for index, item in enumerate(_listed_field(body, attachment, "consumerAcceptLists"))
    ]
    reject = [str(p) for p in _listed_field(body, attachment, "consumerRejectLists")]
    kinds = {_kind(e) for e in accept} | {_rejected_kind(r) for r in reject}
    if len(kinds) > 1:
        raise invalid(
            "Invalid value for field 'resource.consumerAcceptLists': the consumer accept and "
            "reject lists of a service attachment must contain either only projects, only "
            "networks or only endpoints."
        )
    nat_links = body.get("natSubnets", attachment.get("natSubnets"))
    if not nat_links:
        raise invalid("Invalid value for field 'resource.natSubnets': at least one is required.")
    nat_subnets = []
    for index, nat_link in enumerate(nat_links):
        subnet = referenced(f"resource.natSubnets[{index}]", nat_link, "subnetworks", region=region)
        if subnet["purpose"] != PURPOSE_PSC:
            raise invalid(
                f"Invalid value for field 'resource.natSubnets[{index}]': '{nat_link}'. The "
                f"subnetwork's purpose must be {PURPOSE_PSC}."
            )
        for _, other in store.items("serviceAttachments"):
            if other["_path"] != attachment["_path"] and subnet["selfLink"] in other["natSubnets"]:
                raise in_use(subnet["_path"], other["_path"])
        nat_subnets.append(subnet["selfLink"])
    attachment.update(
        {
            "connectionPreference": preference,
            "consumerAcceptLists": accept,
            "consumerRejectLists": reject,
            "natSubnets": nat_subnets,
            "reconcileConnections": bool(
                body.get("reconcileConnections", attachment.get("reconcileConnections", False))
            ),
            "description": str(body.get("description", attachment.get("description", ""))),
            "fingerprint": fingerprint(),
        }
    )


def _listed_field(body: dict[str, Any], attachment: Resource, field: str) -> list[Any]:
    """A list the body gives, else the attachment's: a patch leaves out what it keeps."""
    value = body[field] if field in body else attachment.get(field)
    return list(value or [])


# The keys an accept list entry names its consumer by; an entry sets exactly one.
_CONSUMER_KEYS = ("projectIdOrNum", "networkUrl", "endpointUrl")


def _accept_entry(item: Any, field: str) -> dict[str, Any]:
    """One accept list entry as Google keeps it: its consumer (a network or an endpoint as a
    full link) and its connection limit (at most 1 for an endpoint)."""
    given = [k for k in _CONSUMER_KEYS if isinstance(item, dict) and item.get(k)]
    if len(given) != 1:
        raise invalid(
            f"Invalid value for field '{field}': exactly one of projectIdOrNum, networkUrl "
            "or endpointUrl must be set."
        )
    [key] = given
    value = str(item[key])
    limit = whole_number(f"{field}.connectionLimit", item.get("connectionLimit"), 0)
    if key == "endpointUrl" and limit > 1:
        raise invalid(
            f"Invalid value for field '{field}.connectionLimit': {limit}. For endpointUrl, "
            "the limit must be no more than 1."
        )
    return {
        key: value if key == "projectIdOrNum" else link(path_of(value)),
        "connectionLimit": limit,
    }


def _kind(entry: dict[str, Any]) -> str:
    return next(k for k in _CONSUMER_KEYS if k in entry)


def _rejected_kind(entry: str) -> str:
    """A reject list entry is a project id or number, a network's URL or an endpoint's."""
    if "/forwardingRules/" in entry:
        return "endpointUrl"
    return "networkUrl" if "/networks/" in entry else "projectIdOrNum"


def _names(kind: str, value: str, rule: Resource) -> bool:
    """Whether a list entry names the consumer endpoint `rule`: its project, its network or
    itself."""
    if kind == "projectIdOrNum":
        return rule["_project"] == value
    own = rule["network"] if kind == "networkUrl" else rule["selfLink"]
    return path_of(own) == path_of(value)


def _patch_attachment(attachment: Resource, body: dict[str, Any]) -> None:
    check_fingerprint(attachment, body)
    unknown = sorted(k for k in body if k not in PATCHABLE | {"fingerprint", "name"})
    if unknown:
        raise invalid(f"Invalid value for field 'resource.{unknown[0]}': it cannot be patched.")
    _apply(attachment, body, attachment["_region"])
    attachment["_closed"] = []
    path = attachment["_path"]
    store.later(timing.delays.current.provisioning, lambda: review(path))


def _render_attachment(attachment: Resource) -> Resource:
    answer = public(attachment)
    answer["connectedEndpoints"] = [
        _connected_endpoint(rule) for rule in _endpoints(attachment)
    ] + list(attachment["_closed"])
    return answer


def _connected_endpoint(rule: Resource) -> dict[str, Any]:
    entry = {
        "endpoint": rule["selfLink"],
        "pscConnectionId": rule["_psc_connection_id"],
        "consumerNetwork": rule["network"],
        "status": rule["_psc_status"],
    }
    if rule.get("_nat_ip"):
        entry["natIps"] = [rule["_nat_ip"]]
    return entry


def _before_attachment_delete(attachment: Resource) -> None:
    # Google lets a producer delete a service attachment with endpoints: they are closed.
    for rule in _endpoints(attachment):
        rule["_psc_status"] = CLOSED
        rule.pop("_nat_ip", None)


def _endpoints(attachment: Resource) -> list[Resource]:
    found = [
        rule
        for _, rule in store.items("forwardingRules")
        if rule.get("target") == attachment["selfLink"] and "_psc_status" in rule
    ]
    return sorted(found, key=lambda rule: rule["creationTimestamp"])


# --- The consumer's endpoints --------------------------------------------------------------
def connect(rule: Resource) -> None:
    """A new endpoint asks the attachment: its connection id, and the attachment's answer."""
    with store.lock:
        attachment = store.get(path_of(rule["target"]))
        rule["_psc_connection_id"] = new_id()
        rule["_psc_status"] = PENDING
        if attachment is not None:
            _decide(attachment, rule)


def disconnect(rule: Resource) -> None:
    """The consumer deletes its endpoint: the attachment lists it CLOSED until its next
    patch, and its NAT address is free."""
    with store.lock:
        attachment = store.get(path_of(rule["target"]))
        if attachment is not None and rule.get("_psc_status") not in (None, CLOSED):
            closed = _connected_endpoint(rule) | {"status": CLOSED}
            closed.pop("natIps", None)
            attachment["_closed"].append(closed)
        rule["_psc_status"] = CLOSED
        rule.pop("_nat_ip", None)


def endpoint_view(rule: Resource) -> dict[str, Any]:
    """What a consumer's forwarding rule shows of its connection."""
    attachment = store.get(path_of(rule["target"]))
    status = rule.get("_psc_status", CLOSED) if attachment is not None else CLOSED
    return {"pscConnectionId": rule.get("_psc_connection_id", ""), "pscConnectionStatus": status}


def review(path: str) -> None:
    """Decide again on every endpoint of the attachment, as its lists now stand."""
    with store.lock:
        attachment = store.get(path)
        if attachment is None:
            return
        for rule in _endpoints(attachment):
            if rule["_psc_status"] == CLOSED:
                continue
            if rule["_psc_status"] == ACCEPTED:
                if _refused(attachment, rule):
                    _set(rule, REJECTED)
                elif attachment["reconcileConnections"] and _entry_for(attachment, rule) is None:
                    _set(rule, PENDING)
                continue
            _decide(attachment, rule)


def _decide(attachment: Resource, rule: Resource) -> None:
    entry = _entry_for(attachment, rule)
    if attachment["connectionPreference"] == ACCEPT_AUTOMATIC:
        wanted = ACCEPTED
    elif _refused(attachment, rule):
        wanted = REJECTED
    elif entry is not None and _under_limit(attachment, entry):
        wanted = ACCEPTED
    else:
        wanted = PENDING
    if wanted == ACCEPTED:
        nat_ip = _free_nat_ip(attachment)
        if nat_ip is None:
            _set(rule, PENDING)  # no NAT address left: the endpoint waits for room
            return
        rule["_nat_ip"] = nat_ip
    _set(rule, wanted)


def _set(rule: Resource, status: str) -> None:
    rule["_psc_status"] = status
    if status != ACCEPTED:
        rule.pop("_nat_ip", None)


def _refused(attachment: Resource, rule: Resource) -> bool:
    return any(
        _names(_rejected_kind(entry), entry, rule) for entry in attachment["consumerRejectLists"]
    )


def _entry_for(attachment: Resource, rule: Resource) -> dict[str, Any] | None:
    """The accept list entry naming the endpoint, if one does."""
    return next(
        (e for e in attachment["consumerAcceptLists"] if _names(_kind(e), e[_kind(e)], rule)),
        None,
    )


def _under_limit(attachment: Resource, entry: dict[str, Any]) -> bool:
    kind = _kind(entry)
    accepted = sum(
        1
        for rule in _endpoints(attachment)
        if rule["_psc_status"] == ACCEPTED and _names(kind, entry[kind], rule)
    )
    return entry["connectionLimit"] == 0 or accepted < entry["connectionLimit"]


def _free_nat_ip(attachment: Resource) -> str | None:
    taken = {rule.get("_nat_ip") for rule in _endpoints(attachment)}
    for nat_link in attachment["natSubnets"]:
        subnet = store.get(path_of(nat_link))
        if subnet is None:
            continue
        for address in host_addresses(subnet):
            if address not in taken:
                return address
    return None


SERVICE_ATTACHMENTS = Kind(
    collection="serviceAttachments",
    kind="compute#serviceAttachment",
    regional=True,
    build=_build_attachment,
    render=_render_attachment,
    before_delete=_before_attachment_delete,
    patch=_patch_attachment,
)
