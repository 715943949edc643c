"""Checking a request body against its schema in the OpenAPI document, with jsonschema.

The document is the one statement of what each body may hold; this module applies it and
tells the first problem in the API's own words, naming the field, because a client reads
the message (avn prints it) and jsonschema's own messages are written for programmers.
"""

from collections.abc import Mapping
from typing import Any

from jsonschema import Draft4Validator, ValidationError

from console.errors import InvalidInput, echo

# What to tell a client who sent a field wrongly, by key, most specific first:
#   "field.keyword"   the field broke one rule (minItems, ...); "field.required" is also
#                     used when the field is null, which clients send for "not given";
#   "field[]"         an entry of the field's list is wrong;
#   "field"           anything else wrong with the field.
Wording = Mapping[str, str]


def json_schema(schema: Any) -> Any:
    """An OpenAPI 3.0 schema read as JSON Schema: `nullable: true` becomes a "null" type.

    OpenAPI 3.0 (the document's version, which schemathesis reads) has no "null" type of
    its own; everything else in the document's schemas means the same in both.
    """
    if isinstance(schema, list):
        return [json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {key: json_schema(value) for key, value in schema.items() if key != "nullable"}
    if schema.get("nullable") is True and "type" in schema:
        converted["type"] = [schema["type"], "null"]
    return converted


def check_body(body: dict[str, Any], schema: dict[str, Any], wording: Wording) -> None:
    """Raise InvalidInput for the first way `body` breaks `schema`: an unknown key first,
    then the fields in the order the schema lists them."""
    errors = list(Draft4Validator(json_schema(schema)).iter_errors(body))
    if errors:
        order = list(schema.get("properties", {}))
        first = min(errors, key=lambda error: _rank(error, order))
        raise _refusal(first, schema, wording)


def _field(error: ValidationError) -> str:
    if error.validator == "required":
        return next(name for name in error.validator_value if name not in error.instance)
    return str(error.absolute_path[0]) if error.absolute_path else ""


def _rank(error: ValidationError, order: list[str]) -> tuple[int, int]:
    if error.validator == "additionalProperties":
        return (0, 0)
    field = _field(error)
    return (1, order.index(field) if field in order else len(order))


def _refusal(error: ValidationError, schema: dict[str, Any], wording: Wording) -> InvalidInput:
    if error.validator == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        unknown = echo(sorted(set(error.instance) - set(allowed))[0])
        return InvalidInput(
            f"{unknown} is not supported here; send only {', '.join(allowed)}.", field=unknown
        )
    field = _field(error)
    path = list(error.absolute_path)
    in_entry = len(path) > 1 and isinstance(path[1], int)
    rule = "required" if error.instance is None else str(error.validator)
    keys = [f"{field}[]", field] if in_entry else [f"{field}.{rule}", field]
    message = next((wording[key] for key in keys if key in wording), None)
    if message is None:
        message = f"{field}: {echo(error.message, 200)}"
    return InvalidInput(message, field=field)
