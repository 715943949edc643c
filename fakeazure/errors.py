"""ARM's error answer: an HTTP status and `{"error": {"code", "message"}}`."""

from __future__ import annotations


class ArmError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> dict[str, dict[str, str]]:
        return {"error": {"code": self.code, "message": self.message}}


def not_found(resource_id: str) -> ArmError:
    kind = resource_id.split("/")[-2] if "/" in resource_id else "resource"
    return ArmError(
        404,
        "ResourceNotFound",
        f"The Resource '{resource_id}' ({kind}) was not found.",
    )


def bad_reference(field: str, resource_id: str) -> ArmError:
    return ArmError(
        400,
        "InvalidResourceReference",
        f"Resource {resource_id} referenced by {field} was not found.",
    )
