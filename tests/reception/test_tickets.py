"""Ticket numbering: per area and per local day, never twice the same code, even all at once."""

import datetime
import threading
import zoneinfo

import pytest
from django.db import connection, connections
from django.utils import timezone

from reception import services
from reception.models import Ticket, TicketEvent


def test_tickets_are_numbered_per_area(issue, training, job):
    codes = [issue(training).code, issue(training).code, issue(job).code, issue(training).code]
    assert codes == ["B-001", "B-002", "C-001", "B-003"]


def test_issuing_records_the_arrival_and_the_anonymous_profile(issue, training, receptionist):
    from reception.models import AgeBand

    band = AgeBand.objects.create(code="18-25", label_fr="18 à 25 ans", label_en="18 to 25")
    ticket = issue(training, age_band=band, first_visit=True)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.WAITING
    assert (ticket.age_band, ticket.first_visit, ticket.issued_by) == (band, True, receptionist)
    event = ticket.events.get()
    assert (event.kind, event.to_status, event.by) == (TicketEvent.Kind.ISSUED, "waiting", receptionist)


def test_numbers_restart_each_day_in_the_centres_time_zone(issue, training, settings, monkeypatch):
    settings.TIME_ZONE = "Europe/Paris"
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    evening = datetime.datetime(2026, 3, 10, 23, 30, tzinfo=paris)  # 22:30 UTC, still the 10th in Paris
    after_midnight = datetime.datetime(2026, 3, 11, 0, 10, tzinfo=paris)  # 23:10 UTC on the 10th
    with timezone.override(paris):
        monkeypatch.setattr(timezone, "now", lambda: evening)
        first, second = issue(training), issue(training)
        monkeypatch.setattr(timezone, "now", lambda: after_midnight)
        next_day = issue(training)
    assert (first.day, first.code, second.code) == (datetime.date(2026, 3, 10), "B-001", "B-002")
    assert (next_day.day, next_day.code) == (datetime.date(2026, 3, 11), "B-001")


def test_a_closed_area_gives_no_ticket(issue, training):
    training.is_active = False
    training.save()
    with pytest.raises(services.QueueError, match="est fermé"):
        issue(training)
    assert not Ticket.objects.exists()


def test_the_database_refuses_two_tickets_with_the_same_number(issue, training):
    from django.db import IntegrityError

    ticket = issue(training)
    with pytest.raises(IntegrityError):
        Ticket.objects.create(
            day=ticket.day, issued_area=training, area=training, number=1, code="B-001", arrived_at=timezone.now()
        )


def test_issuing_a_ticket_takes_a_fixed_number_of_queries(issue, training, django_assert_num_queries):
    issue(training)
    # counter upsert, ticket, event, the queue's version, and the savepoint around them
    with django_assert_num_queries(6):
        issue(training)
    for _ in range(50):
        issue(training)
    with django_assert_num_queries(6):
        issue(training)


@pytest.mark.slow  # twelve threads, each with its own connection
@pytest.mark.django_db(transaction=True)
def test_twelve_receptionists_issuing_at_the_same_instant_never_share_a_code(areas):
    training = areas["find-training"]
    barrier = threading.Barrier(12)
    codes, errors = [], []

    def receptionist():
        try:
            barrier.wait()
            for _ in range(5):
                codes.append(services.issue_ticket(area=training, issued_by=None).code)
        except Exception as error:  # reported below: a thread must not swallow a failure
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=receptionist) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(codes) == [f"B-{n:03d}" for n in range(1, 61)]
    assert Ticket.objects.count() == 60
    connection.close()
