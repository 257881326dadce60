"""Fixtures of the statistics: areas, profile items, and visits written with exact times.

Visits are written directly (not through reception's services) because the figures are about
past days, with times chosen to the second; `day` is the local date of arrival, as reception sets it.
"""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings

from cite.models import Area
from reception.models import AgeBand, Desk, Ticket

PARIS = ZoneInfo("Europe/Paris")
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


def local(day, hour, minute=0, second=0):
    """An aware datetime at a local time of the centre."""
    return datetime.datetime.combine(day, datetime.time(hour, minute, second), PARIS)


@pytest.fixture
def visit(desk):
    """visit(area, arrived=local datetime, wait=minutes to the call, session=minutes, status=…, **profile)."""

    def visit(area, arrived, *, wait=None, session=None, status=None, walk_in=False, **profile):
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
        return Ticket.objects.create(
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

    return visit
