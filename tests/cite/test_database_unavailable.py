"""While the database cannot be reached, every page answers 503 in the visitor's language, never a 500."""

import pytest
from django.db import OperationalError
from django.test import Client

from tests.factories import make_area


@pytest.fixture
def area(db):
    return make_area("find-job")


def logged_in(user, language="fr"):
    client = Client(raise_request_exception=False, headers={"accept-language": language})
    client.force_login(user)
    return client


def database_away(*args, **kwargs):
    raise OperationalError('connection failed: connection to server at "127.0.0.1", port 5432 failed')


def test_an_error_reaching_the_database_in_a_view_is_a_503_page(receptionist, area, monkeypatch):
    monkeypatch.setattr("reception.services.issue_ticket", database_away)

    response = logged_in(receptionist).post("/reception/", {"area": area.pk})

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Service momentanément indisponible" in response.content.decode()


def test_an_error_reaching_the_database_in_a_middleware_is_a_503_page_in_english_too(receptionist, monkeypatch):
    client = logged_in(receptionist, language="en")
    # The session is read by the middleware that checks two-factor authentication, before any view.
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore._get_session_from_db", database_away)

    response = client.get("/reception/")

    assert response.status_code == 503
    assert "Service briefly unavailable" in response.content.decode()
    assert '<html lang="en">' in response.content.decode()


def test_a_wrapped_connection_error_is_recognised(receptionist, area, monkeypatch):
    def wrapped(*args, **kwargs):
        try:
            database_away()
        except OperationalError as error:
            raise RuntimeError("while issuing") from error

    monkeypatch.setattr("reception.services.issue_ticket", wrapped)

    assert logged_in(receptionist).post("/reception/", {"area": area.pk}).status_code == 503


def test_any_other_error_is_still_a_500(receptionist, area, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("reception.services.issue_ticket", broken)

    response = logged_in(receptionist).post("/reception/", {"area": area.pk})

    assert response.status_code == 500
    assert "Retry-After" not in response
