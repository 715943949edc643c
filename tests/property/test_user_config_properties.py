"""Properties of user-config validation: any JSON is either accepted as the schema and the
PrivateLink state allow, or refused with InvalidInput naming a user_config key."""

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.errors import InvalidInput
from console.user_config import merge, validate
from privatelink.models import PrivateLink

KAFKA_PRIVATELINK_COMPONENTS = (
    "kafka",
    "kafka_connect",
    "kafka_rest",
    "schema_registry",
    "prometheus",
    "jolokia",
)
# The service fixture lives for the whole test; validation reads it, never writes it.
SHARED_FIXTURE = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
KEYS = st.sampled_from((*KAFKA_PRIVATELINK_COMPONENTS, "kafka_connect ", "Kafka", "postgresql"))
ACCESS = st.dictionaries(KEYS, st.booleans() | JSON, max_size=5)
CONFIG = st.dictionaries(
    st.sampled_from(("privatelink_access", "ip_filter", "")) | st.text(max_size=6),
    ACCESS | JSON,
    max_size=3,
)


def _matches_schema(config: Any, components: tuple[str, ...]) -> bool:
    if not isinstance(config, dict) or set(config) - {"privatelink_access"}:
        return False
    access = config.get("privatelink_access", {})
    return (
        isinstance(access, dict)
        and set(access) <= set(components)
        and all(isinstance(value, bool) for value in access.values())
    )


def _outcome(service: Any, config: Any) -> InvalidInput | None:
    try:
        validate(service, config)
    except InvalidInput as exc:
        return exc
    return None


@pytest.fixture
def kafka_components(service) -> tuple[str, ...]:
    names = tuple(c.name for c in service.type.privatelink_components)
    assert set(names) <= set(KAFKA_PRIVATELINK_COMPONENTS)
    return names


@SHARED_FIXTURE
@given(config=CONFIG | JSON)
def test_without_a_privatelink_every_config_the_schema_allows_is_accepted(
    service, kafka_components, config
) -> None:
    # Access is stored before a PrivateLink exists (any order, as a Terraform plan applies
    # it) and carried out once one is active; anything else is refused naming the key.
    error = _outcome(service, config)
    if _matches_schema(config, kafka_components):
        assert error is None, error
    else:
        assert error is not None
        assert error.field is not None
        assert error.field.startswith("user_config")
        assert error.message


@SHARED_FIXTURE
@given(config=CONFIG)
def test_with_an_active_privatelink_every_config_the_schema_allows_is_accepted(
    service, kafka_components, active_privatelink, config
) -> None:
    error = _outcome(service, config)
    assert (error is None) == _matches_schema(config, kafka_components), error


@SHARED_FIXTURE
@given(unknown=st.text(min_size=1, max_size=12), value=JSON)
def test_an_unknown_top_level_key_is_named_in_the_error(service, unknown, value) -> None:
    if unknown == "privatelink_access":
        return
    error = _outcome(service, {unknown: value})
    assert error is not None
    assert error.field == f"user_config.{unknown}"
    assert unknown in error.message
    assert "privatelink_access" in error.message  # says what is allowed instead


@SHARED_FIXTURE
@given(
    component=st.sampled_from(KAFKA_PRIVATELINK_COMPONENTS),
    value=st.integers() | st.text(max_size=5) | st.none() | st.lists(st.booleans(), max_size=2),
)
def test_a_switch_that_is_not_a_boolean_is_named_with_its_path(
    service, active_privatelink, component, value
) -> None:
    error = _outcome(service, {"privatelink_access": {component: value}})
    assert error is not None
    assert error.field == f"user_config.privatelink_access.{component}"


@given(current=CONFIG, change=CONFIG)
def test_merging_keeps_every_key_and_applies_every_change(current, change) -> None:
    merged = merge(current, change)
    assert set(merged) == set(current) | set(change)
    for key, value in change.items():
        if isinstance(value, dict) and isinstance(current.get(key), dict):
            assert set(merged[key]) == set(current[key]) | set(value)
        else:
            assert merged[key] == value
    assert merge(merged, change) == merged


@pytest.fixture
def active_privatelink(service) -> PrivateLink:
    return PrivateLink.objects.create(
        service=service,
        principals=["arn:aws:iam::111122223333:root"],
        state=PrivateLink.State.ACTIVE,
        generation=1,
        observed_generation=1,
    )
