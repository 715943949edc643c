"""Fragments ask the page's persistent live region to say what happened, in words, and
give every control they swap in a stable id so that focus survives the swap."""

import json
import re

import pytest

from tests.constants import CUSTOMER_ROLE, HTMX, SAME_ACCOUNT_ROLE
from tests.factories import PrivateLinkFactory

pytestmark = pytest.mark.django_db

SERVICE = "/projects/demo/services/my-kafka/"
PAGE = SERVICE + "privatelink/"


def announced(response) -> str | None:
    trigger = response.get("HX-Trigger")
    return json.loads(trigger).get("announce", {}).get("message") if trigger else None


def test_adding_a_principal_is_announced(developer_client, service):
    link = PrivateLinkFactory(service=service)
    response = developer_client.post(
        PAGE + "principals/add",
        {"principal": SAME_ACCOUNT_ROLE, "digest": link.principals_digest},
        **HTMX,
    )
    assert announced(response) == f"Added {SAME_ACCOUNT_ROLE}; 2 principals are allowed."


def test_removing_a_principal_is_announced(developer_client, service):
    link = PrivateLinkFactory(service=service, principals=[CUSTOMER_ROLE, SAME_ACCOUNT_ROLE])
    response = developer_client.post(
        PAGE + "principals/remove",
        {"principal": SAME_ACCOUNT_ROLE, "digest": link.principals_digest},
        **HTMX,
    )
    assert announced(response) == f"Removed {SAME_ACCOUNT_ROLE}; 1 principal is allowed."


def test_a_refused_edit_is_not_announced_as_done(developer_client, service):
    link = PrivateLinkFactory(service=service)
    response = developer_client.post(
        PAGE + "principals/add", {"principal": "nobody", "digest": link.principals_digest}, **HTMX
    )
    assert response.status_code == 400
    assert announced(response) is None


def test_adding_a_row_to_the_create_form_is_announced(developer_client, service):
    response = developer_client.post(
        PAGE + "principals/add-row", {"principals": "", "new_principal": CUSTOMER_ROLE}, **HTMX
    )
    assert announced(response) == f"Added {CUSTOMER_ROLE} to the list of allowed principals."


def test_saving_advanced_configuration_is_announced(developer_client, service):
    PrivateLinkFactory(service=service)
    response = developer_client.post(
        SERVICE + "privatelink-access", {"kafka": "on", "authentication_certificate": "on"}, **HTMX
    )
    assert announced(response) == "Saved the advanced configuration."


def test_no_live_region_sits_inside_a_swapped_fragment(developer_client, service):
    PrivateLinkFactory(service=service)
    html = developer_client.get(PAGE).content.decode()
    assert html.count('aria-live="polite"') == 2  # the page's announcer and the inline check
    assert '<div id="announcer" class="visually-hidden" role="status" aria-live="polite"' in html
    for section in re.findall(r"<section[^>]*hx-(?:get|swap)[^>]*>", html):
        assert "aria-live" not in section


def test_every_control_in_the_principals_fragment_has_a_stable_id(developer_client, service):
    link = PrivateLinkFactory(service=service, principals=[CUSTOMER_ROLE, SAME_ACCOUNT_ROLE])
    response = developer_client.post(
        PAGE + "principals/add",
        {"principal": "arn:aws:iam::111122223333:role/third", "digest": link.principals_digest},
        **HTMX,
    )
    html = response.content.decode()
    controls = re.findall(
        r"<(?:button|input(?![^>]*type=\"hidden\")|textarea|select)\b[^>]*>", html
    )
    assert len(controls) >= 5
    for control in controls:
        assert " id=" in control, control
    assert f'id="remove-{CUSTOMER_ROLE}"' in html
