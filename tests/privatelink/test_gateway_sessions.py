"""boto3 sessions in the worker's threads pool: a session is not thread-safe, so each
thread makes its clients from sessions of its own, while the assumed roles' credentials
are shared."""

import threading

from privatelink.clouds.aws.gateway import clients


def _in_thread(work):
    found = []
    thread = threading.Thread(target=lambda: found.append(work()))
    thread.start()
    thread.join()
    return found[0]


def test_each_thread_has_a_session_of_its_own_and_keeps_it(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    here = clients._fake_session("eu-west-1")

    assert clients._fake_session("eu-west-1") is here
    there = _in_thread(lambda: clients._fake_session("eu-west-1"))
    assert there is not here


def test_a_role_session_is_per_thread_and_made_anew_when_the_credentials_are_renewed(
    monkeypatch, settings
):
    settings.AWS_ENDPOINT_URL = ""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    key = ["AKIA1"]

    def credentials(region, role, base):
        return {"AccessKeyId": key[0], "SecretAccessKey": "s", "SessionToken": "t"}

    # Only the AssumeRole call (shared by all threads, cached for the hour) is replaced.
    monkeypatch.setattr(clients, "_role_credentials", credentials)
    role = "arn:aws:iam::111111111111:role/pl"
    here = clients._platform_session("eu-west-1", role)
    there = _in_thread(lambda: clients._platform_session("eu-west-1", role))

    assert here is not there
    assert clients._platform_session("eu-west-1", role) is here
    assert here.get_credentials().access_key == there.get_credentials().access_key == "AKIA1"
    key[0] = "AKIA2"
    renewed = clients._platform_session("eu-west-1", role)
    assert renewed is not here
    assert renewed.get_credentials().access_key == "AKIA2"
