"""A Project VPC on Google may not overlap 172.24.0.0/16, where the platform carves the
service attachments' PSC NAT subnets out of its network: refused with the same words from
the browser form, the API and `avn`, and nothing is created. Other clouds keep the range."""

import pytest

from console.models import ProjectVPC
from tests.api.test_hostile_bodies import refusal_of

pytestmark = pytest.mark.usefixtures("queued")

SAID = (
    "overlaps 172.24.0.0/16, which the platform keeps for the Private Service Connect NAT "
    "subnets on Google Cloud; choose a range outside it."
)


@pytest.mark.django_db
@pytest.mark.parametrize("cidr", ["172.24.0.0/16", "172.24.128.0/24", "172.24.0.0/20"])
def test_the_api_refuses_an_overlapping_google_project_vpc(api, project, cidr):
    response = api.post(
        "/v1/project/demo/vpcs", {"cloud_name": "google-europe-west1", "network_cidr": cidr}
    )

    assert refusal_of(response) == (400, f"cidr: {cidr} {SAID}")
    assert not ProjectVPC.objects.exists()


@pytest.mark.django_db
def test_the_form_refuses_an_overlapping_google_project_vpc(developer_client, project):
    response = developer_client.post(
        "/projects/demo/vpcs/new", {"cloud": "google-us-east1", "cidr": "172.24.0.0/16"}
    )

    assert response.status_code == 400
    assert SAID in response.content.decode()
    assert not ProjectVPC.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_avn_refuses_an_overlapping_google_project_vpc(avn, project, developer):
    result = avn("vpc", "create", "--cloud", "google-europe-west1", "--network-cidr",
                 "172.24.0.0/16", "--project", "demo")  # fmt: skip

    assert result.returncode != 0
    assert SAID in result.stdout + result.stderr
    assert not ProjectVPC.objects.exists()


@pytest.mark.django_db
def test_the_range_is_free_outside_google_and_around_it_on_google(api, project):
    for cloud, cidr in (
        ("aws-eu-west-1", "172.24.0.0/16"),
        ("google-europe-west1", "172.25.0.0/16"),
    ):
        response = api.post("/v1/project/demo/vpcs", {"cloud_name": cloud, "network_cidr": cidr})
        assert response.status_code == 200, response.content

    assert ProjectVPC.objects.count() == 2
