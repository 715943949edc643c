"""The avn commands of a first hour, run with the real client: the clouds, the service types
and their plans, a service created with PrivateLink access before its PrivateLink, and
malformed Project VPC ids, each answered in the platform's shape and never with a crash."""

import pytest

from console import catalog
from console.credentials import credentials_of
from console.models import AuditEvent, ProjectVPC, Service

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("queued")]

PROJECT = ("--project", "demo")


def test_cloud_list_prints_the_clouds_this_console_offers(avn, project, developer):
    result = avn("cloud", "list", "--json")
    assert result.returncode == 0, result.stderr
    clouds = result.json()
    assert [c["cloud_name"] for c in clouds] == list(catalog.CLOUDS)
    ireland = clouds[0]
    assert ireland["cloud_description"] == "Europe, Ireland - Amazon Web Services: Ireland"
    assert (ireland["geo_region"], ireland["provider"]) == ("europe", "aws")
    table = avn("cloud", "list", *PROJECT)
    assert table.returncode == 0, table.stderr
    assert "aws-eu-west-1" in table.stdout
    assert "Traceback" not in table.stderr


def test_service_plans_print_each_plan_with_its_price_and_size_in_the_cloud(
    avn, project, developer
):
    result = avn("service", "plans", "-t", "kafka", "--cloud", "aws-eu-west-1", *PROJECT)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Apache Kafka Plans:" in result.stdout
    business = catalog.PLAN_CATALOG["business-4"]
    line = next(x for x in result.stdout.splitlines() if "kafka:business-4" in x)
    assert f"${float(business.price_usd):.3f}/h" in line
    assert "2 CPU, 4 GB RAM, 600 GB disk" in line
    assert "3-node high availability set" in line
    # Other types are left out, as -t asks.
    assert "PostgreSQL Plans:" not in result.stdout


def test_the_public_catalog_answers_as_the_projects(api, project):
    public = api.get("/v1/service_types")
    assert public.status_code == 200
    assert public.json() == api.get("/v1/project/demo/service_types").json()
    assert api.get("/v1/clouds").json() == api.get("/v1/project/demo/clouds").json()


def test_service_types_list_every_type_without_a_traceback(avn, project, developer):
    result = avn("service", "types", *PROJECT, "--json")
    assert result.returncode == 0, result.stderr
    assert sorted(result.json()) == sorted(catalog.SERVICE_TYPES)
    table = avn("service", "types", *PROJECT, "-v")
    assert table.returncode == 0, table.stderr
    assert "privatelink_access.kafka" in table.stdout


def test_an_unknown_path_stays_a_clean_json_404(api, project):
    response = api.get("/v1/project/demo/service/my-kafka/nonexistent")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_service_created_with_privatelink_access_keeps_it_for_its_privatelink(
    avn, service, developer
):
    vpc = service.project_vpc
    result = avn("service", "create", "my-kafka9", *PROJECT, "-t", "kafka",
                 "--plan", "business-4", "--cloud", "aws-eu-west-1",
                 "--project-vpc-id", str(vpc.public_id),
                 "-c", "privatelink_access.kafka=true")  # fmt: skip
    assert result.returncode == 0, result.stderr
    created = Service.objects.get(name="my-kafka9")
    assert created.user_config == {"privatelink_access": {"kafka": True}}
    assert created.state == Service.State.REBUILDING
    event = AuditEvent.objects.get(action="service.create", service=created)
    assert event.after["user_config"] == {"privatelink_access": {"kafka": True}}
    shown = avn("service", "get", "my-kafka9", *PROJECT, "--json").json()
    assert shown["state"] == "REBUILDING"
    assert shown["user_config"] == {"privatelink_access": {"kafka": True}}


def test_a_bad_user_config_at_creation_is_refused_and_creates_nothing(api, service):
    response = api.post(
        "/v1/project/demo/service",
        {
            "service_name": "my-kafka9",
            "service_type": "kafka",
            "plan": "business-4",
            "user_config": {"privatelink_access": {"kafka": "yes"}},
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "user_config.privatelink_access.kafka"
    assert not Service.objects.filter(name="my-kafka9").exists()


@pytest.mark.parametrize("bad", ["²", "9" * 5000, "1", "not-a-uuid", "0" * 36, "0" * 32])
def test_a_malformed_vpc_id_in_a_path_answers_404(api, service, bad):
    response = api.get(f"/v1/project/demo/vpcs/{bad}")
    assert response.status_code == 404
    body = response.json()
    assert body["errors"][0]["status"] == 404
    assert "has no Project VPC" in body["message"]
    # Echoes are cut short, never the whole input.
    assert len(body["message"]) < 400
    deleted = api.delete(f"/v1/project/demo/vpcs/{bad}")
    assert deleted.status_code == 404
    assert ProjectVPC.objects.get().state == ProjectVPC.State.ACTIVE


@pytest.mark.parametrize("bad", ["²", "9" * 5000, "1", "not-a-uuid"])
def test_a_malformed_vpc_id_in_a_body_answers_400_and_creates_nothing(api, service, bad):
    response = api.post(
        "/v1/project/demo/service",
        {
            "service_name": "my-kafka9",
            "service_type": "kafka",
            "plan": "business-4",
            "project_vpc_id": bad,
        },
    )
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["field"] == "project_vpc_id"
    assert len(body["message"]) < 400
    assert not Service.objects.filter(name="my-kafka9").exists()


def test_a_password_reset_answers_the_whole_service_with_the_new_password(api, service):
    response = api.put(
        "/v1/project/demo/service/my-kafka/user/avnadmin",
        {"operation": "reset-credentials", "new_password": "a-new-password-42"},
    )
    assert response.status_code == 200
    shown = response.json()["service"]
    assert shown["service_name"] == "my-kafka"
    assert shown["users"][0] == {**shown["users"][0], "username": "avnadmin",
                                 "password": "a-new-password-42"}  # fmt: skip
    assert credentials_of(service, with_passwords=True)[0].password == "a-new-password-42"
