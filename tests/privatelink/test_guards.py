"""Each guard of the reconciler, against the fake AWS: crashes, concurrent runs, throttling,
terminal errors, drift, the connection limit and leaked resources."""

from types import SimpleNamespace

import botocore.endpoint
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

from console.models import AuditEvent
from privatelink import actions, sweep, tasks
from privatelink.clouds.aws import driver as aws_driver
from privatelink.clouds.aws.gateway import Gateway
from privatelink.clouds.aws.gateway.errors import classify
from privatelink.clouds.aws.gateway.tags import TAG_DEPLOYMENT, TAG_OWNER
from privatelink.engine import naming, reconcile
from privatelink.models import Listener, PrivateLink, PrivateLinkConnection
from tests.constants import CUSTOMER_ACCOUNT, CUSTOMER_ROLE
from tests.faults.injection import Crash
from tests.privatelink.aws_state import aws_inventory
from tests.privatelink.engine import converge

INTRUDER = "arn:aws:iam::999988887777:root"


def _aws_error(code: str, operation: str) -> Exception:
    return classify(
        ClientError({"Error": {"Code": code, "Message": f"{code} (injected)"}}, operation),
        operation,
    )


def _connect(fake_aws, privatelink):
    privatelink.refresh_from_db()
    return fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(
        privatelink.aws.service_name
    )


@pytest.mark.parametrize("operation", ["create_load_balancer", "create_endpoint_service"])
def test_a_crash_between_an_aws_create_and_the_database_save_leaves_one_of_each(
    fake_aws, privatelink, service, operation
):
    class CrashAfterCreate(Gateway):
        pass

    def crash_after(self, *args, **kwargs):
        getattr(Gateway, operation)(self, *args, **kwargs)
        raise Crash

    setattr(CrashAfterCreate, operation, crash_after)
    with pytest.raises(Crash):
        reconcile.reconcile_service(service.pk, CrashAfterCreate)

    converge(service)

    privatelink.refresh_from_db()
    inventory = aws_inventory(fake_aws)
    assert privatelink.state == PrivateLink.State.ACTIVE
    assert len(inventory["load_balancers"]) == 1
    assert [s["ServiceId"] for s in inventory["endpoint_services"]] == [privatelink.aws.service_id]


def test_two_reconciles_of_one_service_at_once_create_no_duplicates(
    fake_aws, privatelink, service, developer
):
    actions.set_component_access(service, {"schema_registry": True}, actor=developer)
    second_run = []

    class RacingGateway(Gateway):
        def create_load_balancer(self, *args, **kwargs):
            # The second delivery of the same task starts while the first is mid-way.
            second_run.append(reconcile.reconcile_service(service.pk))
            return super().create_load_balancer(*args, **kwargs)

    reconcile.reconcile_service(service.pk, RacingGateway)

    assert second_run[0].requeue_after is not None  # it found the lease taken and backed off
    inventory = aws_inventory(fake_aws)
    assert len(inventory["load_balancers"]) == 1
    assert len(inventory["endpoint_services"]) == 1
    assert [listener["Port"] for listener in inventory["listeners"]] == [12695]
    assert list(Listener.objects.values_list("port", flat=True)) == [12695]


class _Body:
    def __init__(self, content: bytes) -> None:
        self.content = content

    def stream(self, **kwargs):
        yield self.content


def _throttle_every_second_request(counter):
    """A botocore hook that answers every second HTTP request with AWS's throttling error."""

    def before_send(request, **kwargs):
        counter.append(request.url)
        if len(counter) % 2:
            return None
        body = request.body or b""
        if "Version=2016-11-15" in (body.decode() if isinstance(body, bytes) else body):
            body = (
                b"<Response><Errors><Error><Code>RequestLimitExceeded</Code>"
                b"<Message>Request limit exceeded.</Message></Error></Errors>"
                b"<RequestID>1</RequestID></Response>"
            )
        else:
            body = (
                b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                b"<Message>Rate exceeded</Message></Error><RequestId>1</RequestId></ErrorResponse>"
            )
        return AWSResponse(request.url, 400, {}, _Body(body))

    return before_send


def test_throttling_on_every_second_call_converges(
    fake_aws, privatelink, service, developer, monkeypatch
):
    requests = []

    class ThrottledGateway(Gateway):
        def _client(self, name):
            client = super()._client(name)
            if not getattr(client, "_throttled", False):
                client.meta.events.register("before-send", _throttle_every_second_request(requests))
                client._throttled = True
            return client

    # botocore's backoff between its retries, not AWS's answers, is what takes time here.
    monkeypatch.setattr(botocore.endpoint, "time", SimpleNamespace(sleep=lambda seconds: None))
    actions.set_component_access(service, {"kafka": True}, actor=developer)
    for _ in range(20):
        outcome = reconcile.reconcile_service(service.pk, ThrottledGateway)
        if outcome.requeue_after is None:
            break

    privatelink.refresh_from_db()
    inventory = aws_inventory(fake_aws)
    assert len(requests) > 20
    assert privatelink.state == PrivateLink.State.ACTIVE
    assert privatelink.last_error == ""
    assert len(inventory["load_balancers"]) == 1
    assert len(inventory["endpoint_services"]) == 1


def test_a_validation_error_from_aws_is_terminal_shown_and_not_retried(
    fake_aws, privatelink, service, monkeypatch
):
    attempts = []

    class RefusingGateway(Gateway):
        def create_endpoint_service(self, *args, **kwargs):
            attempts.append(1)
            raise _aws_error("InvalidParameter", "create_vpc_endpoint_service_configuration")

    monkeypatch.setattr(aws_driver, "Gateway", RefusingGateway)
    result = tasks.reconcile_service.apply(args=[service.pk])

    privatelink.refresh_from_db()
    assert result.successful()
    assert attempts == [1]
    assert "InvalidParameter" in privatelink.last_error
    assert privatelink.failed_generation == privatelink.generation
    assert privatelink.state == PrivateLink.State.CREATING
    assert service.pk not in sweep.sweep(RefusingGateway).queued


def test_a_transient_error_is_retried_by_the_task(fake_aws, privatelink, service, monkeypatch):
    attempts = []

    class FlakyGateway(Gateway):
        def find_load_balancers(self, name):
            attempts.append(1)
            if len(attempts) == 1:
                raise _aws_error("RequestLimitExceeded", "describe_load_balancers")
            return super().find_load_balancers(name)

    monkeypatch.setattr(aws_driver, "Gateway", FlakyGateway)
    tasks.reconcile_service.apply(args=[service.pk])

    privatelink.refresh_from_db()
    assert len(attempts) >= 2
    assert privatelink.aws.service_id


def test_drift_behind_the_consoles_back_is_restored_by_the_sweep_with_a_system_event(
    fake_aws, privatelink, service, developer, queued
):
    actions.set_component_access(service, {"kafka": True}, actor=developer)
    converge(service)
    _connect(fake_aws, privatelink)
    converge(service)
    privatelink.refresh_from_db()
    elb = fake_aws.client("elbv2")
    ec2 = fake_aws.client("ec2")
    ec2.modify_vpc_endpoint_service_permissions(
        ServiceId=privatelink.aws.service_id, AddAllowedPrincipals=[INTRUDER]
    )
    victim = Listener.objects.filter(component="kafka").first()
    elb.delete_listener(ListenerArn=victim.listener_arn)
    queued.clear()

    # Principals and listeners are compared on the link's turn of the rotation only.
    assert sweep.sweep(turn=privatelink.pk + 1).drifted == set()
    report = sweep.sweep(turn=privatelink.pk)

    assert report.drifted == {service.pk}
    assert service.pk in report.queued
    converge(service)
    allowed = ec2.describe_vpc_endpoint_service_permissions(ServiceId=privatelink.aws.service_id)
    assert {p["Principal"] for p in allowed["AllowedPrincipals"]} == {CUSTOMER_ROLE}
    ports = {
        x["Port"]
        for x in elb.describe_listeners(LoadBalancerArn=privatelink.aws.nlb_arn)["Listeners"]
    }
    assert victim.port in ports
    repaired = AuditEvent.objects.filter(action="privatelink.drift_repaired", actor=None)
    assert {e.after["resource"] for e in repaired} == {"allowed principals", "listener"}
    assert {e.actor_label for e in repaired} == {"system"}
    assert sweep.sweep(turn=privatelink.pk).drifted == set()


def test_the_sweep_finds_a_new_customer_endpoint_without_user_action(
    fake_aws, privatelink, service, queued
):
    converge(service)
    _connect(fake_aws, privatelink)
    queued.clear()
    assert sweep.sweep().drifted == {service.pk}
    converge(service)
    assert PrivateLinkConnection.objects.get().state == PrivateLinkConnection.State.ACTIVE


def test_a_second_endpoint_beyond_the_limit_of_one_is_rejected_and_the_first_stays(
    fake_aws, privatelink, service, settings
):
    settings.PRIVATELINK_MAX_CONNECTIONS = 1
    converge(service)
    first = _connect(fake_aws, privatelink)
    converge(service)
    second = _connect(fake_aws, privatelink)
    converge(service)

    rows = {c.endpoint_id: c for c in PrivateLinkConnection.objects.all()}
    assert rows[first.id].state == PrivateLinkConnection.State.ACTIVE
    assert rows[second.id].state == PrivateLinkConnection.State.REJECTED
    assert "limit" in rows[second.id].rejection_reason
    customer = fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE)
    assert customer.describe_endpoint(first.id).state == "available"
    assert customer.describe_endpoint(second.id).state == "rejected"
    assert AuditEvent.objects.filter(action="privatelink.connection_rejected", actor=None).exists()


def _leaked_balancer(fake_aws, name, tags):
    ec2 = fake_aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.50.1.0/24", AvailabilityZone="eu-west-1a")
    return fake_aws.client("elbv2").create_load_balancer(
        Name=name,
        Subnets=[subnet["Subnet"]["SubnetId"]],
        Scheme="internal",
        Type="network",
        Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
    )["LoadBalancers"][0]["LoadBalancerArn"]


def test_a_leaked_nlb_with_our_tags_is_removed_after_the_grace_and_an_untagged_one_is_not(
    fake_aws, db, settings, queued
):
    ours = _leaked_balancer(
        fake_aws,
        naming.load_balancer_name(999),
        {TAG_DEPLOYMENT: settings.DEPLOYMENT_ID, TAG_OWNER: "privatelink/999"},
    )
    foreign = _leaked_balancer(fake_aws, "someone-elses", {"team": "data"})
    other_deployment = _leaked_balancer(
        fake_aws, "pl-other-999", {TAG_DEPLOYMENT: "staging", TAG_OWNER: "privatelink/999"}
    )

    settings.PRIVATELINK_ORPHAN_GRACE_SECONDS = 600
    assert sweep.sweep(turn=0).removed == []
    settings.PRIVATELINK_ORPHAN_GRACE_SECONDS = 0
    assert sweep.sweep(turn=1).removed == []  # the leak scan is not this sweep's turn
    assert sweep.sweep(turn=0).removed == [ours]

    left = {lb["LoadBalancerArn"] for lb in aws_inventory(fake_aws)["load_balancers"]}
    assert left == {foreign, other_deployment}


def test_a_dns_record_deleted_behind_the_consoles_back_is_restored_by_the_sweep(
    fake_aws, privatelink, service, queued
):
    converge(service)
    _connect(fake_aws, privatelink)
    converge(service)
    connection = PrivateLinkConnection.objects.get()
    route53 = fake_aws.client("route53")
    (zone,) = route53.list_hosted_zones()["HostedZones"]
    name = "privatelink-1-my-kafka-demo.example.test"
    route53.change_resource_record_sets(
        HostedZoneId=zone["Id"],
        ChangeBatch={
            "Changes": [
                {
                    "Action": "DELETE",
                    "ResourceRecordSet": {
                        "Name": name,
                        "Type": "CNAME",
                        "TTL": 60,
                        "ResourceRecords": [{"Value": connection.dns_name}],
                    },
                }
            ]
        },
    )
    assert aws_inventory(fake_aws)["dns_records"] == {}

    assert sweep.sweep().drifted == {service.pk}
    converge(service)

    assert aws_inventory(fake_aws)["dns_records"] == {name: connection.dns_name}
    assert AuditEvent.objects.filter(
        action="privatelink.drift_repaired", actor=None, after__resource="DNS record"
    ).exists()


def test_a_delete_saved_while_a_run_works_is_not_overwritten_by_that_run(
    fake_aws, privatelink, service, developer
):
    class DeleteDuringRun(Gateway):
        """The user confirms the delete while this run is still talking to AWS."""

        def create_endpoint_service(self, *args, **kwargs):
            created = super().create_endpoint_service(*args, **kwargs)
            link = PrivateLink.objects.get(pk=privatelink.pk)
            actions.delete_privatelink(link, actor=developer)
            return created

    outcome = reconcile.reconcile_service(service.pk, DeleteDuringRun)

    privatelink.refresh_from_db()
    assert privatelink.state == PrivateLink.State.DELETING
    assert privatelink.observed_generation < privatelink.generation
    assert outcome.requeue_after is not None

    converge(service)
    assert not PrivateLink.objects.filter(pk=privatelink.pk).exists()
    inventory = aws_inventory(fake_aws)
    assert inventory["load_balancers"] == []
    assert inventory["endpoint_services"] == []


def test_every_link_gets_its_deep_check_once_in_a_full_rotation(settings):
    settings.PRIVATELINK_DEEP_CHECK_SWEEPS = 7
    links = [PrivateLink(pk=pk) for pk in range(1, 50)]
    for link in links:
        turns = [t for t in range(100, 107) if sweep.deep_check_due(link, t)]
        assert len(turns) == 1


def test_the_leak_scan_reads_link_ids_only_from_this_deployments_names(settings):
    assert naming.privatelink_id_of_name(naming.load_balancer_name(42)) == 42
    assert naming.privatelink_id_of_name(naming.target_group_name(42, 10001)) == 42
    assert naming.privatelink_id_of_name("pl-other-42") is None
    settings.DEPLOYMENT_ID = "staging"
    assert naming.privatelink_id_of_name(naming.load_balancer_name(42)) == 42
    settings.DEPLOYMENT_ID = "local"
    assert naming.privatelink_id_of_name("pl-" + "x" * 6 + "-42") is None
