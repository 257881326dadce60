"""The phone page tells the visitor more than their place: a transfer, nobody on duty yet, and once the
visit is over it asks two optional questions (one answer per ticket, that day only, finished tickets
only), without any identity."""

import datetime

import pytest
from django.urls import reverse

from reception import services
from reception.models import Feedback, Ticket


@pytest.fixture
def served(issue, training, desk, on_duty):
    ticket = issue(training)
    services.call_ticket(ticket=ticket, desk=desk, by=on_duty)
    services.start_serving(ticket=ticket, desk=desk, by=on_duty)
    return ticket


@pytest.fixture
def finished(served, desk, on_duty):
    services.finish(ticket=served, desk=desk, by=on_duty)
    served.refresh_from_db()
    return served


def feedback_url(ticket):
    return reverse("phone:feedback", args=[ticket.token])


def test_nobody_on_duty_is_said_instead_of_an_empty_wait(client, issue, training):
    ticket = issue(training)
    page = client.get(ticket.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No counsellor is on duty yet for this area; reception will tell you." in page


def test_after_a_transfer_the_page_says_the_place_is_kept(client, issue, training, job, receptionist):
    ticket = issue(training)
    services.transfer(ticket=ticket, area=job, by=receptionist)
    page = client.get(reverse("phone:status", args=[ticket.token]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"You have been moved to the area {job.name_en}; your place is kept." in page


def test_a_called_ticket_carries_what_the_script_puts_in_the_title(client, issue, training, desk, on_duty):
    ticket = issue(training)
    services.call_ticket(ticket=ticket, desk=desk, by=on_duty)
    page = client.get(ticket.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-status="called"' in page
    assert f'data-called-title="{ticket.code}: go to desk 3"' in page


def test_a_finished_ticket_asks_for_an_opinion_and_takes_one_answer(client, finished):
    page = client.get(finished.get_absolute_url()).content.decode()
    assert feedback_url(finished) in page
    response = client.post(feedback_url(finished), {"found": "partly", "rating": "4", "comment": "Très utile"})
    assert response.status_code == 302
    feedback = Feedback.objects.get(ticket=finished)
    assert (feedback.found, feedback.rating, feedback.comment, feedback.area_id) == (
        "partly",
        4,
        "Très utile",
        finished.area_id,
    )
    page = client.get(finished.get_absolute_url()).content.decode()
    assert feedback_url(finished) not in page
    assert "Merci pour votre avis" in page

    again = client.post(feedback_url(finished), {"found": "no"}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400
    assert "You have already given your opinion on this visit." in again.content.decode()
    assert Feedback.objects.count() == 1


def test_no_opinion_before_the_end_of_the_visit(client, served):
    response = client.post(feedback_url(served), {"found": "yes"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "once your visit is over" in response.content.decode()
    assert not Feedback.objects.exists()


def test_no_opinion_on_another_day(client, finished):
    Ticket.objects.filter(pk=finished.pk).update(day=finished.day - datetime.timedelta(days=1))
    assert client.post(feedback_url(finished), {"found": "yes"}).status_code == 410
    finished.refresh_from_db()
    with pytest.raises(services.FeedbackError):
        services.give_feedback(ticket=finished, found="yes")
    assert not Feedback.objects.exists()


def test_a_comment_with_personal_data_is_refused_and_kept_on_screen(client, finished):
    response = client.post(
        feedback_url(finished), {"found": "yes", "rating": "5", "comment": "Rappelez-moi au 06 12 34 56 78"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Rappelez-moi au 06 12 34 56 78" in page  # what was typed is not lost
    assert not Feedback.objects.exists()


def test_a_wrong_rating_is_said_never_a_500(client, finished):
    response = client.post(feedback_url(finished), {"rating": "9"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Feedback.objects.exists()


def test_an_empty_answer_is_not_recorded(client, finished):
    response = client.post(feedback_url(finished), {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert not Feedback.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_taps_at_once_record_one_answer(issue, training, desk, on_duty):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    ticket = issue(training)
    services.call_ticket(ticket=ticket, desk=desk, by=on_duty)
    services.start_serving(ticket=ticket, desk=desk, by=on_duty)
    services.finish(ticket=ticket, desk=desk, by=on_duty)

    def tap(_):
        try:
            services.give_feedback(ticket=ticket, found="yes")
            return "ok"
        except services.FeedbackError:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        results = sorted(pool.map(tap, range(2)))
    assert results == ["ok", "refused"]
    assert Feedback.objects.filter(ticket=ticket).count() == 1
