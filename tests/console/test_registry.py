"""The registries other apps fill at start-up keep order and hold each thing once."""

from console.registry import Registry


def test_a_registry_keeps_the_order_things_were_added_in():
    registry: Registry[str] = Registry()
    registry.add("b")
    registry.add("a")
    assert list(registry) == ["b", "a"]


def test_adding_the_same_thing_twice_keeps_one():
    registry: Registry[str] = Registry()
    assert registry.add("panel") == "panel"
    registry.add("panel")
    assert list(registry) == ["panel"]


def test_adding_while_iterating_does_not_disturb_the_iteration():
    registry: Registry[str] = Registry()
    registry.add("first")
    for item in registry:
        registry.add(item + "-again")
    assert list(registry) == ["first", "first-again"]
