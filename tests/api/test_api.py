"""The /v1/ API through Django's test client: auth, access, input errors and their JSON shape."""

import pytest

from console.models import AuditEvent
from console.models.tokens import ApiToken
from privatelink.models import PrivateLink

pytestmark = pytest.mark.django_db

MWF = "arn:aws:iam::012345678901:user/mwf"
SERVICE = "/v1/project/demo/service/my-kafka"
PRIVATELINK = f"{SERVICE}/privatelink/aws"


def error_of(response) -> tuple[int, str, dict]:
    """Status, message and the single error entry, checking the platform's error shape."""
    body = response.json()
    assert response["Content-Type"] == "application/json"
    assert body["errors"][0]["status"] == response.status_code
    assert body["errors"][0]["message"] == body["message"]
    return response.status_code, body["message"], body["errors"][0]


def test_request_without_token_gets_401_in_json_with_the_scheme_to_use(client, service):
    response = client.get(f"{SERVICE}")
    status, message, _ = error_of(response)
    assert status == 401
    assert "aivenv1" in message
    assert response["WWW-Authenticate"] == "aivenv1"


def test_session_cookie_never_authenticates_the_api(developer_client, service):
    # A logged-in browser posting without a CSRF token: refused as unauthenticated, not
    # by the CSRF check, and nothing is created.
    response = developer_client.post(
        PRIVATELINK, {"principals": [MWF]}, content_type="application/json"
    )
    assert error_of(response)[0] == 401
    assert not PrivateLink.objects.filter(service=service).exists()


def test_revoked_token_gets_401(api, service, developer_token):
    ApiToken.objects.get(prefix=developer_token[:8]).revoke()
    assert error_of(api.get(SERVICE))[0] == 401


def test_using_a_token_records_when_it_was_last_used(api, service, developer_token):
    api.get(SERVICE)
    assert ApiToken.objects.get(prefix=developer_token[:8]).last_used is not None


def test_outsider_gets_404_for_project_service_and_privatelink(api, service, outsider_token):
    outsider = api.as_token(outsider_token)
    for path in ("/v1/project/demo", SERVICE, PRIVATELINK, f"{PRIVATELINK}/connections"):
        assert error_of(outsider.get(path))[0] == 404
    assert error_of(outsider.post(PRIVATELINK, {"principals": [MWF]}))[0] == 404
    assert not PrivateLink.objects.filter(service=service).exists()


def test_project_list_shows_only_the_callers_projects(api, service, outsider_token):
    assert [p["project_name"] for p in api.get("/v1/project").json()["projects"]] == ["demo"]
    assert api.as_token(outsider_token).get("/v1/project").json()["projects"] == []


def test_read_only_member_reads_but_every_write_gets_403(api, service, read_only_token):
    viewer = api.as_token(read_only_token)
    assert viewer.get(SERVICE).json()["service"]["service_name"] == "my-kafka"
    assert error_of(viewer.post(PRIVATELINK, {"principals": [MWF]}))[0] == 403
    change = {"user_config": {"privatelink_access": {"kafka": True}}}
    assert error_of(viewer.put(SERVICE, change))[0] == 403
    api.post(PRIVATELINK, {"principals": [MWF]})
    assert error_of(viewer.put(PRIVATELINK, {"principals": [MWF]}))[0] == 403
    assert error_of(viewer.delete(PRIVATELINK))[0] == 403
    assert error_of(viewer.post(f"{PRIVATELINK}/refresh"))[0] == 403
    link = PrivateLink.objects.get(service=service)
    assert (link.state, link.principals) == (PrivateLink.State.CREATING, [MWF])


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"principals=arn", "not valid JSON"),
        (b"[]", "must be a JSON object"),
        (b"", "Send a JSON object"),
        (b'{"principals": null}', "Give the allowed principals (1 to 16"),
        (b'{"principals": "arn:aws:iam::012345678901:user/mwf"}', "principals must be a list"),
        (b'{"principals": [12]}', "Each principal must be a non-empty IAM ARN"),
        (b'{"principals": []}', "at least one principal"),
        (b'{"principals": ["arn:aws:iam::012345678901:user/a/b"]}', "has a path"),
        (b'{"principals": ["arn:aws:iam::012345678901:user/mwf"], "x": 1}', "x is not supported"),
    ],
)
def test_bad_create_body_gets_400_saying_what_to_fix(api, service, raw, words):
    status, message, _ = error_of(api.post(PRIVATELINK, raw=raw))
    assert status == 400
    assert words in message
    assert not PrivateLink.objects.filter(service=service).exists()


@pytest.mark.parametrize("regions", [None, []])
def test_create_takes_the_supported_regions_avn_sends_when_they_ask_for_nothing(
    api, service, regions
):
    body = {"principals": [MWF], "supported_regions": regions}
    assert api.post(PRIVATELINK, body).json()["principals"] == [MWF]
    assert PrivateLink.objects.get(service=service).principals == [MWF]


def test_create_refuses_other_regions_naming_the_option(api, service):
    body = {"principals": [MWF], "supported_regions": ["us-east-1"]}
    status, message, error = error_of(api.post(PRIVATELINK, body))
    assert (status, error["field"]) == (400, "supported_regions")
    assert "leave out --supported-regions" in message
    assert not PrivateLink.objects.filter(service=service).exists()


def test_bad_principal_error_names_the_field(api, service):
    _, _, error = error_of(api.post(PRIVATELINK, {"principals": ["nobody"]}))
    assert error["field"] == "principals"


def test_second_create_gets_409_and_keeps_the_first(api, service):
    api.post(PRIVATELINK, {"principals": [MWF]})
    other = "arn:aws:iam::012345678901:role/other"
    status, message, _ = error_of(api.post(PRIVATELINK, {"principals": [other]}))
    assert status == 409
    assert "already has a PrivateLink" in message
    assert PrivateLink.objects.get(service=service).principals == [MWF]


def test_update_and_delete_while_deleting_get_409(api, service):
    api.post(PRIVATELINK, {"principals": [MWF]})
    assert api.delete(PRIVATELINK).json()["state"] == "deleting"
    other = "arn:aws:iam::012345678901:role/other"
    assert error_of(api.put(PRIVATELINK, {"principals": [other]}))[0] == 409
    assert error_of(api.delete(PRIVATELINK))[0] == 409
    assert error_of(api.post(f"{PRIVATELINK}/refresh"))[0] == 409
    link = PrivateLink.objects.get(service=service)
    assert (link.state, link.principals) == (PrivateLink.State.DELETING, [MWF])


def test_update_replaces_the_whole_list_with_an_audit_event(api, service, developer):
    api.post(PRIVATELINK, {"principals": [MWF]})
    other = "arn:aws:iam::012345678901:role/other"
    answer = api.put(PRIVATELINK, {"principals": [other]}).json()
    assert answer["principals"] == [other]
    assert PrivateLink.objects.get(service=service).principals == [other]
    event = AuditEvent.objects.filter(action="privatelink.principals").get()
    assert event.actor == developer


def test_get_and_connections_of_a_missing_privatelink_are_404(api, service):
    assert "has no AWS PrivateLink" in error_of(api.get(PRIVATELINK))[1]
    assert error_of(api.get(f"{PRIVATELINK}/connections"))[0] == 404


def test_unknown_v1_path_gets_a_json_404_for_any_method(api, service):
    assert error_of(api.get("/v1/project/demo/nothing-here"))[0] == 404
    assert error_of(api.post("/v1/nothing", {"a": 1}))[0] == 404


def test_wrong_method_gets_405_with_the_allowed_ones(api, service):
    response = api.post(SERVICE, {})
    assert error_of(response)[0] == 405
    assert response["Allow"] == "DELETE, GET, PUT"


def test_service_update_merges_user_config_and_answers_the_service(api, service):
    service.user_config = {"privatelink_access": {"prometheus": False}}
    service.save()
    api.post(PRIVATELINK, {"principals": [MWF]})
    answer = api.put(
        SERVICE, {"plan": "business-4", "user_config": {"privatelink_access": {"kafka": True}}}
    ).json()["service"]
    expected = {"privatelink_access": {"prometheus": False, "kafka": True}}
    assert answer["user_config"] == expected
    service.refresh_from_db()
    assert service.user_config == expected


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"user_config": {"privatelink_access": {"kafka": "yes"}}}, 400, "must be a boolean"),
        ({"user_config": {"nope": 1}}, 400, "Unknown user config key nope"),
        ({"user_config": []}, 400, "user_config must be a JSON object"),
        ({"plan": "hobbyist"}, 400, "Unknown plan 'hobbyist'"),
        (
            {"plan": "premium-6", "user_config": {"nope": 1}},
            400,
            "Unknown user config key nope",
        ),
        ({"cloud": "aws-us-east-1"}, 400, "cloud is not supported here"),
        (
            {"user_config": {"privatelink_access": {"pg": True}}},
            400,
            "Unknown user config key privatelink_access.pg",
        ),
    ],
)
def test_bad_service_update_gets_400_and_changes_nothing(api, service, body, status, words):
    code, message, _ = error_of(api.put(SERVICE, body))
    assert (code, words in message) == (status, True)
    service.refresh_from_db()
    assert service.user_config == {}
    assert (service.plan, service.nodes.count()) == ("business-4", 3)


def test_service_type_publishes_privatelink_access_as_titled_booleans(api, service):
    schema = api.get("/v1/project/demo/service-types/kafka").json()["user_config_schema"]
    access = schema["properties"]["privatelink_access"]["properties"]
    assert access["kafka"] == {"type": "boolean", "title": "Enable kafka", "example": True}
    assert error_of(api.get("/v1/project/demo/service-types/cassandra"))[0] == 404


def test_openapi_document_is_public_and_names_every_endpoint(client):
    document = client.get("/v1/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert (
        "/v1/project/{project}/service/{service}/privatelink/aws/connections" in document["paths"]
    )
    assert set(document["paths"]["/v1/project/{project}/service/{service}/privatelink/aws"]) == {
        "get",
        "post",
        "put",
        "delete",
    }


def test_too_large_a_body_gets_413_in_json(api, service, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    status, message, _ = error_of(api.post(PRIVATELINK, {"principals": [MWF] * 10}))
    assert (status, message) == (413, "The request body is too large.")
    assert not PrivateLink.objects.filter(service=service).exists()


def test_an_unexpected_error_answers_json_with_the_request_id(api, service, monkeypatch):
    from console.api import views

    def broken(service):
        raise RuntimeError("serializer bug")

    monkeypatch.setattr(views, "service_json", broken)
    response = api.get(SERVICE)
    status, message, _ = error_of(response)
    assert status == 500
    assert response["X-Request-ID"] in message
