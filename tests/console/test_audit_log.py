"""Reading back what an audit event changed, as the activity page lists it."""

from console.audit_log import event_changes
from console.models import AuditEvent


def _changes(before, after):
    return event_changes(AuditEvent(before=before, after=after))


def test_a_nested_config_change_reads_as_a_dotted_key_with_old_and_new_values():
    before = {"privatelink_access": {"kafka": False, "kafka_rest": True}}
    after = {"privatelink_access": {"kafka": True, "kafka_rest": True}}

    assert _changes(before, after) == [("privatelink_access.kafka", "false", "true")]


def test_keys_only_on_one_side_show_an_empty_other_side():
    assert _changes({"plan": "business-4"}, {"nodes": ["a", "b"]}) == [
        ("nodes", "", '["a", "b"]'),
        ("plan", '"business-4"', ""),
    ]


def test_an_event_with_only_an_after_lists_every_key_even_unchanged_ones():
    assert _changes(None, {"username": "avnadmin", "generated": True}) == [
        ("generated", "", "true"),
        ("username", "", '"avnadmin"'),
    ]


def test_an_empty_dict_is_a_value_not_a_level():
    assert _changes({"limits": {}}, {"limits": {"max": 1}}) == [
        ("limits", "{}", ""),
        ("limits.max", "", "1"),
    ]


def test_values_that_are_not_dicts_are_one_unnamed_change():
    assert _changes("10.0.0.1", "10.0.0.2") == [("", '"10.0.0.1"', '"10.0.0.2"')]
    assert _changes(None, "ünïcode") == [("", "", '"ünïcode"')]


def test_an_event_without_before_or_after_changed_nothing_to_list():
    assert _changes(None, None) == []
