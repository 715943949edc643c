"""Bodies built to break the parser: each is a 400 in the platform's error shape, in our words."""

import pytest

from console.models import AuditEvent
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
