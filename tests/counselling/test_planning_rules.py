"""What the planning refuses: overlaps, permanences outside opening hours; with a clear message."""

import datetime

import pytest
from django.utils import translation

from counselling import services
from counselling.models import OpeningHours, Permanence
from tests.counselling.planning_helpers import T, institution, open_centre, plan
from tests.factories import make_desk

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def centre(training, job):
    open_centre(opens=T(9), closes=T(17))


@pytest.fixture
def partners():
    return institution("France Travail"), institution("Mission Locale", kind="association")


def test_two_institutions_may_hold_an_area_together(centre, training, partners):
    plan(institution=partners[0], area=training, weekday=0, valid_from=D(2026, 1, 5))
    plan(institution=partners[1], area=training, weekday=0, valid_from=D(2026, 1, 5))
    assert Permanence.objects.count() == 2


def test_the_same_institution_twice_in_an_area_at_overlapping_times_is_refused(centre, training, partners):
    plan(institution=partners[0], area=training, weekday=0, valid_from=D(2026, 1, 5))
    with pytest.raises(
        services.PlanningError, match="France Travail already holds the permanence of monday 09:00–12:00"
    ):
        plan(institution=partners[0], area=training, weekday=0, starts=T(11), ends=T(13), valid_from=D(2026, 2, 2))
    # Back to back is fine.
    plan(institution=partners[0], area=training, weekday=0, starts=T(12), ends=T(13), valid_from=D(2026, 2, 2))


def test_a_desk_or_a_counsellor_in_two_places_is_refused(centre, training, job, partners, counsellor):
    desk = make_desk("3", training, job)
    plan(institution=partners[0], area=training, weekday=2, valid_from=D(2026, 1, 5), desk=desk, counsellor=counsellor)
    with pytest.raises(services.PlanningError, match="Desk 3 is already taken"):
        plan(
            institution=partners[1], area=job, weekday=2, starts=T(10), ends=T(11), valid_from=D(2026, 1, 5), desk=desk
        )
    with pytest.raises(services.PlanningError, match="Camille already holds"):
        plan(
            institution=partners[1],
            area=job,
            weekday=2,
            starts=T(10),
            ends=T(11),
            valid_from=D(2026, 1, 5),
            counsellor=counsellor,
        )


def test_fortnightly_permanences_on_alternate_weeks_do_not_meet(centre, training, partners):
    plan(institution=partners[0], area=training, weekday=3, valid_from=D(2026, 1, 5), frequency=2)
    plan(institution=partners[0], area=training, weekday=3, valid_from=D(2026, 1, 12), frequency=2)
    with pytest.raises(services.PlanningError):
        plan(institution=partners[0], area=training, weekday=3, valid_from=D(2026, 1, 19), frequency=1)


def test_periods_that_do_not_meet_do_not_conflict(centre, training, partners):
    january = plan(
        institution=partners[0], area=training, weekday=0, valid_from=D(2026, 1, 5), valid_until=D(2026, 1, 31)
    )
    from_february = plan(institution=partners[0], area=training, weekday=0, valid_from=D(2026, 2, 1))
    assert set(Permanence.objects.filter(institution=partners[0])) == {january, from_february}
    # The same hours one day into January's period do conflict: the periods are what keeps them apart.
    with pytest.raises(services.PlanningError, match="already holds"):
        plan(institution=partners[0], area=training, weekday=0, valid_from=D(2026, 1, 26), valid_until=D(2026, 1, 31))


def test_a_permanence_outside_opening_hours_is_refused(centre, training, partners):
    with pytest.raises(services.PlanningError, match="open from 09:00 to 17:00 on monday"):
        plan(institution=partners[0], area=training, weekday=0, starts=T(16), ends=T(18), valid_from=D(2026, 1, 5))
    with pytest.raises(services.PlanningError, match="closed on saturday"):
        plan(institution=partners[0], area=training, weekday=5, valid_from=D(2026, 1, 5))
    # An area with hours of its own opens only then.
    OpeningHours.objects.create(area=training, weekday=1, opens_at=T(13, 30), closes_at=T(17))
    with pytest.raises(services.PlanningError, match="open from 13:30 to 17:00 on tuesday"):
        plan(institution=partners[0], area=training, weekday=1, valid_from=D(2026, 1, 5))
    with pytest.raises(services.PlanningError, match="closed on wednesday"):
        plan(institution=partners[0], area=training, weekday=2, starts=T(14), ends=T(16), valid_from=D(2026, 1, 5))
    assert not Permanence.objects.exists()


def test_a_moved_occurrence_must_land_inside_hours_and_free_of_conflicts(centre, training, partners):
    monday = plan(institution=partners[0], area=training, weekday=0, valid_from=D(2026, 1, 5))
    plan(institution=partners[0], area=training, weekday=1, valid_from=D(2026, 1, 5))
    with pytest.raises(services.PlanningError, match="already holds"):
        services.move_occurrence(permanence=monday, date=D(2026, 1, 12), new_date=D(2026, 1, 13))
    with pytest.raises(services.PlanningError, match="closed on 17/01/2026"):
        services.move_occurrence(permanence=monday, date=D(2026, 1, 12), new_date=D(2026, 1, 17))
    services.move_occurrence(permanence=monday, date=D(2026, 1, 12), new_date=D(2026, 1, 14))


def test_the_form_shows_the_refusal_in_the_users_language_and_keeps_what_was_typed(
    client, back_office, centre, training, partners
):
    plan(institution=partners[0], area=training, weekday=0, valid_from=D(2026, 1, 5))
    client.force_login(back_office)
    data = {
        "institution": partners[0].pk,
        "area": training.pk,
        "weekday": 0,
        "starts_at": "10:00",
        "ends_at": "11:30",
        "frequency": 1,
        "valid_from": "2026-01-12",
    }
    response = client.post("/counselling/planning/new/", data, HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()
    assert response.status_code == 200
    assert "France Travail assure déjà la permanence de lundi 09:00–12:00 dans ce pôle." in page
    assert 'value="11:30"' in page and 'value="2026-01-12"' in page
    assert Permanence.objects.count() == 1

    data["starts_at"], data["ends_at"] = "13:00", "16:00"
    response = client.post("/counselling/planning/new/", data)
    assert response.status_code == 302
    assert Permanence.objects.count() == 2
