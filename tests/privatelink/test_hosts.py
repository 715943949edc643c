"""The privatelink host looks like the platform's: privatelink-N- and the dynamic host."""

from django.test import override_settings

from privatelink.hosts import connection_host, domain, is_host_of
from privatelink.models import PrivateLinkConnection


def test_by_default_the_host_is_privatelink_n_and_the_dynamic_host_in_its_domain(service):
    assert service.dynamic_host == "my-kafka-demo.example.test"
    assert connection_host(service, 1) == "privatelink-1-my-kafka-demo.example.test"
    assert connection_host(service, 2) == "privatelink-2-" + service.dynamic_host
    assert domain() == "example.test"


@override_settings(PRIVATELINK_DOMAIN="pl.example.net")
def test_privatelink_domain_puts_the_hosts_in_a_domain_of_their_own(service):
    assert connection_host(service, 1) == "privatelink-1-my-kafka-demo.pl.example.net"
    assert domain() == "pl.example.net"


def test_records_are_recognised_by_the_same_rule(service):
    mine = is_host_of(service)
    assert mine(connection_host(service, 7))
    assert not mine(service.dynamic_host)
    assert not mine("privatelink-1-my-kafka-demo.privatelink.example.test")
    assert not mine("privatelink-1-other-demo.example.test")


def test_the_host_is_built_in_one_place_only():
    assert not hasattr(PrivateLinkConnection, "host")
