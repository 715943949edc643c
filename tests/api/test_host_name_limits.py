"""A service name whose hosts would not fit in DNS is refused by the API (and so by avn)
in the platform's error shape, saying the limit, and nothing is created."""

import pytest

from console.host_names import HOST_LABEL_MAX
from console.models import Service
from tests.api.test_api import error_of

TOO_LONG = "s" * (HOST_LABEL_MAX - len("-demo") + 1)


@pytest.mark.django_db
def test_the_api_refuses_a_service_name_too_long_for_its_hosts(api, project, queued):
    response = api.post(
        "/v1/project/demo/service",
        {"service_name": TOO_LONG, "service_type": "kafka", "plan": "business-4"},
    )
    status, message, _ = error_of(response)
    assert status == 400
    assert f"at most {HOST_LABEL_MAX} characters" in message
    assert not Service.objects.filter(name=TOO_LONG).exists()


@pytest.mark.django_db(transaction=True)
def test_avn_service_create_says_the_limit(avn, project, developer, queued):
    result = avn("service", "create", TOO_LONG, "-t", "kafka", "--plan", "business-4",
                 "--project", "demo")  # fmt: skip
    assert result.returncode != 0
    assert f"at most {HOST_LABEL_MAX} characters" in result.stdout + result.stderr
    assert not Service.objects.filter(name=TOO_LONG).exists()
