"""A service's user config is checked against its type's schema before anything is saved."""

import pytest

from console import actions, catalog, user_config
from console.errors import InvalidInput
from console.models import AuditEvent, Service
from console.registry import Registry


@pytest.fixture
def plain_checks(monkeypatch):
    """Only the schema: apps' registered checks (privatelink's) are tested by those apps."""
    monkeypatch.setattr(user_config, "_checks", Registry())


def test_schema_lists_only_components_that_can_go_over_privatelink():
    schema = catalog.user_config_schema(catalog.get_service_type("pg"))
    access = schema["properties"]["privatelink_access"]["properties"]

    assert set(access) == {"pg", "pgbouncer", "prometheus"}
    assert access["pg"] == {"type": "boolean", "title": "Enable pg", "example": True}


@pytest.mark.parametrize(
    ("config", "field", "words"),
    [
        ({"no_such_key": 1}, "user_config.no_such_key", "Unknown user config key no_such_key"),
        (
            {"privatelink_access": {"pg": True}},
            "user_config.privatelink_access.pg",
            "allowed here: jolokia, kafka, kafka_connect",
        ),
        (
            {"privatelink_access": {"kafka": "yes"}},
            "user_config.privatelink_access.kafka",
            "must be a boolean, not 'yes'",
        ),
        ({"privatelink_access": []}, "user_config.privatelink_access", "must be a object"),
    ],
)
def test_invalid_config_names_the_key_to_fix(service, config, field, words):
    with pytest.raises(InvalidInput) as raised:
        user_config.validate(service, config)

    assert raised.value.field == field
    assert words in raised.value.message


def test_valid_change_is_merged_saved_and_audited(service, developer, plain_checks):
    actions.update_user_config(service, {"privatelink_access": {"kafka": True}}, actor=developer)
    actions.update_user_config(
        service, {"privatelink_access": {"schema_registry": True}}, actor=developer
    )

    service.refresh_from_db()
    assert service.user_config == {"privatelink_access": {"kafka": True, "schema_registry": True}}
    assert service.privatelink_access()["kafka"] is True
    event = AuditEvent.objects.filter(action="service.user_config").first()
    assert event.actor == developer
    assert event.before == {"privatelink_access": {"kafka": True}}
    assert event.after == service.user_config


def test_refused_change_keeps_what_was_saved(service, developer, plain_checks):
    actions.update_user_config(service, {"privatelink_access": {"kafka": True}}, actor=developer)

    with pytest.raises(InvalidInput):
        actions.update_user_config(
            service, {"privatelink_access": {"kafka": "off"}}, actor=developer
        )

    assert Service.objects.get(pk=service.pk).user_config == {"privatelink_access": {"kafka": True}}
    assert AuditEvent.objects.filter(action="service.user_config").count() == 1


def test_registered_checks_run_after_the_schema(service, monkeypatch):
    seen = []

    def refuse_kafka(svc, config):
        seen.append(config)
        if config.get("privatelink_access", {}).get("kafka"):
            raise InvalidInput("Create a PrivateLink first.", field="privatelink_access.kafka")

    monkeypatch.setattr(user_config, "_checks", Registry())
    user_config.register_check(refuse_kafka)
    user_config.register_check(refuse_kafka)  # registering twice runs it once

    with pytest.raises(InvalidInput, match="Create a PrivateLink first"):
        user_config.validate(service, {"privatelink_access": {"kafka": True}})
    assert len(seen) == 1


def test_merge_replaces_scalars_and_merges_objects():
    merged = user_config.merge(
        {"privatelink_access": {"kafka": True}, "other": 1},
        {"privatelink_access": {"kafka_rest": True}, "other": 2},
    )

    assert merged == {"privatelink_access": {"kafka": True, "kafka_rest": True}, "other": 2}
