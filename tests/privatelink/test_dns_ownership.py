"""Every host has one owner: two services whose names once gave the same host keep apart
in Route 53, and a record another owner holds is left alone and reported, never fought
over."""

import pytest

from console.models import AuditEvent
from privatelink import actions, sweep
from privatelink.engine import naming
from privatelink.hosts import MAX_CONNECTION_NUMBER, connection_host
from privatelink.models import ConnectionHost, PrivateLink, PrivateLinkConnection
from tests.constants import CUSTOMER_ACCOUNT, CUSTOMER_ROLE, OTHER_ACCOUNT_ROLE
from tests.factories import ProjectFactory, ProjectVPCFactory, ServiceFactory
from tests.privatelink.aws_state import aws_inventory
from tests.privatelink.engine import converge

OTHER_ACCOUNT = OTHER_ACCOUNT_ROLE.split(":")[4]
HOST = "privatelink-1-my-kafka-demo.example.test"
FOREIGN_OWNER = "heritage=privatelink-console,deployment=elsewhere,owner=privatelink/999"


def _connected(fake_aws, service, account, role):
    """The service with an active PrivateLink and one published connection from `account`."""
    link = actions.create_privatelink(service, [role], actor=None).link
    converge(service)
    link.refresh_from_db()
    fake_aws.customer(account, role).create_endpoint(link.aws.service_name)
    converge(service)
    return link


def _zone_id(fake_aws):
    (zone,) = fake_aws.client("route53").list_hosted_zones()["HostedZones"]
    return zone["Id"]


def _records(fake_aws):
    """Every CNAME and TXT record of the zone: (name, type) -> values."""
    found = fake_aws.client("route53").list_resource_record_sets(HostedZoneId=_zone_id(fake_aws))
    return {
        (r["Name"].rstrip("."), r["Type"]): [v["Value"] for v in r.get("ResourceRecords", [])]
        for r in found["ResourceRecordSets"]
        if r["Type"] in ("CNAME", "TXT")
    }


def _write(fake_aws, name, kind, value):
    fake_aws.client("route53").change_resource_record_sets(
        HostedZoneId=_zone_id(fake_aws),
        ChangeBatch={
            "Changes": [
                {
                    "Action": "UPSERT",
                    "ResourceRecordSet": {
                        "Name": name,
                        "Type": kind,
                        "TTL": 60,
                        "ResourceRecords": [{"Value": value}],
                    },
                }
            ]
        },
    )


def test_services_whose_names_once_collided_keep_their_own_records_through_many_rounds(
    fake_aws, service, queued
):
    other_project = ProjectFactory(name="kafka-demo")
    ProjectVPCFactory(project=other_project, cidr="10.1.0.0/16")
    other = ServiceFactory(project=other_project, name="my")
    demo_link = _connected(fake_aws, service, CUSTOMER_ACCOUNT, CUSTOMER_ROLE)
    other_link = _connected(fake_aws, other, OTHER_ACCOUNT, OTHER_ACCOUNT_ROLE)

    demo_row = PrivateLinkConnection.objects.get(privatelink=demo_link)
    other_row = PrivateLinkConnection.objects.get(privatelink=other_link)
    assert demo_row.state == other_row.state == PrivateLinkConnection.State.ACTIVE
    other_host = f"privatelink-1-{other.host_label}.example.test"
    assert other_host != HOST
    published = aws_inventory(fake_aws)["dns_records"]
    assert published == {HOST: demo_row.dns_name, other_host: other_row.dns_name}
    first = _records(fake_aws)

    # 20 reads over 60 s of the fake's clock, with a sweep and the reconciles it asks for
    # between them, each sweep comparing another slice in depth.
    for turn in range(20):
        fake_aws.advance_clock(3)
        report = sweep.sweep(turn=turn)
        for changed in (service, other):
            converge(changed)
        assert report.drifted == set()
        assert _records(fake_aws) == first

    assert not AuditEvent.objects.filter(action="privatelink.drift_repaired").exists()
    assert not AuditEvent.objects.filter(action="privatelink.dns_conflict").exists()
    owned = ConnectionHost.objects.filter(privatelink=demo_link).values_list("host", flat=True)
    assert set(owned) == {HOST}
    assert first[(f"_owner.{HOST}", "TXT")] == [f'"{naming.dns_owner(demo_link.pk)}"']
    assert first[(f"_owner.{other_host}", "TXT")] == [f'"{naming.dns_owner(other_link.pk)}"']


@pytest.mark.parametrize(
    "foreign",
    [
        pytest.param({"TXT": f'"{FOREIGN_OWNER}"'}, id="marked-as-another-owners"),
        pytest.param({}, id="unmarked-pointing-elsewhere"),
    ],
)
def test_a_record_another_owner_holds_is_left_alone_and_reported(
    fake_aws, privatelink, service, foreign
):
    converge(service)
    privatelink.refresh_from_db()
    fake_aws.client("route53").create_hosted_zone(Name="example.test.", CallerReference="ops")
    _write(fake_aws, HOST, "CNAME", "somewhere.else.example.net")
    for kind, value in foreign.items():
        _write(fake_aws, f"_owner.{HOST}", kind, value)
    before = _records(fake_aws)

    fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(privatelink.aws.service_name)
    converge(service)
    for turn in range(3):
        sweep.sweep(turn=turn)
        converge(service)

    assert _records(fake_aws) == before
    connection = PrivateLinkConnection.objects.get()
    assert connection.state == PrivateLinkConnection.State.CONNECTED
    assert not connection.dns_record_published
    privatelink.refresh_from_db()
    assert privatelink.state == PrivateLink.State.ACTIVE
    assert f"The DNS name {HOST}" in privatelink.last_error
    assert "belongs to another owner, so it was left unchanged" in privatelink.last_error
    conflicts = AuditEvent.objects.filter(action="privatelink.dns_conflict", service=service)
    assert [e.after["name"] for e in conflicts] == [HOST]
    assert not AuditEvent.objects.filter(action="privatelink.drift_repaired").exists()


def test_once_the_other_record_is_removed_the_host_is_published(fake_aws, privatelink, service):
    converge(service)
    privatelink.refresh_from_db()
    fake_aws.client("route53").create_hosted_zone(Name="example.test.", CallerReference="ops")
    _write(fake_aws, HOST, "CNAME", "somewhere.else.example.net")
    _write(fake_aws, f"_owner.{HOST}", "TXT", f'"{FOREIGN_OWNER}"')
    fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(privatelink.aws.service_name)
    converge(service)
    route53 = fake_aws.client("route53")
    changes = [
        {"Action": "DELETE", "ResourceRecordSet": {"Name": name, "Type": kind, "TTL": 60,
                                                   "ResourceRecords": [{"Value": value}]}}
        for name, kind, value in [
            (HOST, "CNAME", "somewhere.else.example.net"),
            (f"_owner.{HOST}", "TXT", f'"{FOREIGN_OWNER}"'),
        ]
    ]  # fmt: skip
    route53.change_resource_record_sets(
        HostedZoneId=_zone_id(fake_aws), ChangeBatch={"Changes": changes}
    )

    assert service.pk in sweep.sweep().queued
    converge(service)

    connection = PrivateLinkConnection.objects.get()
    assert connection.state == PrivateLinkConnection.State.ACTIVE
    assert aws_inventory(fake_aws)["dns_records"] == {HOST: connection.dns_name}
    privatelink.refresh_from_db()
    assert privatelink.last_error == ""


def test_deleting_the_privatelink_leaves_a_record_held_by_another_owner(
    fake_aws, privatelink, service, developer
):
    converge(service)
    privatelink.refresh_from_db()
    fake_aws.client("route53").create_hosted_zone(Name="example.test.", CallerReference="ops")
    _write(fake_aws, HOST, "CNAME", "somewhere.else.example.net")
    _write(fake_aws, f"_owner.{HOST}", "TXT", f'"{FOREIGN_OWNER}"')
    fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(privatelink.aws.service_name)
    converge(service)
    before = _records(fake_aws)

    actions.delete_privatelink(privatelink, actor=developer)
    converge(service)

    assert not PrivateLink.objects.exists()
    assert _records(fake_aws) == before


def test_a_record_published_before_ownership_records_is_adopted_without_a_repair(
    fake_aws, kafka_over_privatelink, service
):
    connection = PrivateLinkConnection.objects.get()
    route53 = fake_aws.client("route53")
    owner = f'"{naming.dns_owner(kafka_over_privatelink.pk)}"'
    route53.change_resource_record_sets(
        HostedZoneId=_zone_id(fake_aws),
        ChangeBatch={"Changes": [{"Action": "DELETE", "ResourceRecordSet": {
            "Name": f"_owner.{HOST}", "Type": "TXT", "TTL": 60,
            "ResourceRecords": [{"Value": owner}]}}]},
    )  # fmt: skip

    assert sweep.sweep().drifted == {service.pk}
    converge(service)

    records = _records(fake_aws)
    assert records[(HOST, "CNAME")] == [connection.dns_name]
    assert records[(f"_owner.{HOST}", "TXT")] == [owner]
    assert not AuditEvent.objects.filter(action="privatelink.drift_repaired").exists()


def test_a_service_moved_to_a_new_label_publishes_it_and_removes_its_old_record(
    fake_aws, kafka_over_privatelink, service
):
    # As the migration to unique labels leaves the later of two colliding services: its old
    # host still owned, its record unmarked, its connection waiting to be published again.
    old_host = "privatelink-1-my-kafka-old.example.test"
    ConnectionHost.objects.create(host=old_host, privatelink=kafka_over_privatelink)
    connection = PrivateLinkConnection.objects.get()
    _write(fake_aws, old_host, "CNAME", connection.dns_name)
    PrivateLinkConnection.objects.update(
        state=PrivateLinkConnection.State.CONNECTED, dns_record_published=False
    )

    assert service.pk in sweep.sweep().queued
    converge(service)

    assert aws_inventory(fake_aws)["dns_records"] == {HOST: connection.dns_name}
    connection.refresh_from_db()
    assert connection.state == PrivateLinkConnection.State.ACTIVE
    assert not AuditEvent.objects.filter(action="privatelink.drift_repaired").exists()


def test_a_service_that_used_every_connection_number_is_told_to_contact_support(
    fake_aws, privatelink, service
):
    converge(service)
    privatelink.refresh_from_db()
    ConnectionHost.objects.bulk_create(
        ConnectionHost(host=connection_host(service, n))
        for n in range(1, MAX_CONNECTION_NUMBER + 1)
    )
    fake_aws.customer(CUSTOMER_ACCOUNT, CUSTOMER_ROLE).create_endpoint(privatelink.aws.service_name)

    outcome = converge(service)

    assert "has been given out; contact support" in outcome.error
    assert not PrivateLinkConnection.objects.exists()
    assert aws_inventory(fake_aws)["dns_records"] == {}
