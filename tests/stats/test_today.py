"""Reception's panel of the day: arrivals so far, waiting now, longest wait, who is on duty."""

import datetime

import pytest
from django.utils import timezone

from reception import services
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


def test_the_panel_counts_the_day_so_far(client, receptionist, training, job, desk, counsellor):
    first = services.issue_ticket(area=training, issued_by=receptionist)
    services.issue_ticket(area=training, issued_by=receptionist)
    services.issue_ticket(area=job, issued_by=receptionist)
    services.start_duty(user=counsellor, desk=desk)
    called = services.call_next(desk=desk, by=counsellor)
    assert called == first
    services.start_serving(ticket=called, desk=desk, by=counsellor)
    services.finish(ticket=called, desk=desk, by=counsellor)
    # The oldest visitor still waiting arrived 25 minutes ago.
    waiting = training.tickets.filter(status="waiting").get()
    waiting.arrived_at = timezone.now() - datetime.timedelta(minutes=25)
    waiting.save()
    waiting.events.update(at=waiting.arrived_at)

    client.force_login(receptionist)
    response = client.get("/statistics/today/")
    assert response.status_code == 200
    panel = response.context["panel"]
    assert (panel.arrivals, panel.waiting, panel.served) == (3, 2, 1)
    assert 25 <= panel.longest_wait.total_seconds() / 60 < 26
    assert panel.on_duty == [("Camille", "3")]
    page = response.content.decode()
    assert "Arrivées depuis l’ouverture" in page and "25 min" in page and "Camille" in page
    assert 'hx-trigger="every 30s"' in page


def test_the_panel_refreshes_itself_as_a_fragment(client, manager, training):
    client.force_login(manager)
    response = client.get("/statistics/today/", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and "Personne n’est au guichet." in page


def test_counsellors_figures_are_not_on_the_panel_and_an_outsider_is_refused(client, training):
    client.force_login(make_staff("someone@example.org"))
    assert client.get("/statistics/today/").status_code == 403


def test_a_referred_visitor_s_wait_runs_from_the_referral_not_from_their_arrival(
    client, receptionist, training, job, desk, counsellor
):
    services.start_duty(user=counsellor, desk=desk)
    ticket = services.issue_ticket(area=training, issued_by=receptionist)
    services.call_next(desk=desk, by=counsellor)
    services.start_serving(ticket=ticket, desk=desk, by=counsellor)
    services.transfer(ticket=ticket, area=job, desk=desk, by=counsellor)  # referred after a session
    ago = timezone.now() - datetime.timedelta(minutes=50)
    ticket.events.exclude(kind="transferred").update(at=ago)  # arrived 50 minutes ago
    ticket.events.filter(kind="transferred").update(at=timezone.now() - datetime.timedelta(minutes=10))
    type(ticket).objects.filter(pk=ticket.pk).update(arrived_at=ago)

    client.force_login(receptionist)
    panel = client.get("/statistics/today/").context["panel"]
    assert 10 <= panel.longest_wait.total_seconds() / 60 < 11  # the second wait, not 50 minutes
    job_queue = next(queue for queue in panel.areas if queue.area == job)
    assert 10 <= job_queue.longest_wait.total_seconds() / 60 < 11
