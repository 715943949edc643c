"""Turning request bodies of the inventory endpoints into what the actions take."""

from typing import Any

from console.api.body import reject_unknown_keys
from console.errors import InvalidInput
from console.models import Service


def user_config_change(body: dict[str, Any], service: Service) -> dict[str, Any]:
    """The user config change of `PUT /project/{p}/service/{s}`.

    avn sends the current plan with every update, so the plan is accepted when it is
    the service's own and refused (rather than ignored) when it asks for a change.
    """
    reject_unknown_keys(body, {"user_config", "plan"})
    plan = body.get("plan", service.plan)
    if plan != service.plan:
        raise InvalidInput(
            f"Changing the plan is not supported here; {service.name} stays on {service.plan}.",
            field="plan",
        )
    change = body.get("user_config", {})
    if not isinstance(change, dict):
        raise InvalidInput("user_config must be a JSON object.", field="user_config")
    return change
