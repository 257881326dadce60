"""Fixtures of reception: areas, desks, staff on duty, and a ticket factory through the real service."""

import pytest

from reception import services
from tests.factories import make_areas, make_desk


@pytest.fixture
def areas(db):
    return make_areas("find-training", "find-job")


@pytest.fixture
def training(areas):
    return areas["find-training"]


@pytest.fixture
def job(areas):
    return areas["find-job"]


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
