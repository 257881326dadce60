"""No database constraint's name ever reaches a user: the names are collected from the models'
Meta.constraints, and the refused moves and saves of the counsellor's pages are scanned for them
(the page and its messages)."""

import datetime

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.db.models import UniqueConstraint
from django.urls import reverse
from django.utils import timezone

from counselling.models import Session

PROJECT_APPS = ("cite", "reception", "partners", "resources", "counselling", "stats")
ACTION = reverse("counselling:desk-action")


def constraint_names():
    return {
        constraint.name
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        for constraint in model._meta.constraints
    }


def shows_no_constraint_name(response):
    text = response.content.decode() + " ".join(str(message) for message in get_messages(response.wsgi_request))
    shown = sorted(name for name in constraint_names() if name in text)
    assert shown == [], f"{response.request['PATH_INFO']} shows {shown}"


def test_the_names_are_collected_from_the_models():
    names = constraint_names()
    assert "counselling_session_ends_after_start" in names and "reception_ticket_called_has_desk" in names


def test_every_constraint_of_counselling_says_what_is_wrong_in_words():
    """A check (or a conditional unique constraint) refused by a form speaks its message: Django's
    default names the constraint. A plain unique constraint on fields gets Django's own sentence."""
    for model in apps.get_app_config("counselling").get_models():
        for constraint in model._meta.constraints:
            plain_unique = isinstance(constraint, UniqueConstraint) and constraint.fields and not constraint.condition
            if not plain_unique:
                assert constraint.name not in str(constraint.get_violation_error_message()), constraint.name


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
