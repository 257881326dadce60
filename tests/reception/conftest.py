"""Fixtures of reception: areas, desks, staff on duty, and a ticket factory through the real service."""

import pytest

from cite.models import Area
from reception import services
from reception.models import Desk


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


def make_desk(name, *areas):
    desk = Desk.objects.create(name=name)
    desk.areas.set(areas)
    return desk


@pytest.fixture
def desk(training, job):
    return make_desk("3", training, job)


@pytest.fixture
def on_duty(counsellor, desk):
    """The counsellor persona, on duty at desk 3 (areas B and C)."""
    services.start_duty(user=counsellor, desk=desk)
    return counsellor


@pytest.fixture
def issue(receptionist):
    def issue(area, **profile):
        return services.issue_ticket(area=area, profile=profile, issued_by=receptionist)

    return issue
