"""The vocabulary of the OpenAPI document: schemas, operations and their error answers.

Both apps describe their endpoints with it (console in console.api.openapi, privatelink in
privatelink.api.openapi), so every operation lists the same error statuses in the same shape.
"""

from typing import Any

ERROR_TEXT = {
    400: "The input cannot be carried out; the message names the field to fix.",
    401: "No valid, unrevoked token in the Authorization header.",
    403: "Your role in this project is read-only.",
    404: "No such project, service or object, or not visible to you.",
    405: "The path does not take this method.",
    409: "The object's state does not allow the change.",
    413: "The request body is too large.",
}
# Every endpoint authenticates, resolves its path and checks the method first.
ALWAYS = (401, 404, 405)
# What a write with a body can answer beyond ALWAYS, and what one without a body can.
WRITE_WITH_BODY = (400, 403, 409, 413)
WRITE = (403, 409)

SERVICE_PARAMETERS = ("project", "service")
STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
UUID = {"type": "string", "format": "uuid"}
BOOLEAN = {"type": "boolean"}
OBJECT = {"type": "object"}
STRINGS = {"type": "array", "items": STRING}
OBJECTS = {"type": "array", "items": OBJECT}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


def obj(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    """An object schema; every property is required unless `required` names fewer."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }


def body(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    """A request body's schema: only the named keys, so a key this console does not carry
    out is refused rather than silently ignored."""
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:  # OpenAPI 3.0 wants no "required" rather than an empty one
        schema["required"] = required
    return {**schema, "additionalProperties": False}


def enum(values: Any) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def operation(
    summary: str,
    answer: dict[str, Any],
    *errors: int,
    body: dict[str, Any] | None = None,
    parameters: tuple[str, ...] = ("project",),
) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": {"description": "OK", **json_content(answer)}}
    for status in sorted({*ALWAYS, *errors}):
        responses[str(status)] = {
            "description": ERROR_TEXT[status],
            **json_content(ref("Error")),
        }
    described: dict[str, Any] = {
        "summary": summary,
        "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in parameters],
        "responses": responses,
    }
    if body is not None:
        described["requestBody"] = {"required": True, **json_content(body)}
    return described
