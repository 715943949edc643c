"""PrivateLink desired and observed state.

The database holds what the user asked for (the allow-list, component access on the
service's user config); the reconciler writes back what it observed in the cloud: on the
link and its connections in terms every cloud shares, and each cloud's own details in a row
beside the link (AwsPrivateLink, AzurePrivateLink).
"""

import hashlib
import json
from collections.abc import Iterable
from typing import TypeVar

from django.db import models
from django.utils import timezone

from console import changes
from console.catalog import KafkaAuthenticationMethod
from console.models import Service, ServiceNode
from console.models.timestamps import Timestamped

_M = TypeVar("_M", bound=models.Model)

PORT_POOL = range(10000, 31001)
MAX_LISTENERS_PER_NLB = 50


class SavesChanges(models.Model):
    """A row the reconciler keeps in line with what it observes: only the fields whose
    values differ are written (and `updated`, which every such model has), so an unchanged
    row costs no query."""

    class Meta:
        abstract = True

    def save_changes(self, **values: object) -> None:
        changed = [name for name, value in values.items() if getattr(self, name) != value]
        for name in changed:
            setattr(self, name, values[name])
        if changed:
            changed.append("updated")
            self.save(update_fields=changed)


class ShownRowsQuerySet(models.QuerySet[_M]):
    """Rows a page shows: an `update()` replaces the change token of every service whose
    rows it touched (console.changes), as saves and deletes do through signals, so that no
    write path can leave an open page stale."""

    # The lookup from a row to its service's id.
    service_path = "service_id"

    def update(self, **kwargs: object) -> int:
        # Read before: the update may move the rows out of this filter.
        services = set(self.values_list(self.service_path, flat=True))
        count = super().update(**kwargs)
        if count:
            for service_id in services:
                changes.service_changed(service_id)
        return count


class PrivateLinkChildQuerySet(ShownRowsQuerySet[_M]):
    service_path = "privatelink__service_id"


class PrivateLink(Timestamped):
    class State(models.TextChoices):
        CREATING = "creating", "Creating"
        ACTIVE = "active", "Active"
        DELETING = "deleting", "Deleting"

    service = models.OneToOneField(Service, models.CASCADE, related_name="privatelink")
    # The link's allow-list, whatever the cloud calls it: IAM principals on AWS (the
    # endpoint service's allowed principals), subscription ids on Azure (the private link
    # service's visibility). The name is the platform API's.
    principals = models.JSONField(
        default=list,
        help_text="The allow-list, sorted: IAM principals on AWS, subscription ids on Azure.",
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.CREATING)

    # What each cloud observed of the link lives beside it: `aws` (AwsPrivateLink) and
    # `azure` (AzurePrivateLink), made by the cloud's driver when it first writes there.

    # Each change of desired state bumps generation; the reconciler records the
    # generation it last carried out, so "converged" is a comparison, not a guess.
    generation = models.PositiveIntegerField(default=1)
    observed_generation = models.PositiveIntegerField(default=0)
    # The generation AWS refused with a terminal error: not retried until the user changes
    # something (which bumps generation).
    failed_generation = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_reconciled = models.DateTimeField(null=True, blank=True)
    # When the desired state last changed (a new generation): how long an unconverged link
    # has been waiting, for operators (`manage.py privatelink_status`).
    desired_changed = models.DateTimeField(default=timezone.now)

    # AWS refused the current generation for good: it waits for the user, not for a worker
    # (`generation_failed` of one row, in a query).
    GENERATION_FAILED = models.Q(failed_generation__gte=models.F("generation"))

    objects = models.Manager.from_queryset(ShownRowsQuerySet["PrivateLink"])()

    class Meta:
        verbose_name = "PrivateLink"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(observed_generation__lte=models.F("generation")),
                name="privatelink_observed_not_ahead",
            ),
        ]
        indexes = [
            # The sweep looks for links whose desired state is not yet carried out.
            models.Index(
                fields=["state", "observed_generation"], name="privatelink_state_observed"
            ),
        ]

    def __str__(self) -> str:
        return f"PrivateLink of {self.service}"

    @property
    def converged(self) -> bool:
        return self.observed_generation >= self.generation and self.state != self.State.DELETING

    @property
    def generation_failed(self) -> bool:
        return self.failed_generation >= self.generation

    @property
    def cloud_details(self) -> "AwsPrivateLink | AzurePrivateLink | GooglePrivateLink | None":
        """What the link's cloud observed of it (its AWS, Azure or Google row); None before
        the cloud's driver first wrote there."""
        # A missing reverse one-to-one raises an AttributeError, cached after the first look.
        for related_name in ("aws", "azure", "google"):
            details = getattr(self, related_name, None)
            if details is not None:
                return details
        return None

    @property
    def aws_details(self) -> "AwsPrivateLink":
        """The link's AWS row, or an empty unsaved one before AWS was first observed: for
        whoever only reads it (pages, the API, the sweep, a teardown). The engine's first
        write makes the row (privatelink.clouds.aws.provision.details)."""
        aws: AwsPrivateLink | None = getattr(self, "aws", None)
        return aws if aws is not None else AwsPrivateLink(privatelink=self)

    @property
    def connectable(self) -> bool:
        """Whether a customer can connect an endpoint to it now: the link is active and its
        cloud's published service is ready (see each cloud row's `connectable`). Before
        that the cloud refuses the service's name, so the pages and the API withhold it."""
        if self.state != self.State.ACTIVE:
            # No look at the cloud rows: a link not yet active may have none.
            return False
        details = self.cloud_details
        return details is not None and details.connectable

    @property
    def principals_digest(self) -> str:
        """A short fingerprint of the principal list, to refuse edits made on a stale copy."""
        return hashlib.sha256(json.dumps(sorted(self.principals)).encode()).hexdigest()[:16]

    # The transitions of a PrivateLink, each written once here and called from every door
    # (actions, receivers, the engine), so that none forgets a field of the bookkeeping.

    def save_desired(self, *fields: str) -> None:
        """Save changed fields of desired state as a new generation, stamped with when it
        was asked for; `generation` is read back as the number it became."""
        self.generation = models.F("generation") + 1
        self.desired_changed = timezone.now()
        self.save(update_fields=[*fields, "generation", "desired_changed", "updated"])
        self.refresh_from_db(fields=["generation"])

    def mark_deleting(self) -> None:
        """Ask for the link to be torn down: a new generation in state `deleting`."""
        self.state = self.State.DELETING
        self.save_desired("state")

    def mark_observed(self, generation: int, *, last_error: str = "") -> bool:
        """Record that a run carried out `generation` and the link is active; False (and
        nothing written) when the desired state moved on meanwhile or deletion was asked.
        A refusal of the same generation by an earlier run is over: it is carried out."""
        recorded = (
            PrivateLink.objects.filter(pk=self.pk, generation=generation)
            .exclude(state=self.State.DELETING)
            .update(
                state=self.State.ACTIVE,
                observed_generation=generation,
                failed_generation=0,
                last_error=last_error,
                last_reconciled=timezone.now(),
            )
        )
        return recorded > 0

    def mark_failed(self, message: str) -> None:
        """The cloud refused this generation for good: kept until the user changes it."""
        PrivateLink.objects.filter(pk=self.pk).update(
            last_error=message, failed_generation=self.generation, last_reconciled=timezone.now()
        )

    def note_error(self, message: str) -> None:
        """Show a passing error on the row; the generation is still to be carried out."""
        PrivateLink.objects.filter(pk=self.pk).update(last_error=message)

    def clear_failure(self) -> None:
        """Let a refused generation be tried again."""
        PrivateLink.objects.filter(pk=self.pk).update(failed_generation=0)

    @classmethod
    def mark_changed(cls, service: Service) -> bool:
        """A new generation for the service's link after a change made elsewhere (component
        access, nodes), unless it is being deleted; False when there is none to change."""
        updated = (
            cls.objects.filter(service=service)
            .exclude(state=cls.State.DELETING)
            .update(generation=models.F("generation") + 1, desired_changed=timezone.now())
        )
        return updated > 0


class AwsPrivateLink(SavesChanges):
    """What AWS adds to a PrivateLink: its Network Load Balancer and the VPC endpoint
    service in front of it, as last observed; empty until the resource exists."""

    privatelink = models.OneToOneField(PrivateLink, models.CASCADE, related_name="aws")
    # What the customer's VPC endpoint names as its target (com.amazonaws.vpce...), and the
    # endpoint service's id (vpce-svc-...).
    service_id = models.CharField("AWS endpoint service id", max_length=64, blank=True)
    service_name = models.CharField("AWS endpoint service name", max_length=255, blank=True)
    nlb_arn = models.CharField("NLB ARN", max_length=255, blank=True)
    nlb_state = models.CharField("NLB state", max_length=32, blank=True)
    # AWS's state of the endpoint service (Pending, Available, Failed, ...).
    endpoint_service_state = models.CharField(
        "AWS endpoint service state", max_length=32, blank=True
    )
    updated = models.DateTimeField(auto_now=True)

    objects = models.Manager.from_queryset(PrivateLinkChildQuerySet["AwsPrivateLink"])()

    class Meta:
        verbose_name = "AWS PrivateLink"

    def __str__(self) -> str:
        return f"AWS details of {self.privatelink}"

    @property
    def connectable(self) -> bool:
        """Whether a customer can create a VPC endpoint to it now: before the endpoint
        service is Available AWS refuses its name (InvalidServiceName)."""
        return (
            self.privatelink.state == PrivateLink.State.ACTIVE
            and self.endpoint_service_state == "Available"
        )


class AzurePrivateLink(SavesChanges):
    """What Azure adds to a PrivateLink: its private link service and the load balancer
    in front of the nodes, as last observed. The allowed subscriptions are the link's
    allow-list (`PrivateLink.principals`), as IAM principals are on AWS."""

    privatelink = models.OneToOneField(PrivateLink, models.CASCADE, related_name="azure")
    # What the customer's private endpoint names as its target: the service's alias
    # (`<prefix>.<guid>.<region>.azure.privatelinkservice`) or its resource id.
    service_alias = models.CharField("private link service alias", max_length=255, blank=True)
    service_id = models.CharField("private link service id", max_length=512, blank=True)
    load_balancer_id = models.CharField("load balancer id", max_length=512, blank=True)
    # ARM's provisioningState of the private link service (Updating, Succeeded, Failed).
    provisioning_state = models.CharField(max_length=32, blank=True)
    updated = models.DateTimeField(auto_now=True)

    objects = models.Manager.from_queryset(PrivateLinkChildQuerySet["AzurePrivateLink"])()

    class Meta:
        verbose_name = "Azure PrivateLink"

    def __str__(self) -> str:
        return f"Azure details of {self.privatelink}"

    @property
    def connectable(self) -> bool:
        """Whether a customer can create a private endpoint to it now."""
        return (
            self.privatelink.state == PrivateLink.State.ACTIVE
            and self.provisioning_state == "Succeeded"
        )


class GooglePrivateLink(SavesChanges):
    """What Google Private Service Connect adds to a PrivateLink: the service attachment
    customers connect to, the internal forwarding rule it publishes and the NAT subnet it
    translates connections into, as last observed. The allow-list is the attachment's
    accept list, by customer project (`PrivateLink.principals`): approving a connection
    adds its project."""

    # The attachment is usable once it, its forwarding rule and its NAT subnet all exist.
    READY = "READY"

    privatelink = models.OneToOneField(PrivateLink, models.CASCADE, related_name="google")
    # What the customer's PSC endpoint names as its target:
    # `projects/<project>/regions/<region>/serviceAttachments/<name>`.
    service_attachment = models.CharField("service attachment", max_length=512, blank=True)
    forwarding_rule = models.CharField("forwarding rule link", max_length=512, blank=True)
    nat_subnet = models.CharField("PSC NAT subnet link", max_length=512, blank=True)
    # READY once the attachment is built; empty before, and the driver's word for a
    # partly built or broken one otherwise.
    status = models.CharField(max_length=32, blank=True)
    updated = models.DateTimeField(auto_now=True)

    objects = models.Manager.from_queryset(PrivateLinkChildQuerySet["GooglePrivateLink"])()

    class Meta:
        verbose_name = "Google PrivateLink"

    def __str__(self) -> str:
        return f"Google details of {self.privatelink}"

    @property
    def connectable(self) -> bool:
        """Whether a customer can create a PSC endpoint to it now."""
        return (
            self.privatelink.state == PrivateLink.State.ACTIVE
            and self.status == self.READY
            and bool(self.service_attachment)
        )


class PrivateLinkConnectionQuerySet(PrivateLinkChildQuerySet["PrivateLinkConnection"]):
    def live(self) -> "PrivateLinkConnectionQuerySet":
        """Connections that hold listeners (see `PrivateLinkConnection.LIVE`)."""
        return self.filter(state__in=PrivateLinkConnection.LIVE)


class PrivateLinkConnection(SavesChanges):
    class State(models.TextChoices):
        PENDING_USER_APPROVAL = "pending-user-approval", "Pending approval"
        USER_APPROVED = "user-approved", "Approved"
        CONNECTED = "connected", "Connected"
        ACTIVE = "active", "Active"
        REJECTED = "rejected", "Rejected"
        DELETED = "deleted", "Deleted"

    # The states the platform's API knows; the others are shown on the page only.
    API_STATES = (
        State.PENDING_USER_APPROVAL,
        State.USER_APPROVED,
        State.CONNECTED,
        State.ACTIVE,
    )
    # Accepted by the console, or about to be: these hold listeners and count against the
    # service's connection limit.
    LIVE = (State.USER_APPROVED, State.CONNECTED, State.ACTIVE)
    # The endpoint is available in AWS, so its DNS name may be published.
    REACHABLE = (State.CONNECTED, State.ACTIVE)
    # Still moving without anyone's action (AWS or the reconciler carries them on): pages
    # keep polling and the sweep keeps reconciling while a connection is in one of them.
    SETTLING = (State.PENDING_USER_APPROVAL, State.USER_APPROVED, State.CONNECTED)
    # Over: nothing connects through them any more, and nothing moves them on.
    ENDED = (State.REJECTED, State.DELETED)

    privatelink = models.ForeignKey(PrivateLink, models.CASCADE, related_name="connections")
    privatelink_connection_id = models.CharField(max_length=32, unique=True)
    # The customer's endpoint: a VPC endpoint id (vpce-...) on AWS, a private endpoint's
    # resource id on Azure.
    endpoint_id = models.CharField("endpoint id", max_length=512)
    # Whose the endpoint is: an account id on AWS, a subscription id on Azure.
    owner = models.CharField(max_length=64, blank=True)
    # The endpoint's address in the customer's network, where the cloud does not give the
    # platform a DNS name to point at (Azure): the user tells it, and the privatelink-N host
    # resolves to it once published.
    user_ip_address = models.GenericIPAddressField(
        "endpoint IP address", protocol="IPv4", null=True, blank=True
    )
    dns_name = models.CharField("endpoint DNS name", max_length=255, blank=True)
    state = models.CharField(
        max_length=32, choices=State.choices, default=State.PENDING_USER_APPROVAL
    )
    rejection_reason = models.CharField(max_length=255, blank=True)
    # The endpoint connection's state as the cloud last reported it, in its own words: on
    # AWS pendingAcceptance, available, ...; on Azure pending, approved, rejected, ...
    cloud_state = models.CharField("state in the cloud", max_length=32, blank=True)
    # N in privatelink-N-<host label>: stable for the connection's life.
    number = models.PositiveSmallIntegerField()
    dns_record_published = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    objects = models.Manager.from_queryset(PrivateLinkConnectionQuerySet)()

    class Meta:
        ordering = ["number"]
        constraints = [
            # A customer endpoint is one connection of one PrivateLink.
            models.UniqueConstraint(
                fields=["privatelink", "endpoint_id"], name="connection_endpoint_unique"
            ),
            # Host names privatelink-N-... must not collide.
            models.UniqueConstraint(
                fields=["privatelink", "number"], name="connection_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.privatelink_connection_id} ({self.endpoint_id})"

    # Transitions: each saves only the fields it changes.

    def mark_approved(self) -> None:
        """The console accepted the endpoint in the cloud."""
        self.save_changes(state=self.State.USER_APPROVED)

    def mark_rejected(self, reason: str) -> None:
        """The console rejected the endpoint in the cloud, for `reason` (shown on the page)."""
        self.save_changes(state=self.State.REJECTED, rejection_reason=reason)

    def follow(self, state: "PrivateLinkConnection.State") -> None:
        """Take the state the cloud moved the endpoint to on its own."""
        self.save_changes(state=state)

    def mark_gone(self) -> None:
        """The cloud no longer lists the endpoint."""
        self.save_changes(state=self.State.DELETED, cloud_state="deleted")

    def mark_published(self) -> None:
        """Its privatelink-N host points at the endpoint: the connection is in use."""
        self.save_changes(state=self.State.ACTIVE, dns_record_published=True)

    def mark_unpublished(self) -> None:
        self.save_changes(dns_record_published=False)

    def mark_dns_blocked(self) -> None:
        """Its host is held in DNS by another owner: connected, but no host leads to it."""
        self.save_changes(state=self.State.CONNECTED, dns_record_published=False)

    def observe(self, cloud_state: str, dns_name: str, owner: str) -> None:
        """Record the endpoint as the cloud last reported it."""
        self.save_changes(cloud_state=cloud_state, dns_name=dns_name, owner=owner)


class ConnectionHost(models.Model):
    """Every privatelink-N-<host label> host name ever given to a connection, and the
    PrivateLink that owns it in DNS.

    Rows outlive their connection and its service, so a host name a customer may still
    resolve is never handed to another service that later takes the same name. A
    reconciler writes and deletes only the DNS records of the hosts its PrivateLink owns.
    """

    host = models.CharField(max_length=255, unique=True)
    # Null once the PrivateLink is gone (its teardown deleted the records first).
    privatelink = models.ForeignKey(
        PrivateLink, models.SET_NULL, null=True, blank=True, related_name="hosts"
    )
    created = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.host


class Listener(Timestamped, SavesChanges):
    class Health(models.TextChoices):
        PENDING = "pending", "Not created yet"
        UNUSED = "unused", "Unused"
        INITIAL = "initial", "Checking health"
        HEALTHY = "healthy", "Healthy"
        UNHEALTHY = "unhealthy", "Unhealthy"
        # No longer wanted (a node or connection removed): its targets finish their open
        # connections; the listener and target group go once they are drained.
        DRAINING = "draining", "Draining"

        @classmethod
        def worst(cls, healths: Iterable[str]) -> "Listener.Health":
            """The worst of several listeners' (or targets') health: what a component, or a
            listener, shows. Unused when there are none. Draining listeners are on their way
            out and are never weighed."""
            order = [cls.UNHEALTHY, cls.PENDING, cls.INITIAL, cls.UNUSED, cls.HEALTHY]
            return min((cls(h) for h in healths), key=order.index, default=cls.UNUSED)

    # AWS has given its verdict on the targets; the others wait for AWS or the reconciler.
    SETTLED_HEALTH = (Health.HEALTHY, Health.UNHEALTHY, Health.UNUSED)

    privatelink = models.ForeignKey(PrivateLink, models.CASCADE, related_name="listeners")
    component = models.CharField(max_length=64)
    # Per-node components get a listener per node and per connection; balanced and
    # primary components one listener shared by all connections (both null).
    connection = models.ForeignKey(
        PrivateLinkConnection, models.CASCADE, null=True, blank=True, related_name="listeners"
    )
    # SET_NULL: a node removed by a plan change leaves its rows for the reconciler, which
    # deletes their listener and target group in AWS before the row.
    node = models.ForeignKey(ServiceNode, models.SET_NULL, null=True, blank=True, related_name="+")
    # Kafka: the client authentication method the listener serves (its brokers answer each
    # on a port of their own); "" for every other component.
    kafka_authentication_method = models.CharField(
        max_length=16, blank=True, choices=[(m.value, m.value) for m in KafkaAuthenticationMethod]
    )
    # component[.sasl][:connection id][:node name], unique per link: what the listener is for.
    slot = models.CharField(max_length=160)
    port = models.PositiveIntegerField()
    target_group_arn = models.CharField(max_length=255, blank=True)
    listener_arn = models.CharField(max_length=255, blank=True)
    health = models.CharField(max_length=16, choices=Health.choices, default=Health.PENDING)

    objects = models.Manager.from_queryset(PrivateLinkChildQuerySet["Listener"])()

    class Meta:
        ordering = ["component", "port"]
        constraints = [
            # An NLB has one listener per port: two slots never share a port.
            models.UniqueConstraint(
                fields=["privatelink", "port"], name="listener_port_unique_per_nlb"
            ),
            # One listener per purpose, so a duplicate reconcile cannot allocate twice.
            models.UniqueConstraint(fields=["privatelink", "slot"], name="listener_slot_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.slot} on {self.port}"

    def mark_draining(self) -> None:
        """Its targets are deregistered and drain: the row keeps the port, and frees the
        slot for a node that comes back."""
        self.slot = f"draining:{self.pk}"
        self.health = self.Health.DRAINING
        self.save(update_fields=["slot", "health", "updated"])


class OrphanSighting(models.Model):
    """A resource carrying this deployment's tags but no row, first seen at `first_seen`.

    The sweep deletes it only after a grace period, so that a resource created a moment
    before its row is committed (or in a reconcile still running) is never taken for a leak.
    """

    resource_id = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=32)
    # The role ARN of the platform account it was seen in ("" for the own credentials):
    # each account's leak scan compares only its own sightings.
    account = models.CharField(max_length=255, blank=True, default="")
    first_seen = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.kind} {self.resource_id} since {self.first_seen}"


class ReconcileLease(models.Model):
    """A lease that lets one reconcile run at a time for one key (a service or a VPC).

    Claimed with a conditional UPDATE that works alike on SQLite and PostgreSQL,
    where select_for_update would do nothing on SQLite.
    """

    key = models.CharField(max_length=64, unique=True)
    holder = models.CharField(max_length=64, blank=True)
    expires = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.key} held by {self.holder or 'nobody'} until {self.expires}"


class RateBudget(models.Model):
    """A token bucket shared by every worker, for AWS calls with a small per-account budget
    (endpoint-service create/modify/delete and accept/reject: 10 burst, 1 per second).

    Taken with a conditional UPDATE on the values read, like the lease.
    """

    key = models.CharField(max_length=64, unique=True)
    tokens = models.FloatField()
    updated = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.key}: {self.tokens:.1f} tokens at {self.updated}"


class PlatformAccount(models.Model):
    """One platform account in one region: an AWS account of the pool, reached through a
    role, or another cloud's one platform account (Azure's subscription; no role).

    An NLB must sit in its targets' VPC, so accounts take whole Project VPCs
    (`ProjectVpcPlacement`) and every PrivateLink of the VPC's services lives there. The
    quotas are the cloud's as it last reported them (its defaults until then): AWS's NLBs
    and target groups (`DescribeAccountLimits`) on an AWS account, the Google project's
    service attachments in the region (`regions.get`) on a Google one; usage is counted
    from the database.
    """

    region = models.CharField(max_length=32)
    # Empty: the deployment's own credentials (AWS_PLATFORM_ROLE_ARN unset, or the fake).
    role_arn = models.CharField("role ARN", max_length=255, blank=True)
    # AWS's; a Google account has neither (its rows keep the defaults, unread).
    load_balancer_quota = models.PositiveIntegerField(default=50)
    target_group_quota = models.PositiveIntegerField(default=3000)
    # Google's SERVICE_ATTACHMENTS in the region: one per PrivateLink. None on AWS, and on
    # Google until first read (Google's default then applies: placement.GOOGLE_DEFAULTS).
    service_attachment_quota = models.PositiveIntegerField(null=True, blank=True)
    quotas_checked = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["region", "pk"]
        constraints = [
            # An account is listed once per region; placement relies on one row each.
            models.UniqueConstraint(fields=["region", "role_arn"], name="platform_account_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} in {self.region}"

    @property
    def account_id(self) -> str:
        """The 12-digit account of the role; the deployment's own account when no role."""
        parts = self.role_arn.split(":")
        return parts[4] if len(parts) > 4 and parts[4] else "own account"


class ProjectVpcPlacement(models.Model):
    """Which platform account holds a Project VPC (and so the NLBs of its PrivateLinks).

    Chosen once, when the VPC is first seen, and never moved: its AWS resources live there.
    """

    project_vpc = models.OneToOneField(
        "console.ProjectVPC", models.CASCADE, related_name="placement"
    )
    account = models.ForeignKey(PlatformAccount, models.PROTECT, related_name="placements")
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.project_vpc} in {self.account}"
