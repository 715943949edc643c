"""The fake's shortcuts answer as moto did, only sooner (fakeaws.fast_paths)."""

from moto.core import DEFAULT_ACCOUNT_ID
from moto.ec2.models import ec2_backends
from moto.ec2.models.core import TaggedEC2Resource

from fakeaws.patching import original


def test_a_resources_tags_are_those_moto_found_by_scanning_every_tag(platform):
    kafka = platform.service(tags={"console-id": "kafka", "owner": "console"})
    platform.service(tags={"console-id": "pg"})
    backend = ec2_backends[DEFAULT_ACCOUNT_ID][platform.ec2.meta.region_name]
    resources = [backend.configurations[kafka["ServiceId"]], backend.get_vpc(platform.vpc_id)]

    for resource in resources:
        scanned = original(TaggedEC2Resource, "get_tags")(resource)
        assert resource.get_tags() == scanned
    assert [t["key"] for t in resources[0].get_tags()] == ["console-id", "owner"]
