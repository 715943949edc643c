"""The registry picks a cloud's driver by the catalog's provider, importing it on first use."""

import dataclasses
import sys
import types

import pytest

from console import catalog
from privatelink.clouds import registry
from privatelink.clouds.aws.driver import AwsDriver, phase_of, status_of
from privatelink.clouds.aws.gateway import Gateway
from privatelink.clouds.driver import Phase

ROLE = "arn:aws:iam::111111111111:role/pl"


class RecordingGateway(Gateway):
    """A Gateway that only records how it was made (making one calls no AWS)."""

    made: list[tuple[str, str | None]] = []

    def __init__(self, region: str, role_arn: str | None = None) -> None:
        super().__init__(region, role_arn=role_arn)
        self.made.append((region, role_arn))


def test_aws_gets_the_aws_driver_on_the_accounts_gateway() -> None:
    driver = registry.driver_for("aws", "eu-west-1", ROLE)

    assert isinstance(driver, AwsDriver)
    assert (driver.gateway.region, driver.gateway.role_arn) == ("eu-west-1", ROLE)
    assert driver.dns is driver.gateway


def test_a_catalog_cloud_is_served_by_its_providers_driver_in_its_region() -> None:
    driver = registry.driver_for_cloud("aws-eu-central-1", ROLE)

    assert isinstance(driver, AwsDriver)
    assert driver.gateway.region == catalog.get_cloud("aws-eu-central-1").region


def test_the_client_factory_makes_the_drivers_clients(monkeypatch) -> None:
    monkeypatch.setattr(RecordingGateway, "made", [])

    driver = registry.driver_for_cloud("aws-us-west-2", "", client_factory=RecordingGateway)

    assert isinstance(driver, AwsDriver)
    assert isinstance(driver.gateway, RecordingGateway)
    assert RecordingGateway.made == [("us-west-2", "")]


def test_the_lease_hook_reaches_the_clients() -> None:
    driver = registry.driver_for("aws", "eu-west-1")

    def keep_alive() -> None:
        pass

    driver.before_call = keep_alive

    assert isinstance(driver, AwsDriver)
    assert driver.gateway.before_call is keep_alive


@pytest.mark.parametrize("provider", ["oracle", "errors", "driver", "AWS", "aws.gateway", ""])
def test_a_provider_without_a_driver_is_refused_by_name(provider) -> None:
    with pytest.raises(registry.UnknownProvider, match="driver"):
        registry.driver_for(provider, "somewhere")


def test_a_providers_package_is_imported_when_first_asked_for(monkeypatch) -> None:
    made = []
    package = types.ModuleType("privatelink.clouds.othercloud")
    package.make_driver = lambda region, account, factory: made.append((region, account)) or made
    monkeypatch.setitem(sys.modules, "privatelink.clouds.othercloud", package)
    home = catalog.get_cloud("aws-eu-west-1")
    other = dataclasses.replace(home, name="othercloud-north-1", provider="othercloud")
    monkeypatch.setitem(catalog.CLOUD_CATALOG, other.name, other)

    driver = registry.driver_for_cloud("othercloud-north-1", "subscription-1")

    assert driver is made
    assert made == [("eu-west-1", "subscription-1")]


def test_a_cloud_the_catalog_does_not_list_has_no_driver() -> None:
    with pytest.raises(KeyError):
        registry.driver_for_cloud("aws-mars-north-1")


@pytest.mark.parametrize(
    ("state", "phase"),
    [
        ("pendingAcceptance", Phase.PENDING),
        ("pending", Phase.ACCEPTED),
        ("Available", Phase.AVAILABLE),
        ("rejected", Phase.REJECTED),
        ("deleting", Phase.GONE),
        ("deleted", Phase.GONE),
        ("failed", Phase.GONE),
        ("expired", Phase.GONE),
        ("partial", Phase.OTHER),
    ],
)
def test_aws_endpoint_states_reach_the_engine_as_phases(state, phase) -> None:
    assert phase_of(state) == phase


def test_an_accept_or_reject_is_shown_in_awss_words() -> None:
    assert status_of(Phase.ACCEPTED) == "pending"
    assert status_of(Phase.REJECTED) == "rejected"
