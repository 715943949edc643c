"""Validation of a service's user config: the type's JSON schema, then extra checks.

Apps that give meaning to parts of the config (privatelink: `privatelink_access`)
register a check with `register_check`; the console calls every check before saving,
so a change that cannot be carried out is refused before anything is written.
"""

from collections.abc import Callable
from typing import Any

import jsonschema

from console import catalog
from console.errors import InvalidInput, echo
from console.models import Service
from console.registry import Registry

UserConfigCheck = Callable[[Service, dict[str, Any]], None]
_checks: Registry[UserConfigCheck] = Registry()


def register_check(check: UserConfigCheck) -> UserConfigCheck:
    return _checks.add(check)


def merge(current: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    """Merge a partial user config into the current one, as the platform's API does."""
    merged = dict(current)
    for key, value in change.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def validate(service: Service, config: dict[str, Any]) -> None:
    """Raise InvalidInput naming the first offending key, in words a person understands."""
    schema = catalog.user_config_schema(service.type)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        path = ".".join(str(p) for p in error.absolute_path)
        if error.validator == "additionalProperties":
            allowed = ", ".join(sorted(error.schema.get("properties", {}))) or "none"
            where = f"{path}." if path else ""
            unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            raise InvalidInput(
                f"Unknown user config key {echo(where + unknown[0])} for a {service.service_type} "
                f"service; allowed here: {allowed}.",
                field=f"user_config.{echo(where + unknown[0])}",
            )
        if error.validator == "type":
            raise InvalidInput(
                f"user_config.{echo(path)} must be a {error.validator_value}, "
                f"not {echo(repr(error.instance))}.",
                field=f"user_config.{echo(path)}",
            )
        field = f"user_config.{echo(path)}"
        raise InvalidInput(f"{field}: {echo(error.message, 200)}", field=field)
    _check_kafka_authentication(service, config)
    for check in _checks:
        check(service, config)


def _check_kafka_authentication(service: Service, config: dict[str, Any]) -> None:
    """Kafka needs one way in: refuse a config with every authentication method off."""
    if not service.type.kafka_authentication or catalog.kafka_authentication_methods(config):
        return
    # Name the switch this change turned off (the one that was on before).
    was_on = service.kafka_authentication_methods() or (
        catalog.KafkaAuthenticationMethod.CERTIFICATE,
    )
    raise InvalidInput(
        "kafka_authentication_methods: at least one of certificate and sasl must stay on, "
        "or no Kafka client could authenticate. Keep "
        f"kafka_authentication_methods.{was_on[0]}=true, or switch the other one on.",
        field=f"user_config.kafka_authentication_methods.{was_on[0]}",
    )
