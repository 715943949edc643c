"""Request bodies are checked against the schemas the OpenAPI document publishes, and a
refusal names the field in the API's words."""

import pytest
from jsonschema import Draft4Validator

from console.api.openapi import document
from console.api.parsers import SERVICE_CREATE_BODY
from console.api.schemas import body, nullable
from console.api.validation import check_body, json_schema
from console.errors import InvalidInput
from console.models import Service
from privatelink.api.parsers import PRINCIPALS_BODY
from privatelink.models import PrivateLink, PrivateLinkConnection

SCHEMA = body(
    {
        "name": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
        "note": nullable({"type": "string"}),
    },
    required=["name"],
)
WORDING = {
    "name": "Give the name as a string.",
    "name.required": "Give a name.",
    "tags": "tags must be a list of strings.",
    "tags[]": "Each tag must be a string.",
    "tags.maxItems": "Give at most 2 tags.",
}


def refusal(data: dict) -> tuple[str, str | None]:
    with pytest.raises(InvalidInput) as refused:
        check_body(data, SCHEMA, WORDING)
    return refused.value.message, refused.value.field


def test_nullable_becomes_a_null_type_at_any_depth():
    schema = {"type": "object", "properties": {"a": nullable({"type": "array", "items": {}})}}
    assert json_schema(schema) == {
        "type": "object",
        "properties": {"a": {"type": ["array", "null"], "items": {}}},
    }


def test_a_schema_without_nullable_reads_the_same_as_json_schema():
    assert json_schema(SERVICE_CREATE_BODY["properties"]["plan"]) == {
        "type": "string",
        "pattern": r"\S",
        "example": "business-4",
    }


def test_a_body_the_schema_takes_passes():
    check_body({"name": "a", "tags": ["x"], "note": None}, SCHEMA, WORDING)


def test_an_unknown_key_is_named_with_the_keys_that_are_taken_and_comes_first():
    assert refusal({"tags": 1, "colour": "red"}) == (
        "colour is not supported here; send only name, note, tags.",
        "colour",
    )


def test_a_missing_or_null_field_gets_its_required_wording():
    assert refusal({}) == ("Give a name.", "name")
    assert refusal({"name": None}) == ("Give a name.", "name")


def test_a_wrong_value_gets_the_fields_wording():
    assert refusal({"name": 3}) == ("Give the name as a string.", "name")


def test_a_wrong_entry_of_a_list_gets_the_entry_wording():
    assert refusal({"name": "a", "tags": ["x", 2]}) == ("Each tag must be a string.", "tags")


def test_a_broken_rule_gets_its_own_wording_before_the_fields():
    assert refusal({"name": "a", "tags": ["x", "y", "z"]}) == ("Give at most 2 tags.", "tags")


def test_a_field_without_wording_is_still_named():
    message, field = refusal({"name": "a", "note": 5})
    assert (message.startswith("note: "), field) == (True, "note")


def test_fields_are_told_in_the_order_the_schema_lists_them():
    assert refusal({"tags": "x"}) == ("Give a name.", "name")


def test_the_document_publishes_the_schemas_the_parsers_check():
    paths = document()["paths"]
    privatelink = paths["/v1/project/{project}/service/{service}/privatelink/aws"]
    for method in ("post", "put"):
        published = privatelink[method]["requestBody"]["content"]["application/json"]["schema"]
        assert published is PRINCIPALS_BODY
    assert privatelink["post"]["responses"] == privatelink["put"]["responses"]
    created = paths["/v1/project/{project}/service"]["post"]["requestBody"]
    assert created["content"]["application/json"]["schema"] is SERVICE_CREATE_BODY


def test_the_documents_enums_are_the_models_states():
    schemas = document()["components"]["schemas"]
    # The platform's service states: DELETING is shown as POWEROFF.
    assert schemas["Service"]["properties"]["state"]["enum"] == [
        state for state in Service.State.values if state != Service.State.DELETING
    ]
    assert schemas["PrivateLink"]["properties"]["state"]["enum"] == PrivateLink.State.values
    assert schemas["PrivateLinkConnection"]["properties"]["state"]["enum"] == list(
        PrivateLinkConnection.API_STATES
    )


def test_every_published_request_body_is_a_valid_json_schema():
    bodies = [
        described["requestBody"]["content"]["application/json"]["schema"]
        for operations in document()["paths"].values()
        for described in operations.values()
        if "requestBody" in described
    ]
    assert len(bodies) == 12
    for schema in bodies:
        Draft4Validator.check_schema(json_schema(schema))
