"""The /v1/ API against its own OpenAPI document, with schemathesis.

Every operation gets generated inputs (valid and invalid) sent through the WSGI app with a
developer's token; any 5xx, undocumented status, content type or response shape fails.
Examples are bounded so that the whole run stays well under a minute.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from console.api.openapi import document
from console.models.tokens import ApiToken

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_dict(document())
schema.app = get_wsgi_application()

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def connection_kept_for_the_test():
    """As Django's test client does: requests must not close the connection that holds
    the test's transaction (persistent PostgreSQL connections would otherwise be closed
    as unusable mid-test)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token_header(service, developer) -> dict[str, str]:
    return {"Authorization": f"aivenv1 {ApiToken.issue(developer, 'contract')[1]}"}


@schema.parametrize()
@settings(
    max_examples=8,
    database=None,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_its_openapi_document_says(case, token_header):
    case.call_and_validate(headers=token_header, checks=CHECKS)
