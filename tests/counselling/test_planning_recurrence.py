"""Occurrences of permanences: every week, every other week, exceptions, closures, across DST."""

import datetime

import pytest

from counselling import planning, services
from counselling.models import Closure
from tests.counselling.planning_helpers import T, institution, open_centre, plan

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC


@pytest.fixture
def france_travail():
    return institution("France Travail")


def dates(found, held_only=True):
    return [o.date for o in found if o.held or not held_only]


def test_a_weekly_permanence_keeps_nine_o_clock_across_the_spring_change(training, france_travail):
    # Europe/Paris moves from UTC+1 to UTC+2 on Sunday 29 March 2026.
    monday = plan(institution=france_travail, area=training, weekday=0, valid_from=D(2026, 3, 16))
    found = planning.occurrences(
        planning.active_between(D(2026, 3, 16), D(2026, 4, 12)), D(2026, 3, 16), D(2026, 4, 12)
    )
    assert dates(found) == [D(2026, 3, 16), D(2026, 3, 23), D(2026, 3, 30), D(2026, 4, 6)]
    assert all(o.starts_at == T(9) and o.permanence == monday for o in found)
    assert found[1].start.astimezone(UTC).hour == 8  # 9:00 in winter time
    assert found[2].start.astimezone(UTC).hour == 7  # 9:00 in summer time
    assert all(o.hours == 3 for o in found)


def test_every_other_week_counts_from_the_week_of_valid_from_across_the_autumn_change(training, france_travail):
    # valid_from is a Wednesday: the weeks of 19 Oct, 2 Nov, 16 Nov… hold it; 25 October 2026 is the change.
    fortnightly = plan(
        institution=france_travail,
        area=training,
        weekday=4,
        valid_from=D(2026, 10, 21),
        frequency=2,
        starts=T(14),
        ends=T(16),
    )
    found = planning.occurrences([fortnightly], D(2026, 10, 1), D(2026, 11, 30))
    assert dates(found) == [D(2026, 10, 23), D(2026, 11, 6), D(2026, 11, 20)]
    assert [o.start.astimezone(UTC).hour for o in found] == [12, 13, 13]  # always 14:00 local


def test_exceptions_cancel_move_and_add_occurrences(training, france_travail):
    weekly = plan(institution=france_travail, area=training, weekday=1, valid_from=D(2026, 3, 3))
    services.cancel_occurrence(permanence=weekly, date=D(2026, 3, 10), reason="Formation interne")
    services.move_occurrence(
        permanence=weekly, date=D(2026, 3, 17), new_date=D(2026, 3, 19), starts_at=T(13), ends_at=T(16)
    )
    services.add_occurrence(permanence=weekly, date=D(2026, 3, 27))
    weekly.refresh_from_db()

    found = planning.occurrences(planning.active_between(D(2026, 3, 1), D(2026, 3, 31)), D(2026, 3, 1), D(2026, 3, 31))
    held = [(o.date, o.starts_at, o.ends_at, o.kind) for o in found if o.held]
    assert held == [
        (D(2026, 3, 3), T(9), T(12), "regular"),
        (D(2026, 3, 19), T(13), T(16), "moved"),
        (D(2026, 3, 24), T(9), T(12), "regular"),
        (D(2026, 3, 27), T(9), T(12), "added"),
        (D(2026, 3, 31), T(9), T(12), "regular"),
    ]
    shown = {o.date: o for o in found if not o.held}
    assert shown[D(2026, 3, 10)].cancelled
    assert shown[D(2026, 3, 17)].moved_away
    # The moved occurrence keeps the UID of its usual date: calendar apps update it in place.
    moved = next(o for o in found if o.kind == "moved" and o.held)
    assert moved.uid.endswith("-20260317@counselling.cite")

    services.restore_occurrence(permanence=weekly, date=D(2026, 3, 10))
    again = planning.occurrences(
        planning.active_between(D(2026, 3, 10), D(2026, 3, 10)), D(2026, 3, 10), D(2026, 3, 10)
    )
    assert [o.held for o in again] == [True]


def test_a_date_that_is_not_one_of_the_permanence_cannot_be_cancelled(training, france_travail):
    weekly = plan(institution=france_travail, area=training, weekday=1, valid_from=D(2026, 3, 3))
    with pytest.raises(services.PlanningError, match="n’a pas lieu le 04/03/2026"):
        services.cancel_occurrence(permanence=weekly, date=D(2026, 3, 4))


def test_closures_and_validity_end_stop_occurrences(training, france_travail):
    open_centre()
    weekly = plan(
        institution=france_travail, area=training, weekday=0, valid_from=D(2026, 4, 1), valid_until=D(2026, 4, 30)
    )
    Closure.objects.create(starts_on=D(2026, 4, 6), ends_on=D(2026, 4, 6), reason_fr="Lundi de Pâques")
    schedule = planning.Schedule(D(2026, 4, 1), D(2026, 5, 31))
    found = planning.occurrences([weekly], D(2026, 4, 1), D(2026, 5, 31), schedule=schedule)
    assert dates(found) == [D(2026, 4, 13), D(2026, 4, 20), D(2026, 4, 27)]
    assert found[0].date == D(2026, 4, 6) and found[0].closure.reason == "Lundi de Pâques"
