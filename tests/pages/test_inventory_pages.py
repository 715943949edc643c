import pytest

from console.audit_log import record
from console.models import AuditEvent, ProjectVPC, Service
from tests.factories import ServiceFactory

PROJECT = "/projects/demo/"


def test_project_vpc_is_created_from_the_form(developer_client, project):
    response = developer_client.post(
        PROJECT + "vpcs/new", {"cloud": "aws-eu-west-1", "cidr": "10.20.0.0/16"}
    )
    assert response["Location"] == PROJECT
    vpc = ProjectVPC.objects.get(project=project)
    assert (vpc.cloud, vpc.cidr) == ("aws-eu-west-1", "10.20.0.0/16")


def test_a_public_cidr_is_refused_next_to_the_field(developer_client, project):
    response = developer_client.post(
        PROJECT + "vpcs/new", {"cloud": "aws-eu-west-1", "cidr": "8.8.0.0/16"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_cidr_error"' in html
    assert "private range" in html
    assert not ProjectVPC.objects.filter(project=project).exists()


@pytest.mark.parametrize("cidr", ["127.0.0.0/16", "169.254.0.0/16", "0.0.0.0/16", "240.0.0.0/16"])
def test_a_special_purpose_range_is_refused_naming_the_private_ranges(
    developer_client, project, cidr
):
    response = developer_client.post(PROJECT + "vpcs/new", {"cloud": "aws-eu-west-1", "cidr": cidr})

    html = response.content.decode()
    assert f"{cidr} is not a private range; use one inside 10.0.0.0/8, 172.16.0.0/12 or " in html
    assert not ProjectVPC.objects.filter(project=project).exists()


@pytest.mark.parametrize("cidr", ["10.255.0.0/16", "172.31.0.0/16", "192.168.0.0/16"])
def test_every_rfc_1918_range_is_accepted(developer_client, project, cidr):
    developer_client.post(PROJECT + "vpcs/new", {"cloud": "aws-eu-west-1", "cidr": cidr})

    assert ProjectVPC.objects.get(project=project).cidr == cidr


def test_service_is_created_in_the_project_vpc(developer_client, project):
    vpc = ProjectVPC.objects.create(project=project, cloud="aws-eu-west-1", cidr="10.0.0.0/16")
    response = developer_client.post(
        PROJECT + "services/new",
        {
            "service_type": "kafka",
            "name": "orders",
            "plan": "business-4",
            "project_vpc": vpc.pk,
        },
    )
    assert response["Location"] == PROJECT + "services/orders/"
    service = Service.objects.get(project=project, name="orders")
    assert service.project_vpc == vpc
    assert service.nodes.count() == 3


def test_privatelink_access_is_chosen_in_the_create_form_before_any_privatelink(
    developer_client, project
):
    vpc = ProjectVPC.objects.create(project=project, cloud="aws-eu-west-1", cidr="10.0.0.0/16")
    form = developer_client.get(PROJECT + "services/new").content.decode()
    assert "<legend>PrivateLink access</legend>" in form
    assert "this takes effect when the PrivateLink is active" in form
    response = developer_client.post(
        PROJECT + "services/new",
        {
            "service_type": "kafka",
            "name": "orders",
            "plan": "business-4",
            "project_vpc": vpc.pk,
            "privatelink_access": ["kafka.kafka", "kafka.schema_registry"],
        },
    )
    assert response["Location"] == PROJECT + "services/orders/"
    service = Service.objects.get(project=project, name="orders")
    assert service.user_config == {"privatelink_access": {"kafka": True, "schema_registry": True}}
    assert service.state == Service.State.REBUILDING


def test_a_component_of_another_type_is_refused_next_to_the_choice(developer_client, project):
    response = developer_client.post(
        PROJECT + "services/new",
        {
            "service_type": "kafka",
            "name": "orders",
            "plan": "business-4",
            "privatelink_access": ["kafka.kafka", "pg.pgbouncer"],
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_privatelink_access_error"' in html
    assert "Tick only components of Apache Kafka: untick pg pgbouncer." in html
    assert not Service.objects.filter(project=project, name="orders").exists()


def test_a_duplicate_service_name_is_refused_next_to_the_name(developer_client, service):
    response = developer_client.post(
        PROJECT + "services/new",
        {"service_type": "kafka", "name": "my-kafka", "plan": "business-4"},
    )
    assert response.status_code == 400
    assert 'id="id_name_error"' in response.content.decode()
    assert Service.objects.filter(name="my-kafka").count() == 1


def test_read_only_member_sees_no_create_buttons_and_gets_403(read_only_client, project):
    assert b"Create service" not in read_only_client.get(PROJECT).content
    assert read_only_client.get(PROJECT + "services/new").status_code == 403
    response = read_only_client.post(
        PROJECT + "vpcs/new", {"cloud": "aws-eu-west-1", "cidr": "10.0.0.0/16"}
    )
    assert response.status_code == 403
    assert not ProjectVPC.objects.filter(project=project).exists()


def test_outsider_gets_404_for_the_create_pages(outsider_client, project):
    assert outsider_client.get(PROJECT + "vpcs/new").status_code == 404
    assert outsider_client.get(PROJECT + "services/new").status_code == 404


def test_activity_lists_audit_and_system_events_newest_first(read_only_client, service, developer):
    record(
        "service.user_config",
        project=service.project,
        service=service,
        actor=developer,
        before={"a": 1},
        after={"a": 2},
    )
    record("privatelink.nlb_created", project=service.project, service=service)
    html = read_only_client.get(PROJECT + "services/my-kafka/activity").content.decode()
    assert html.index("privatelink.nlb_created") < html.index("service.user_config")
    assert "dev@example.com" in html
    assert "System" in html
    assert '<dt>a</dt><dd><del title="before">1</del> → <ins title="after">2</ins></dd>' in html


def test_activity_is_paginated(read_only_client, service):
    for i in range(30):
        record(f"event.{i:02d}", project=service.project, service=service)
    first = read_only_client.get(PROJECT + "services/my-kafka/activity").content.decode()
    second = read_only_client.get(PROJECT + "services/my-kafka/activity?page=2").content.decode()
    assert "event.29" in first
    assert "event.04" not in first
    assert "event.04" in second
    assert "Page 2 of 2" in second
    assert AuditEvent.objects.filter(service=service).count() == 30


def test_the_activity_filter_names_each_kind_of_event_in_the_plural(read_only_client, service):
    html = read_only_client.get(PROJECT + "services/my-kafka/activity").content.decode()

    assert '<option value="audit">Changes by people</option>' in html
    assert '<option value="system">System events</option>' in html
    assert "persons" not in html


def test_the_plan_selector_counts_one_node_in_the_singular(developer_client, project):
    ServiceFactory(project=project, name="my-pg", service_type="pg", plan="startup-2", nodes=1)

    page = developer_client.get(PROJECT + "services/my-pg/").content.decode()

    assert "startup-2 (1 node)<" in page
    assert "business-4 (2 nodes)<" in page
    assert "1 nodes" not in page


def test_outsider_gets_404_for_activity(outsider_client, service):
    assert outsider_client.get(PROJECT + "services/my-kafka/activity").status_code == 404


def test_the_overview_page_changes_the_plan_and_the_node_count(developer_client, service):
    page = developer_client.get(PROJECT + "services/my-kafka/").content.decode()
    assert "premium-6 (6 nodes)" in page
    response = developer_client.post(PROJECT + "services/my-kafka/plan", {"plan": "premium-6"})
    assert response["Location"] == PROJECT + "services/my-kafka/"
    service.refresh_from_db()
    assert (service.plan, service.nodes.count()) == ("premium-6", 6)
    page = developer_client.get(PROJECT + "services/my-kafka/").content.decode()
    assert "my-kafka is on premium-6: 6 nodes." in page


def test_an_unknown_plan_from_the_page_is_refused_with_the_reason(developer_client, service):
    developer_client.post(PROJECT + "services/my-kafka/plan", {"plan": "hobbyist"})
    page = developer_client.get(PROJECT + "services/my-kafka/").content.decode()
    assert "The plan was not changed: Choose one of the plans" in page
    service.refresh_from_db()
    assert (service.plan, service.nodes.count()) == ("business-4", 3)


def test_delete_service_needs_the_name_typed_and_then_terminates(developer_client, service):
    terminate = PROJECT + "services/my-kafka/terminate"
    refused = developer_client.post(terminate, {"confirm_name": "my-kafk"})
    page = refused.content.decode()
    # The page again, with the error at the field, inside <main>, and what was typed kept.
    main = page[page.index("<main") : page.index("</main>")]
    assert refused.status_code == 400
    assert 'id="id_confirm_name_error">The service was not deleted: type my-kafka exactly' in main
    assert 'value="my-kafk"' in main
    assert 'aria-invalid="true"' in main
    service.refresh_from_db()
    assert service.state == Service.State.RUNNING

    response = developer_client.post(terminate, {"confirm_name": "my-kafka"})
    assert response["Location"] == PROJECT
    service.refresh_from_db()
    assert service.state == Service.State.DELETING
    listing = developer_client.get(PROJECT).content.decode()
    assert "status-deleting" in listing
    assert AuditEvent.objects.filter(action="service.terminate", service=service).exists()


def test_read_only_member_cannot_delete_a_service(read_only_client, service):
    page = read_only_client.get(PROJECT + "services/my-kafka/").content.decode()
    assert "Delete service" not in page
    response = read_only_client.post(
        PROJECT + "services/my-kafka/terminate", {"confirm_name": "my-kafka"}
    )
    assert response.status_code == 403
    service.refresh_from_db()
    assert service.state == Service.State.RUNNING
