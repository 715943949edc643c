"""Google Cloud project ids as the allow-list of a Google PrivateLink takes them."""

import pytest

from console.errors import InvalidInput
from privatelink.google_projects import MAX_PROJECTS, clean_projects


@pytest.mark.parametrize("project", ["abcdef", "a" + "b" * 28 + "9", "my-project-42"])
def test_google_project_ids_of_6_to_30_characters_are_taken(project):
    assert clean_projects([f" {project} ", project]) == [project]


def test_an_empty_list_is_taken_as_a_link_starts_with_none():
    assert clean_projects([]) == []


@pytest.mark.parametrize("value", [None, "customer-project", [""], [42]])
def test_anything_but_a_list_of_project_ids_is_refused_on_the_field(value):
    with pytest.raises(InvalidInput) as refused:
        clean_projects(value)

    assert refused.value.field == "principals"


def test_more_projects_than_the_limit_are_refused_saying_how_many():
    with pytest.raises(InvalidInput) as refused:
        clean_projects([f"project-{n:02d}" for n in range(MAX_PROJECTS + 1)])

    assert f"{MAX_PROJECTS + 1} were given" in refused.value.message
