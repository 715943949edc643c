"""Project and service names that would make a DNS label longer than 63 characters, or one
DNS refuses, are refused at creation with the limit, and nothing is saved."""

import pytest
from django.core.exceptions import ValidationError

from console import actions
from console.errors import InvalidInput
from console.host_names import HOST_LABEL_MAX, PROJECT_NAME_MAX, domain_problem
from console.models import Project, Service
from tests.factories import ProjectFactory

# demo is 4 characters: with the hyphen, service names of up to 42 fit in 47.
LONGEST_FITTING = "s" * (HOST_LABEL_MAX - len("-demo"))


def _create(project, name):
    return actions.create_service(
        project,
        name=name,
        service_type="kafka",
        plan="business-4",
        project_vpc=None,
        actor=None,
    )


def test_a_service_whose_host_label_just_fits_is_created(project):
    created = _create(project, LONGEST_FITTING)
    assert created.host_label == f"{LONGEST_FITTING}-demo"
    assert len(created.host_label) == HOST_LABEL_MAX


def test_a_service_name_one_character_too_long_is_refused_with_the_limit(project):
    with pytest.raises(InvalidInput) as refused:
        _create(project, LONGEST_FITTING + "s")
    assert refused.value.field == "name"
    assert f"at most {HOST_LABEL_MAX} characters" in refused.value.message
    assert f"at most {len(LONGEST_FITTING)} characters" in refused.value.message
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("privatelink-1-my", "may not start with privatelink"),
        ("privatelink", "may not start with privatelink"),
        ("my-", "may not end with a hyphen"),
        ("my--kafka", "two hyphens in a row"),
    ],
)
def test_names_dns_would_refuse_or_misread_are_refused(project, name, said):
    with pytest.raises(InvalidInput) as refused:
        _create(project, name)
    assert said in refused.value.message
    assert not Service.objects.exists()


def test_the_create_page_shows_the_limit_and_keeps_what_was_typed(developer_client, project):
    name = LONGEST_FITTING + "s"
    response = developer_client.post(
        "/projects/demo/services/new",
        {"service_type": "kafka", "name": name, "plan": "business-4", "project_vpc": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"at most {HOST_LABEL_MAX} characters" in page
    assert f'value="{name}"' in page
    assert not Service.objects.exists()


def test_a_project_name_too_long_for_its_services_hosts_is_refused(db):
    project = Project(name="p" * (PROJECT_NAME_MAX + 1))
    with pytest.raises(ValidationError) as refused:
        project.full_clean()
    assert f"at most {PROJECT_NAME_MAX} characters" in refused.value.message_dict["name"][0]
    Project(name="p" * PROJECT_NAME_MAX).full_clean()


def test_a_project_name_ending_in_a_hyphen_is_refused(db):
    with pytest.raises(ValidationError) as refused:
        Project(name="demo-").full_clean()
    assert "may not end with a hyphen" in refused.value.message_dict["name"][0]


def test_a_service_created_under_earlier_rules_can_still_be_saved(db):
    project = ProjectFactory(name="legacy-")
    legacy = Service.objects.create(project=project, name="x" * 63, service_type="kafka",
                                    plan="business-4")  # fmt: skip
    legacy.full_clean(exclude=["project_vpc"])
    project.full_clean()
    assert len(legacy.host_label) <= HOST_LABEL_MAX


@pytest.mark.parametrize(
    ("domain", "said"),
    [
        ("example..test", "1 to 63 characters"),
        ("exa_mple.test", "only letters, digits and inner hyphens"),
        ("-example.test", "only letters, digits and inner hyphens"),
        ("a" * 60 + "." + "b" * 60 + "." + "c" * 60 + ".test", "too long"),
    ],
)
def test_a_platform_domain_that_cannot_hold_the_hosts_is_named_with_the_reason(domain, said):
    assert said in domain_problem(domain)


def test_the_default_domains_hold_the_hosts():
    assert domain_problem("example.test") == ""
    assert domain_problem("privatelink.eu-west-1.example.com.") == ""
