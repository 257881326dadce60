"""A ticket's own page (from today's list): its history, reprint, put back, transfer, cancel with a
reason and undo; each move refused with a reason, and checked on the ticket for the person acting."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from reception import services
from reception.models import Ticket, TicketEvent
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english(client):
    """The messages read below are the English ones (the French are checked by the translation tests)."""
    translation.activate("en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_the_page_lists_the_tickets_events_with_times_desks_and_areas(
    client, receptionist, issue, training, job, desk, on_duty
):
    ticket = issue(training)
    services.call_ticket(ticket=ticket, desk=desk, by=on_duty)
    services.requeue(ticket=ticket, by=receptionist)
    services.transfer(ticket=ticket, area=job, by=receptionist)
    client.force_login(receptionist)
    page = client.get(reverse("reception:ticket", args=[ticket.pk])).content.decode()
    for text in ("Issued", "Called", "Put back in the queue", "Transferred", f"{training.name} → {job.name}", ">3<"):
        assert text in page, text
    called = ticket.events.get(kind="called")
    assert timezone.localtime(called.at).strftime("%H:%M:%S") in page


def test_cancelling_asks_for_a_reason_and_records_it(client, receptionist, issue, training):
    ticket = issue(training)
    client.force_login(receptionist)
    url = reverse("reception:cancel-ticket", args=[ticket.pk])
    response = client.post(url, {"next": "/reception/today/"}, follow=True)
    assert "Choose why the ticket is cancelled." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING

    response = client.post(url, {"next": "/reception/today/", "reason": "mistake"}, follow=True)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CANCELLED
    event = ticket.events.get(kind=TicketEvent.Kind.CANCELLED)
    assert (event.reason, event.by) == ("mistake", receptionist)
    # The next page offers the undo, once.
    assert reverse("reception:undo-cancel", args=[ticket.pk]) in response.content.decode()
    assert reverse("reception:undo-cancel", args=[ticket.pk]) not in client.get("/reception/today/").content.decode()


def test_undo_puts_the_ticket_back_in_its_place_and_its_wait_keeps_running(client, receptionist, issue, training):
    first, second = issue(training), issue(training)
    client.force_login(receptionist)
    client.post(reverse("reception:cancel-ticket", args=[first.pk]), {"reason": "left"})
    response = client.post(reverse("reception:undo-cancel", args=[first.pk]), follow=True)
    assert f"{first.code} is waiting again, in its place." in response.content.decode()
    first.refresh_from_db()
    assert first.status == Ticket.Status.WAITING
    assert first.events.filter(kind=TicketEvent.Kind.REINSTATED).exists()
    from reception.selectors import position_of, waiting_tickets

    assert position_of(first) == 1 and position_of(second) == 2
    assert waiting_tickets(areas=[training]).get(pk=first.pk).waiting_since == first.arrived_at


def test_only_who_cancelled_may_undo_and_only_for_a_while(client, receptionist, issue, training):
    """Per object: another receptionist cannot take back my cancellation; nor can I after five minutes."""
    other = make_staff("theo@example.org", "Reception", first_name="Théo")
    ticket = issue(training)
    services.cancel(ticket=ticket, by=receptionist, reason="left")
    with pytest.raises(services.QueueError, match="Only the person who cancelled"):
        services.undo_cancel(ticket=ticket, by=other)
    client.force_login(other)
    response = client.post(reverse("reception:undo-cancel", args=[ticket.pk]), follow=True)
    assert "Only the person who cancelled" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CANCELLED

    TicketEvent.objects.filter(ticket=ticket, kind="cancelled").update(at=timezone.now() - timedelta(minutes=6))
    with pytest.raises(services.QueueError, match="more than 5 minutes ago"):
        services.undo_cancel(ticket=ticket, by=receptionist)


def test_moves_a_role_may_not_make_are_refused_on_the_ticket(client, counsellor, manager, issue, training, job):
    ticket = issue(training)
    with pytest.raises(services.QueueError):
        services.cancel(ticket=ticket, by=counsellor, reason="left")
    with pytest.raises(services.QueueError):
        services.cancel(ticket=ticket, by=manager, reason="left")  # managers supervise, reception cancels
    client.force_login(manager)
    assert client.post(reverse("reception:cancel-ticket", args=[ticket.pk]), {"reason": "left"}).status_code == 403
    client.post(reverse("reception:transfer-ticket", args=[ticket.pk]), {"area": job.pk})
    ticket.refresh_from_db()
    assert ticket.area == job  # a manager supervises the queue


def test_each_refused_move_says_why(client, receptionist, issue, training, job, desk, on_duty):
    ticket = issue(training)
    services.call_ticket(ticket=ticket, desk=desk, by=on_duty)
    services.start_serving(ticket=ticket, desk=desk, by=on_duty)
    client.force_login(receptionist)
    page = client.get(reverse("reception:ticket", args=[ticket.pk])).content.decode()
    assert "only its counsellor can end the session" in page
    assert "only its counsellor can refer it to another area" in page
    assert "only a waiting or called ticket can be cancelled" in page
    assert "Only a ticket of today still waiting can be reprinted." in page
    # And the server refuses the same moves with a message, never a 500.
    response = client.post(reverse("reception:transfer-ticket", args=[ticket.pk]), {"area": job.pk}, follow=True)
    assert "only its counsellor can refer it to another area" in response.content.decode()
    response = client.post(reverse("reception:cancel-ticket", args=[ticket.pk]), {"reason": "left"}, follow=True)
    assert "it can no longer be cancelled" in response.content.decode()


def test_todays_list_offers_reprint_and_the_tickets_page(client, receptionist, issue, training):
    ticket = issue(training)
    client.force_login(receptionist)
    page = client.get("/reception/today/").content.decode()
    assert reverse("reception:print-ticket", args=[ticket.pk]) in page
    assert "data-print-frame" in page
    assert reverse("reception:ticket", args=[ticket.pk]) in page


def test_the_printed_ticket_may_be_framed_by_cites_own_pages_only(client, receptionist, issue, training):
    client.force_login(receptionist)
    response = client.get(reverse("reception:print-ticket", args=[issue(training).pk]))
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in client.get("/reception/today/")["Content-Security-Policy"]
