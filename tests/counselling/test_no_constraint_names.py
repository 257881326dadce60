"""No database constraint's name ever reaches a counsellor: the refused moves and saves of the
counsellor's pages are scanned for the names of every constraint of the project (the page and its
messages). That every constraint says what is wrong in words: tests/cite/test_no_constraint_names.py."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from counselling.models import Session
from tests.factories import shows_no_constraint_name

ACTION = reverse("counselling:desk-action")


@pytest.fixture
def session(client, on_duty, called):
    client.force_login(on_duty)
    client.post(ACTION, {"action": "receive", "ticket": called.pk})
    return Session.objects.get(ticket=called)


def test_refused_session_saves_show_no_constraint_name(client, session):
    url = reverse("counselling:session-save", args=[session.pk])
    started = timezone.localtime(session.started_at)
    earlier = (started - datetime.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    later = (started + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    refused = [
        {"action": "save", "started_at": started.strftime("%Y-%m-%dT%H:%M"), "ended_at": earlier},
        {"action": "finish", "ended_at": earlier},
        {"action": "save", "started_at": later, "ended_at": later},
        {"action": "save", "started_at": "3000-01-01T10:00", "ended_at": "0001-01-01T10:00"},
        {"action": "save", "note": "Joindre marie.dupont@example.org", "information_given": "x" * 5000},
        {"action": "save", "outcome": "maybe", "referral_area": "999999", "documents": ["0"]},
    ]
    for data in refused:
        response = client.post(url, data)
        assert response.status_code == 400, data
        shows_no_constraint_name(response)
    session.refresh_from_db()
    assert session.ended_at is None


def test_refused_desk_moves_and_workshop_forms_show_no_constraint_name(client, on_duty, called, training):
    client.force_login(on_duty)
    for data in (
        {"action": "call-next"},  # a visitor is already at the desk
        {"action": "no-show", "ticket": "999999"},
        {"action": "walk-in"},
        {"action": "open", "desk": "abc"},
    ):
        response = client.post(ACTION, data, follow=True)
        assert response.status_code == 200
        shows_no_constraint_name(response)
    starts = timezone.localtime() + datetime.timedelta(days=3)
    response = client.post(
        reverse("counselling:workshop-create"),
        {
            "kind": "workshop",
            "title": "Réussir son CV",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Salle Agora",
            "capacity": "0",
        },
    )
    assert response.status_code in (200, 400)
    shows_no_constraint_name(response)
