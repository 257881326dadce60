"""No database constraint's name reaches reception, the desks or the visitors. Where a move meets the
database's guard rather than the service's own check (two desks at the same instant), the service
says what happened in words; the moves are made here with the service's check switched off, as a
race would pass it. A forged opinion on the phone page is refused in words too."""

import pytest
from django.test import override_settings
from django.utils import translation

from reception import services
from reception.models import Duty, Feedback, Ticket
from tests.factories import constraint_names, make_desk, shows_no_constraint_name

pytestmark = pytest.mark.django_db


def in_words(error):
    message = str(error.value.message)
    assert not [name for name in constraint_names() if name in message], message
    return message


@pytest.fixture
def race(monkeypatch):
    """The service's own look at the desk finds it free, as a move made at the same instant would."""
    monkeypatch.setattr(services, "_ensure_desk_is_free", lambda desk: None)


def test_two_tickets_called_to_one_desk_at_once_are_told_in_words(issue, training, desk, on_duty, race):
    services.call_ticket(ticket=issue(training), desk=desk, by=on_duty)
    second = issue(training)
    with translation.override("en"), pytest.raises(services.QueueError) as error:
        services.call_ticket(ticket=second, desk=desk, by=on_duty)
    assert in_words(error) == "Desk 3 is already calling another ticket."
    assert Ticket.objects.get(pk=second.pk).status == Ticket.Status.WAITING


def test_a_walk_in_at_a_desk_that_just_called_someone_is_told_in_words(issue, training, desk, on_duty, race):
    services.call_ticket(ticket=issue(training), desk=desk, by=on_duty)
    with translation.override("fr"), pytest.raises(services.QueueError) as error:
        services.record_walk_in(area=training, desk=desk, by=on_duty)
    assert in_words(error) == "Guichet 3 appelle déjà un autre ticket."
    assert not Ticket.objects.filter(walk_in=True).exists()


@pytest.fixture
def never_ends(monkeypatch):
    """A duty ended by the service is still open in the database, as one opened at the same instant."""
    monkeypatch.setattr(services, "_end", lambda duty, **kwargs: None)


def test_a_desk_opened_by_two_people_at_once_is_told_in_words(counsellor, receptionist, desk, never_ends):
    services.start_duty(user=receptionist, desk=desk)
    with translation.override("en"), pytest.raises(services.QueueError) as error:
        services.start_duty(user=counsellor, desk=desk, take_over=True)
    assert in_words(error) == "Desk 3 was opened by someone else a moment ago."


def test_two_desks_opened_by_one_person_at_once_are_told_in_words(counsellor, desk, training, never_ends):
    services.start_duty(user=counsellor, desk=desk)
    other = make_desk("4", training)
    with translation.override("en"), pytest.raises(services.QueueError) as error:
        services.start_duty(user=counsellor, desk=other)
    assert in_words(error) == "You opened another desk a moment ago: leave it before opening Desk 4."
    assert Duty.objects.filter(user=counsellor, ended_at__isnull=True).count() == 1


@override_settings(LANGUAGE_CODE="en")
def test_a_forged_rating_on_the_phone_page_is_refused_in_words(client, issue, training, desk, on_duty):
    from django.urls import reverse

    ticket = issue(training)
    services.call_ticket(ticket=ticket, desk=desk, by=on_duty)
    services.start_serving(ticket=ticket, desk=desk, by=on_duty)
    services.finish(ticket=ticket, desk=desk, by=on_duty)
    for rating in ("9", "0", "-1", "4.5"):
        response = client.post(reverse("phone:feedback", args=[ticket.token]), {"rating": rating, "comment": "Bien"})
        assert response.status_code == 400, rating
        shows_no_constraint_name(response)
        assert "Bien" in response.content.decode()  # the comment typed is kept
    assert not Feedback.objects.exists()
