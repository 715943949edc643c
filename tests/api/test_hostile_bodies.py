"""Bodies built to break the parser: each is a 400 in the platform's error shape, in our words."""

import pytest

from console.models import AuditEvent, ProjectVPC, Service
from privatelink.models import PrivateLink

pytestmark = pytest.mark.django_db

SERVICE = "/v1/project/demo/service/my-kafka"
PRIVATELINK = f"{SERVICE}/privatelink/aws"
DEEP = b'{"principals": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
DEEP_USER_CONFIG = b'{"user_config": ' + b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"}"
# Deep enough to pass Python's parser, far deeper than any body the API takes.
MODERATELY_DEEP = b'{"user_config": {"privatelink_access": ' + b"[" * 200 + b"]" * 200 + b"}}"


def error_of(response) -> tuple[int, str]:
    body = response.json()
    assert response["Content-Type"] == "application/json"
    assert body["errors"] == [{"message": body["message"], "status": response.status_code}]
    return response.status_code, body["message"]


@pytest.mark.parametrize("method", ["post", "put"])
def test_a_body_nested_100000_levels_on_the_privatelink_is_a_400(api, service, method):
    status, message = error_of(getattr(api, method)(PRIVATELINK, raw=DEEP))
    assert (status, message) == (
        400,
        "The request body nests deeper than 32 levels; send a flatter JSON object.",
    )
    assert not PrivateLink.objects.filter(service=service).exists()


@pytest.mark.parametrize("raw", [DEEP_USER_CONFIG, MODERATELY_DEEP])
def test_a_deeply_nested_service_update_is_a_400_and_changes_nothing(api, service, raw):
    status, message = error_of(api.put(SERVICE, raw=raw))
    assert status == 400
    assert "nests deeper than 32 levels" in message
    service.refresh_from_db()
    assert service.user_config == {}
    assert not AuditEvent.objects.filter(action="service.user_config").exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            b'{"principals": [' + b"9" * 5000 + b"]}",
            "The request body has a number too long to read.",
        ),
        (b'{"principals": [}', "The request body is not valid JSON (line 1, column 17)."),
        (
            b'{"principals": ["\xff"]}',
            "The request body is not UTF-8 text; send JSON encoded as UTF-8.",
        ),
    ],
)
def test_parser_errors_are_our_words_never_pythons(api, service, raw, message):
    status, text = error_of(api.post(PRIVATELINK, raw=raw))
    assert (status, text) == (400, message)
    for python_words in ("sys.set_int_max_str_digits", "Expecting", "codec", "char "):
        assert python_words not in text


def test_an_api_error_quotes_a_long_principal_cut_short(api, service):
    principal = "arn:aws:iam::012345678901:user/" + "z" * 100_000 + "/"

    response = api.post(
        "/v1/project/demo/service/my-kafka/privatelink/aws", {"principals": [principal]}
    )

    message = response.json()["message"]
    assert response.status_code == 400
    assert len(message) < 400
    assert "(100032 characters)" in message


def test_an_api_error_quotes_a_long_unknown_key_cut_short(api, service):
    response = api.put("/v1/project/demo/service/my-kafka", {"k" * 100_000: 1})

    body = response.json()
    assert response.status_code == 400
    assert len(response.content) < 1000
    assert body["message"].startswith("k" * 80 + "… (100000 characters) is not supported here")


def test_an_api_error_quotes_a_long_user_config_value_cut_short(api, service):
    response = api.put(
        "/v1/project/demo/service/my-kafka",
        {"user_config": {"privatelink_access": {"kafka": "v" * 100_000}}},
    )

    assert response.status_code == 400
    assert len(response.content) < 1000
    assert "must be a boolean" in response.json()["message"]


HUGE = "p" * 100_000


def refusal_of(response) -> tuple[int, str]:
    """Status and message of an error in the platform's shape, which may name the field."""
    body = response.json()
    assert response["Content-Type"] == "application/json"
    (error,) = body["errors"]
    assert (error["message"], error["status"]) == (body["message"], response.status_code)
    return response.status_code, body["message"]


def _cut(message: str) -> None:
    assert "p" * 81 not in message
    assert "… (100000 characters)" in message or "… (100002 characters)" in message


@pytest.mark.parametrize("field", ["plan", "cloud"])
def test_a_100kb_plan_or_cloud_at_service_creation_is_quoted_cut_short(api, project, field):
    body = {"service_name": "big", "service_type": "kafka", "plan": "business-4"}
    body["cloud"] = "aws-eu-west-1"
    body[field] = HUGE

    response = api.post("/v1/project/demo/service", body)

    status, message = refusal_of(response)
    assert status == 400
    assert len(response.content) < 1000
    assert not Service.objects.filter(name="big").exists()
    if field == "cloud":
        _cut(message)


def test_a_100kb_plan_in_a_service_update_is_quoted_cut_short(api, service):
    response = api.put(SERVICE, {"plan": HUGE})

    status, message = refusal_of(response)
    assert status == 400
    assert message.startswith("Unknown plan 'ppp")
    _cut(message)
    assert len(response.content) < 1000
    service.refresh_from_db()
    assert service.plan == "business-4"


def test_a_100kb_unknown_path_is_quoted_cut_short(api, project):
    response = api.get("/v1/project/demo/" + "p" * 100_000)

    status, message = refusal_of(response)
    assert status == 404
    assert message.startswith("No API endpoint at /v1/project/demo/ppp")
    assert len(response.content) < 1000


def test_a_project_vpc_outside_the_private_ranges_is_refused_in_the_platforms_shape(api, project):
    response = api.post(
        "/v1/project/demo/vpcs", {"cloud_name": "aws-eu-west-1", "network_cidr": "169.254.0.0/16"}
    )

    status, message = refusal_of(response)
    assert (status, message) == (
        400,
        "cidr: 169.254.0.0/16 is not a private range; use one inside 10.0.0.0/8, "
        "172.16.0.0/12 or 192.168.0.0/16 (RFC 1918).",
    )
    assert not ProjectVPC.objects.exists()
