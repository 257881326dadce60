"""Fixtures of the statistics: areas, profile items, and visits written with exact times.

Visits are written directly (not through reception's services) because the figures are about
past days, with times chosen to the second; `day` is the local date of arrival, as reception sets it.
Each visit gets the events and the session the services would have written: waits are read from
the events, session times from the sessions.
"""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings

from cite.models import Area
from counselling.models import Session
from reception.models import AgeBand, Desk, Ticket, TicketEvent

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _stats_installed():
    # stats has models: until it is listed in INSTALLED_APPS, its tables do not exist.
    if not apps.is_installed("stats"):
        pytest.skip("stats is not in INSTALLED_APPS yet")


@pytest.fixture(autouse=True)
def _centre_time_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"


@pytest.fixture
def areas(db):
    return {
        code: Area.objects.create(code=code, letter=letter, name_fr=fr, name_en=en, order=index)
        for index, (code, letter, fr, en) in enumerate(
            [
                ("find-training", "B", "Trouver une formation", "Find training"),
                ("find-job", "C", "Trouver un emploi", "Find a job"),
            ]
        )
    }


@pytest.fixture
def training(areas):
    return areas["find-training"]


@pytest.fixture
def job(areas):
    return areas["find-job"]


@pytest.fixture
def ages(db):
    return {
        code: AgeBand.objects.create(code=code, label_fr=fr, label_en=en, order=index)
        for index, (code, fr, en) in enumerate(
            [("18-25", "18 à 25 ans", "18 to 25"), ("26-35", "26 à 35 ans", "26 to 35")]
        )
    }


@pytest.fixture
def desk(db, training, job):
    desk = Desk.objects.create(name="3")
    desk.areas.set([training, job])
    return desk


def record_events(ticket, *, by=None):
    """The events reception's services write for `ticket`'s times and status (one stint in one queue)."""
    TicketEvent.objects.bulk_create(events_of(ticket, by=by))


def events_of(ticket, *, by=None):
    Kind, Status = TicketEvent.Kind, Ticket.Status
    events = [(Kind.ISSUED, ticket.arrived_at, "", Status.WAITING)]
    if ticket.walk_in:
        events.append((Kind.STARTED, ticket.started_at, Status.WAITING, Status.SERVING))
    elif ticket.called_at:
        events.append((Kind.CALLED, ticket.called_at, Status.WAITING, Status.CALLED))
        if ticket.started_at:
            events.append((Kind.STARTED, ticket.started_at, Status.CALLED, Status.SERVING))
    if ticket.status == Status.DONE:
        events.append((Kind.FINISHED, ticket.finished_at, Status.SERVING, Status.DONE))
    elif ticket.status == Status.NO_SHOW:
        events.append((Kind.NO_SHOW, ticket.finished_at, Status.CALLED, Status.NO_SHOW))
    elif ticket.status == Status.CANCELLED:
        events.append(
            (Kind.CANCELLED, ticket.arrived_at + datetime.timedelta(minutes=20), Status.WAITING, Status.CANCELLED)
        )
    return [
        TicketEvent(
            ticket=ticket,
            kind=kind,
            at=at,
            from_status=before,
            to_status=after,
            to_area=ticket.area if kind == Kind.ISSUED else None,
            desk=ticket.desk if kind != Kind.ISSUED else None,
            by=by,
        )
        for kind, at, before, after in events
    ]


@pytest.fixture
def visit(desk, counsellor):
    """visit(area, arrived=local datetime, wait=minutes to the call, session=minutes, status=…, **profile):
    a ticket, its events, and its session when it was served. visit.many([(args, kwargs), …]) writes
    many visits in three queries (the screenshots' busy months: 600 visits)."""

    def unsaved(area, arrived, *, wait=None, session=None, status=None, walk_in=False, **profile):
        called = arrived + datetime.timedelta(minutes=wait) if wait is not None else None
        if walk_in:
            called = arrived
        started = called + datetime.timedelta(seconds=30) if called is not None and session is not None else None
        finished = started + datetime.timedelta(minutes=session) if started is not None else None
        if status is None:
            status = Ticket.Status.DONE if finished else Ticket.Status.CALLED if called else Ticket.Status.WAITING
        if status == Ticket.Status.NO_SHOW:
            finished = called + datetime.timedelta(minutes=3)
        number = next(_numbers)
        return Ticket(
            day=arrived.astimezone(ZoneInfo(settings.TIME_ZONE)).date(),
            issued_area=area,
            area=area,
            number=number,
            code=f"{area.letter}-{number:03d}",
            status=status,
            arrived_at=arrived,
            called_at=called,
            started_at=started,
            finished_at=finished,
            desk=desk if status not in (Ticket.Status.WAITING, Ticket.Status.CANCELLED) else None,
            walk_in=walk_in,
            **profile,
        )

    def session_of(ticket):
        if ticket.status == Ticket.Status.DONE and ticket.started_at is not None:
            return Session(
                ticket=ticket,
                counsellor=counsellor,
                area=ticket.area,
                desk=desk,
                started_at=ticket.started_at,
                ended_at=ticket.finished_at,
            )
        return None

    def visit(area, arrived, **options):
        ticket = unsaved(area, arrived, **options)
        ticket.save()
        record_events(ticket, by=counsellor)
        if session := session_of(ticket):
            session.save()
        return ticket

    def many(visits):
        tickets = Ticket.objects.bulk_create([unsaved(*args, **options) for args, options in visits])
        TicketEvent.objects.bulk_create([event for ticket in tickets for event in events_of(ticket, by=counsellor)])
        Session.objects.bulk_create([session for ticket in tickets if (session := session_of(ticket))])
        return tickets

    visit.many = many
    return visit


@pytest.fixture
def referral(desk, counsellor):
    """referral(first area, second area, arrived, waits=(minutes, minutes), sessions=(minutes, minutes)):
    a visitor who waits in the first area, has a session there, is referred to the second area (the
    ticket keeps its arrival, its call and start times are reset), waits again and has a second session;
    its events and its two sessions as the services write them."""

    def referral(first, second, arrived, *, waits, sessions, **profile):
        Kind, Status = TicketEvent.Kind, Ticket.Status
        minute = datetime.timedelta(minutes=1)
        called = arrived + waits[0] * minute
        started = called + datetime.timedelta(seconds=30)
        referred = started + sessions[0] * minute
        called_again = referred + waits[1] * minute
        started_again = called_again + datetime.timedelta(seconds=30)
        finished = started_again + sessions[1] * minute
        number = next(_numbers)
        ticket = Ticket.objects.create(
            day=arrived.astimezone(ZoneInfo(settings.TIME_ZONE)).date(),
            issued_area=first,
            area=second,
            number=number,
            code=f"{first.letter}-{number:03d}",
            status=Status.DONE,
            arrived_at=arrived,
            called_at=called_again,
            started_at=started_again,
            finished_at=finished,
            desk=desk,
            call_count=2,
            **profile,
        )
        rows = [
            (Kind.ISSUED, arrived, "", Status.WAITING, None, first),
            (Kind.CALLED, called, Status.WAITING, Status.CALLED, None, None),
            (Kind.STARTED, started, Status.CALLED, Status.SERVING, None, None),
            (Kind.TRANSFERRED, referred, Status.SERVING, Status.WAITING, first, second),
            (Kind.CALLED, called_again, Status.WAITING, Status.CALLED, None, None),
            (Kind.STARTED, started_again, Status.CALLED, Status.SERVING, None, None),
            (Kind.FINISHED, finished, Status.SERVING, Status.DONE, None, None),
        ]
        TicketEvent.objects.bulk_create(
            TicketEvent(
                ticket=ticket,
                kind=kind,
                at=at,
                from_status=before,
                to_status=after,
                from_area=from_area,
                to_area=to_area,
                desk=None if kind == Kind.ISSUED else desk,
                by=counsellor,
            )
            for kind, at, before, after, from_area, to_area in rows
        )
        for area, start, end in [(first, started, referred), (second, started_again, finished)]:
            Session.objects.create(
                ticket=ticket, counsellor=counsellor, area=area, desk=desk, started_at=start, ended_at=end
            )
        return ticket

    return referral
