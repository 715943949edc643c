"""The catalog's clouds carry their provider and region as data."""

import pytest

from console import catalog, zones


def test_every_cloud_is_named_by_its_provider_and_region() -> None:
    for cloud in catalog.CLOUD_CATALOG.values():
        assert cloud.name == f"{cloud.provider}-{cloud.region}"
        assert cloud.provider in catalog.PROVIDERS


def test_a_cloud_region_comes_from_the_catalog() -> None:
    assert catalog.region_of("aws-eu-central-1") == "eu-central-1"
    assert catalog.get_cloud("aws-us-west-2").provider == "aws"


def test_a_cloud_the_platform_does_not_list_has_no_region() -> None:
    with pytest.raises(KeyError):
        catalog.region_of("aws-mars-north-1")


def test_default_zone_names_follow_the_clouds_region() -> None:
    assert zones.default_zone_names("aws-us-east-1") == ["us-east-1a", "us-east-1b", "us-east-1c"]
    # Google's zones are <region>-<letter>, from b.
    assert zones.default_zone_names("google-us-east1") == ["us-east1-b", "us-east1-c", "us-east1-d"]


def test_a_providers_region_finds_its_cloud_in_the_catalog() -> None:
    cloud = catalog.cloud_in("aws", "eu-west-1")
    assert cloud is not None
    assert cloud.name == "aws-eu-west-1"
    assert catalog.cloud_in("aws", "ap-south-1") is None
