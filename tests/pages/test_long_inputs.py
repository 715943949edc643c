"""Long inputs: fields have a max_length, and error messages quote a value cut to a
readable length, so that an answer never grows with what was sent."""

import pytest

from console.errors import echo
from privatelink.models import PrivateLink
from tests.constants import HTMX

pytestmark = pytest.mark.django_db

PAGE = "/projects/demo/services/my-kafka/privatelink/"
HUGE = "arn:aws:iam::012345678901:user/" + "x" * 100_000


def test_echo_keeps_short_values_and_cuts_long_ones():
    assert echo("arn:aws:iam::012345678901:user/mwf") == "arn:aws:iam::012345678901:user/mwf"
    assert echo("y" * 1000) == "y" * 80 + "… (1000 characters)"


def test_a_100kb_principal_is_refused_by_its_length_and_not_repeated(developer_client, service):
    response = developer_client.post(PAGE + "create", {"principals": HUGE}, **HTMX)

    html = response.content.decode()
    assert "Ensure this value has at most 4096 characters" in html
    # At most once, in the field the person may correct; never in the message.
    assert html.count("x" * 100_000) <= 1
    assert len(html) < 120_000
    assert not PrivateLink.objects.filter(service=service).exists()


@pytest.mark.parametrize("field", ["new_principal", "principal"])
def test_single_principal_fields_carry_a_max_length(developer_client, service, field):
    from privatelink import forms

    form = forms.PrincipalRowForm if field == "new_principal" else forms.PrincipalForm
    bound = form(data={field: HUGE, "digest": "d"})
    assert not bound.is_valid()
    assert bound.errors[field] == ["Ensure this value has at most 2048 characters (it has 100031)."]
    assert 'maxlength="2048"' in str(bound[field])


@pytest.mark.parametrize(
    ("url", "form"),
    [
        ("/projects/demo/services/new", {"service_type": "kafka", "name": "big", "plan": "p"}),
        ("/projects/demo/services/new", {"service_type": "p", "name": "big", "plan": "startup-2"}),
        ("/projects/demo/vpcs/new", {"cloud": "p", "cidr": "10.9.0.0/16"}),
    ],
)
def test_a_100kb_choice_on_a_page_is_quoted_cut_short(developer_client, project, url, form):
    sent = {key: "p" * 100_000 if value == "p" else value for key, value in form.items()}

    response = developer_client.post(url, sent)

    html = response.content.decode()
    assert "p" * 81 not in html
    assert "… (100000 characters) is not one of the available choices" in html
    assert len(html) < 20_000
