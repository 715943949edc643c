"""Every implemented operation's answer, checked against the platform's published types.

The field lists (names, types, enums, required, nullable) are data copied from the
platform's Go client (`platform_types/`, with the source named in each file). An answer
with a field the platform does not have, without one it requires, with a null it does not
take or a value outside its enum is a mismatch.
"""

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from console.api.openapi import document
from console.models import ProjectVPC
from privatelink.models import GooglePrivateLink, PrivateLink, PrivateLinkConnection
from tests.factories import ConnectionFactory, PrivateLinkFactory, ProjectVPCFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("queued")]

TYPES: dict[str, dict[str, Any]] = {}
for _file in sorted((Path(__file__).parent / "platform_types").glob("*.json")):
    TYPES.update(json.loads(_file.read_text())["types"])

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PRIMITIVES = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "array": list,
    "object": dict,
}
# The per-type entries of the service type list, by the Go type each one decodes into.
SERVICE_TYPE_OUT = {
    "kafka": "KafkaOut",
    "kafka_connect": "KafkaConnectOut",
    "pg": "PgOut",
    "mysql": "MysqlOut",
    "opensearch": "OpensearchOut",
    "clickhouse": "ClickhouseOut",
    "valkey": "ValkeyOut",
    "grafana": "GrafanaOut",
}


def _value_mismatches(where: str, spec: dict[str, Any], value: Any) -> list[str]:
    if value is None:
        return [] if spec["nullable"] else [f"{where}: null, which the platform does not take"]
    kind = spec["type"]
    if kind == "date-time":
        try:
            datetime.fromisoformat(value)
        except (TypeError, ValueError):
            return [f"{where}: {value!r} is not an ISO 8601 time"]
        return []
    expected = PRIMITIVES[kind]
    # bool is an int in Python; the platform's integers are never booleans.
    if not isinstance(value, expected) or (kind in ("integer", "number") and value is True):
        return [f"{where}: {type(value).__name__}, the platform's is {kind}"]
    if "enum" in spec and value not in spec["enum"]:
        return [f"{where}: {value!r} is not one of {spec['enum']}"]
    if kind == "array" and "items" in spec:
        items = spec["items"]
        found = []
        for index, item in enumerate(value):
            if items in TYPES:
                found += mismatches(items, item, f"{where}[{index}]")
            else:
                found += _value_mismatches(
                    f"{where}[{index}]", {"type": items, "nullable": False}, item
                )
        return found
    return []


def mismatches(type_name: str, answer: Any, where: str = "") -> list[str]:
    """Every way `answer` differs from the platform's `type_name`, as readable lines."""
    fields = TYPES[type_name]["fields"]
    where = where or type_name
    if not isinstance(answer, dict):
        return [f"{where}: not an object"]
    found = [
        f"{where}.{name}: the platform has no such field" for name in answer if name not in fields
    ]
    for name, spec in fields.items():
        if name not in answer:
            if spec["required"]:
                found.append(f"{where}.{name}: missing, the platform requires it")
            continue
        found += _value_mismatches(f"{where}.{name}", spec, answer[name])
    return found


@pytest.fixture
def world(service, developer):
    """A project with a Project VPC, a Kafka service, an active PrivateLink, a connection."""
    link = PrivateLinkFactory(service=service)
    ConnectionFactory(privatelink=link)
    return service


SERVICE = "/v1/project/demo/service/my-kafka"


def _answers(api) -> list[tuple[str, Any, str]]:
    """(operation, answer's object, Go type) for every implemented operation."""
    vpc = ProjectVPC.objects.get(project__name="demo")
    vpc_path = f"/v1/project/demo/vpcs/{vpc.public_id}"
    listed: list[tuple[str, Any, str]] = []

    def call(operation: str, response: Any, key: str | None, go_type: str) -> None:
        assert response.status_code == 200, (operation, response.content)
        body = response.json()
        listed.append((operation, body[key] if key else body, go_type))

    call("ProjectList", api.get("/v1/project"), None, "ProjectListOut")
    call("ProjectGet", api.get("/v1/project/demo"), "project", "ProjectGetOut")
    call(
        "ProjectServiceTypesGet",
        api.get("/v1/project/demo/service-types/kafka"),
        None,
        "ProjectServiceTypesGetOut",
    )
    call("ServiceList", api.get("/v1/project/demo/service"), None, "_ServiceList")
    call("ServiceGet", api.get(SERVICE), "service", "ServiceGetOut")
    call("ServiceUpdate", api.put(SERVICE, {"plan": "business-4"}), "service", "ServiceUpdateOut")
    call("ServiceUserGet", api.get(f"{SERVICE}/user/avnadmin"), "user", "ServiceUserGetOut")
    call(
        "ServiceUserCredentialsModify",
        api.put(f"{SERVICE}/user/avnadmin", {"operation": "reset-credentials"}),
        "service",
        "ServiceUserCredentialsModifyOut",
    )
    call("ListProjectServiceTypes", api.get("/v1/project/demo/service_types"), None, "_Types")
    call("ListPublicServiceTypes", api.get("/v1/service_types"), None, "_Types")
    call("ListClouds", api.get("/v1/clouds"), None, "_Clouds")
    call("ListProjectClouds", api.get("/v1/project/demo/clouds"), None, "_Clouds")
    call("VpcList", api.get("/v1/project/demo/vpcs"), None, "_VpcList")
    call("VpcGet", api.get(vpc_path), None, "VpcGetOut")
    privatelink = f"{SERVICE}/privatelink/aws"
    call("ServicePrivatelinkAWSGet", api.get(privatelink), None, "ServicePrivatelinkAwsgetOut")
    call(
        "ServicePrivatelinkAWSUpdate",
        api.put(privatelink, {"principals": ["arn:aws:iam::012345678901:root"]}),
        None,
        "ServicePrivatelinkAwsupdateOut",
    )
    call(
        "ServicePrivatelinkAWSConnectionList",
        api.get(f"{privatelink}/connections"),
        None,
        "_Connections",
    )
    call(
        "PublicPrivatelinkAvailabilityList",
        api.get("/v1/project/demo/privatelink-availability"),
        None,
        "_Availability",
    )
    call(
        "ServicePrivatelinkAWSDelete",
        api.delete(privatelink),
        None,
        "ServicePrivatelinkAwsdeleteOut",
    )
    call(
        "ServiceCreate",
        api.post(
            "/v1/project/demo/service",
            {
                "service_name": "my-kafka9",
                "service_type": "kafka",
                "plan": "business-4",
                "project_vpc_id": str(vpc.public_id),
                "user_config": {"privatelink_access": {"kafka": True}},
            },
        ),
        "service",
        "ServiceCreateOut",
    )
    call(
        "ServicePrivatelinkAWSCreate",
        api.post("/v1/project/demo/service/my-kafka9/privatelink/aws", {"principals": ["*"]}),
        None,
        "ServicePrivatelinkAwscreateOut",
    )
    other = ProjectVPCFactory(project=vpc.project, cloud="aws-us-east-1", cidr="10.7.0.0/16")
    call(
        "VpcCreate",
        api.post(
            "/v1/project/demo/vpcs",
            {"cloud_name": "aws-eu-central-1", "network_cidr": "10.8.0.0/16"},
        ),
        None,
        "VpcCreateOut",
    )
    call(
        "VpcDelete",
        api.send("DELETE", f"/v1/project/demo/vpcs/{other.public_id}"),
        None,
        "VpcDeleteOut",
    )
    return listed


def _check(answer: Any, go_type: str, operation: str) -> list[str]:
    """The wrappers of list answers, then the platform's type of each element."""
    if go_type == "_ServiceList":
        return [m for s in answer["services"] for m in mismatches("ServiceOut", s, operation)]
    if go_type == "_Types":
        found = []
        for name, entry in answer["service_types"].items():
            found += mismatches(SERVICE_TYPE_OUT[name], entry, f"{operation}.{name}")
            for plan in entry["service_plans"]:
                found += mismatches("ServicePlanOut", plan, f"{operation}.{name}.plan")
        return found
    if go_type == "_Clouds":
        return [m for c in answer["clouds"] for m in mismatches("CloudOut", c, operation)]
    if go_type == "_VpcList":
        return [m for v in answer["vpcs"] for m in mismatches("VpcOut", v, operation)]
    if go_type == "_Connections":
        return [m for c in answer["connections"] for m in mismatches("ConnectionOut", c, operation)]
    if go_type == "_Availability":
        rows = answer["privatelink_availability"]
        return [m for r in rows for m in mismatches("PrivatelinkAvailabilityOut", r, operation)]
    return mismatches(go_type, answer, operation)


def test_every_implemented_operation_answers_as_the_platforms_published_types(api, world):
    answers = _answers(api)
    found = [
        m for operation, answer, go_type in answers for m in _check(answer, go_type, operation)
    ]
    assert found == []
    # The checks looked at every operation and at non-empty lists.
    assert len(answers) == 23
    assert all(answer for _, answer, _ in answers)


def test_every_azure_operation_answers_as_the_platforms_published_types(api, azure_service):
    azure = "/v1/project/demo/service/my-kafka-az/privatelink/azure"
    subscriptions = {"user_subscription_ids": ["00000000-0000-0000-0000-000000000001"]}
    answers = [("ServicePrivatelinkAzureCreate", api.post(azure, subscriptions))]
    link = PrivateLink.objects.get(service=azure_service)
    plc = ConnectionFactory(
        privatelink=link,
        state=PrivateLinkConnection.State.PENDING_USER_APPROVAL,
        endpoint_id="/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/"
        "customer/providers/Microsoft.Network/privateEndpoints/pe-1",
        dns_name="",
    ).privatelink_connection_id
    answers += [
        ("ServicePrivatelinkAzureGet", api.get(azure)),
        ("ServicePrivatelinkAzureUpdate", api.put(azure, subscriptions)),
        (
            "ServicePrivatelinkAzureConnectionApproval",
            api.post(f"{azure}/connections/{plc}/approve"),
        ),
        (
            "ServicePrivatelinkAzureConnectionUpdate",
            api.put(f"{azure}/connections/{plc}", {"user_ip_address": "10.1.0.5"}),
        ),
    ]
    listed = api.get(f"{azure}/connections")
    deleted = api.delete(azure)
    found = [m for c in listed.json()["connections"] for m in mismatches("ConnectionOutAlt", c)]
    for operation, answer in [*answers, ("ServicePrivatelinkAzureDelete", deleted)]:
        assert answer.status_code == 200, (operation, answer.content)
        found += mismatches(f"{operation}Out", answer.json(), operation)
    assert found == []
    assert len(listed.json()["connections"]) == 1


def test_every_google_operation_answers_as_the_platforms_published_types(api, google_service):
    google = "/v1/project/demo/service/my-kafka-gcp/privatelink/google"
    answers = [("ServicePrivatelinkGoogleCreate", api.post(google, {}))]
    link = PrivateLink.objects.get(service=google_service)
    # The driver's part: the attachment built, a customer's PSC endpoint found.
    link.google.save_changes(
        service_attachment="projects/p/regions/europe-west1/serviceAttachments/pl-1",
        status=GooglePrivateLink.READY,
    )
    PrivateLink.objects.filter(pk=link.pk).update(state=PrivateLink.State.ACTIVE)
    plc = ConnectionFactory(
        privatelink=link,
        state=PrivateLinkConnection.State.PENDING_USER_APPROVAL,
        endpoint_id="72000000000000001",
        owner="customer-project",
        dns_name="",
    ).privatelink_connection_id
    answers += [
        ("ServicePrivatelinkGoogleGet", api.get(google)),
        (
            "ServicePrivatelinkGoogleConnectionCreate",
            api.post(f"{google}/connections/{plc}/approve", {"user_ip_address": "10.2.0.5"}),
        ),
    ]
    listed = api.get(f"{google}/connections")
    deleted = api.delete(google)
    found = [
        m
        for c in listed.json()["connections"]
        for m in mismatches("ServicePrivatelinkGoogleConnectionListOut", c)
    ]
    for operation, answer in [*answers, ("ServicePrivatelinkGoogleDelete", deleted)]:
        assert answer.status_code == 200, (operation, answer.content)
        found += mismatches(f"{operation}Out", answer.json(), operation)
    assert found == []
    assert len(listed.json()["connections"]) == 1
    assert deleted.json()["google_service_attachment"].endswith("/serviceAttachments/pl-1")


def test_project_vpc_ids_are_uuids_in_every_answer(api, world):
    vpc = ProjectVPC.objects.get(project__name="demo")
    listed = api.get("/v1/project/demo/vpcs").json()["vpcs"]
    assert [v["project_vpc_id"] for v in listed] == [str(vpc.public_id)]
    assert UUID.match(listed[0]["project_vpc_id"])
    shown = api.get(SERVICE).json()["service"]
    assert shown["project_vpc_id"] == str(vpc.public_id)


def test_the_checker_reports_what_the_platform_would_not_take():
    """The contract check itself: a wrong answer is reported, field by field."""
    wrong = {
        "aws_service_id": None,
        "principals": "not a list",
        "state": "DELETING",
        "extra": 1,
    }
    assert mismatches("ServicePrivatelinkAwsgetOut", wrong) == [
        "ServicePrivatelinkAwsgetOut.extra: the platform has no such field",
        "ServicePrivatelinkAwsgetOut.principals: str, the platform's is array",
        "ServicePrivatelinkAwsgetOut.state: 'DELETING' is not one of "
        "['creating', 'active', 'deleting']",
    ]
    assert mismatches("VpcOut", {"project_vpc_id": "1"}) == [
        f"VpcOut.{name}: missing, the platform requires it"
        for name in ("cloud_name", "create_time", "network_cidr", "state", "update_time")
    ]


def test_the_delete_reply_names_the_endpoint_service_that_goes(api, world):
    deleted = api.delete(f"{SERVICE}/privatelink/aws").json()
    link = PrivateLink.objects.get(service=world)
    assert link.state == PrivateLink.State.DELETING
    assert deleted["state"] == "deleting"
    assert deleted["aws_service_id"] == link.aws.service_id
    assert deleted["aws_service_id"].startswith("vpce-svc-")
    assert deleted["aws_service_name"] == link.aws.service_name


def test_a_creating_privatelink_shows_null_names_as_the_guide_does(api, service, developer):
    created = api.post(f"{SERVICE}/privatelink/aws", {"principals": ["*"]}).json()
    assert PrivateLink.objects.get(service=service).state == PrivateLink.State.CREATING
    assert (created["aws_service_id"], created["aws_service_name"]) == (None, None)


# The OpenAPI document's schemas and the platform's types they stand for.
DOCUMENTED_AS = {
    "Project": "ProjectGetOut",
    "Service": "ServiceOut",
    "ServiceComponent": "ComponentOut",
    "ServiceUser": "UserOut",
    "ServicePlan": "ServicePlanOut",
    "ServiceTypeDetail": "ProjectServiceTypesGetOut",
    "ProjectVPC": "VpcGetOut",
    "ProjectVPCListed": "VpcOut",
    "Cloud": "CloudOut",
    "PrivateLink": "ServicePrivatelinkAwsgetOut",
    "PrivateLinkConnection": "ConnectionOut",
    "AzurePrivateLink": "ServicePrivatelinkAzureGetOut",
    "AzurePrivateLinkConnection": "ConnectionOutAlt",
    "GooglePrivateLink": "ServicePrivatelinkGoogleGetOut",
    "GooglePrivateLinkConnection": "ServicePrivatelinkGoogleConnectionListOut",
}
# Read-only members never receive a password, so it is left out of their answers.
NOT_ALWAYS_SENT = {("ServiceUser", "password")}


def test_the_openapi_document_publishes_the_platforms_names_enums_and_required_fields():
    schemas = document()["components"]["schemas"]
    found = []
    for schema_name, go_type in DOCUMENTED_AS.items():
        schema, fields = schemas[schema_name], TYPES[go_type]["fields"]
        for name, published in schema["properties"].items():
            if name not in fields:
                found.append(f"{schema_name}.{name}: the platform has no such field")
            elif not set(published.get("enum", [])) <= set(fields[name].get("enum", [])) and (
                "enum" in fields[name]
            ):
                found.append(f"{schema_name}.{name}: enum {published['enum']}")
        for name, spec in fields.items():
            sent = name in schema.get("required", [])
            if spec["required"] and not sent and (schema_name, name) not in NOT_ALWAYS_SENT:
                found.append(f"{schema_name}.{name}: the platform requires it")
    assert found == []
