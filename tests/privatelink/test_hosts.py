"""The privatelink host looks like the platform's: privatelink-N- and the dynamic host, whose
first label is unique across the platform."""

from django.test import override_settings

from console.host_names import DNS_LABEL_MAX, HOST_LABEL_MAX
from console.models import HostLabel
from privatelink.hosts import MAX_CONNECTION_NUMBER, connection_host, domain
from privatelink.models import PrivateLinkConnection
from tests.factories import ProjectFactory, ServiceFactory


def test_by_default_the_host_is_privatelink_n_and_the_dynamic_host_in_its_domain(service):
    assert service.dynamic_host == "my-kafka-demo.example.test"
    assert connection_host(service, 1) == "privatelink-1-my-kafka-demo.example.test"
    assert connection_host(service, 2) == "privatelink-2-" + service.dynamic_host
    assert domain() == "example.test"


@override_settings(PRIVATELINK_DOMAIN="pl.example.net")
def test_privatelink_domain_puts_the_hosts_in_a_domain_of_their_own(service):
    assert connection_host(service, 1) == "privatelink-1-my-kafka-demo.pl.example.net"
    assert domain() == "pl.example.net"


def test_services_whose_names_give_the_same_host_get_different_hosts(service):
    other = ServiceFactory(project=ProjectFactory(name="kafka-demo"), name="my")

    assert service.host_label == "my-kafka-demo"
    assert other.host_label.startswith("my-kafka-demo-")
    assert other.dynamic_host != service.dynamic_host
    assert connection_host(other, 1) != connection_host(service, 1)
    assert set(HostLabel.objects.values_list("label", flat=True)) == {
        service.host_label,
        other.host_label,
    }


def test_a_label_stays_reserved_after_its_service_is_gone_and_returns_to_its_successor(
    service,
):
    service.delete()
    other = ServiceFactory(project=ProjectFactory(name="kafka-demo"), name="my")
    again = ServiceFactory(project=service.project, name="my-kafka")

    assert other.host_label != "my-kafka-demo"
    assert again.host_label == "my-kafka-demo"


def test_the_label_with_a_suffix_still_leaves_room_for_the_longest_prefix(db):
    project = ProjectFactory(name="p" * 20)
    first = ServiceFactory(project=project, name="a" * 4 + "-" + "b" * 21)
    clash = ServiceFactory(project=ProjectFactory(name="b" * 21 + "-" + "p" * 20), name="aaaa")

    assert first.host_label == "aaaa-" + "b" * 21 + "-" + "p" * 20
    assert len(first.host_label) == HOST_LABEL_MAX
    assert clash.host_label != first.host_label
    assert len(clash.host_label) <= HOST_LABEL_MAX
    longest = connection_host(clash, MAX_CONNECTION_NUMBER).split(".")[0]
    assert len(longest) <= DNS_LABEL_MAX


def test_the_host_is_built_in_one_place_only():
    assert not hasattr(PrivateLinkConnection, "host")
