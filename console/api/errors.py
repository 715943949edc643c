"""The platform's JSON error shape, so `avn` prints our message as it prints the platform's."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from console.errors import echo


def error_response(message: str, status: int, field: str | None = None) -> JsonResponse:
    """`{"message": ..., "errors": [{"message": ..., "status": N}]}`; avn prints `message`.

    When the input to fix is known and the message does not already say it, the message
    starts with the field's name, so a person reading only the CLI output knows what to fix.
    """
    if field and field.rsplit(".", 1)[-1] not in message:
        message = f"{field}: {message}"
    error: dict[str, object] = {"message": message, "status": status}
    if field:
        error["field"] = field
    return JsonResponse({"message": message, "errors": [error]}, status=status)


# Exempt for the reason given in console.api.endpoint: /v1/ never authenticates by cookie,
# and a POST to a mistyped path deserves this JSON answer, not the CSRF failure page.
@csrf_exempt
def unknown_path(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any /v1/ path no endpoint answers: JSON, because the clients of /v1/ cannot read HTML."""
    return error_response(f"No API endpoint at {echo(request.path)}.", 404)
