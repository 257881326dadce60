"""Opening hours and closures edited from the planning page, with the planning's rules checked."""

import datetime

import pytest
from django.utils import translation

from counselling import planning, services
from counselling.models import Closure, OpeningHours
from tests.counselling.planning_helpers import FIVE_PM, NINE, T, institution, open_centre, plan
from tests.factories import make_area

pytestmark = pytest.mark.django_db
THURSDAY = 3


def fr(message):
    with translation.override("fr"):
        return translation.gettext(message)


def week_data(days=None):
    """The form's fields: Monday to Friday 9:00-17:00 unless `days` says otherwise (weekday: hours or None)."""
    data = {}
    for day in range(7):
        hours = (days or {}).get(day, ("09:00", "17:00") if day < 5 else None)
        if hours:
            data.update({f"open_{day}": "on", f"opens_{day}": hours[0], f"closes_{day}": hours[1]})
    return data


def test_the_back_office_changes_thursdays_hours_from_the_planning(client, back_office):
    open_centre()
    client.force_login(back_office)
    assert "/counselling/planning/opening-hours/" in client.get("/counselling/planning/").content.decode()
    response = client.post("/counselling/planning/opening-hours/", week_data({THURSDAY: ("13:00", "19:00")}))
    assert response.status_code == 302
    thursday = OpeningHours.objects.get(area=None, weekday=THURSDAY)
    assert (thursday.opens_at, thursday.closes_at) == (T(13), T(19))
    assert OpeningHours.objects.filter(area=None).count() == 5


def test_hours_that_would_leave_a_permanence_out_are_refused_and_say_which(client, back_office):
    open_centre()
    area = make_area("find-job")
    plan(institution=institution("France Travail"), area=area, weekday=THURSDAY, valid_from=datetime.date(2026, 1, 1))
    client.force_login(back_office)
    response = client.post("/counselling/planning/opening-hours/", week_data({THURSDAY: ("13:00", "19:00")}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "France Travail" in page and "09:00" in page
    assert 'value="13:00"' in page  # what was typed stays
    thursday = OpeningHours.objects.get(area=None, weekday=THURSDAY)
    assert (thursday.opens_at, thursday.closes_at) == (NINE, FIVE_PM)  # nothing changed


def test_an_area_gets_its_own_hours_then_follows_the_centre_again(client, back_office):
    open_centre()
    area = make_area("find-job")
    client.force_login(back_office)
    client.post(f"/counselling/planning/opening-hours/?area={area.pk}", {"follows_centre": "0", **week_data({4: None})})
    assert OpeningHours.objects.filter(area=area).count() == 4
    client.post(f"/counselling/planning/opening-hours/?area={area.pk}", {"follows_centre": "1"})
    assert not OpeningHours.objects.filter(area=area).exists()


def test_closing_before_opening_is_explained_not_a_500(client, back_office):
    client.force_login(back_office)
    response = client.post("/counselling/planning/opening-hours/", week_data({0: ("18:00", "09:00")}))
    assert response.status_code == 200
    assert fr("The closing time must come after the opening time.") in response.content.decode()
    assert not OpeningHours.objects.exists()
    with pytest.raises(services.PlanningError):
        services.set_opening_hours(week={0: None, 1: None})


def test_a_closure_is_added_by_date_range_and_says_which_permanence_dates_it_stops(client, back_office):
    open_centre()
    area = make_area("find-job")
    plan(institution=institution("France Travail"), area=area, weekday=THURSDAY, valid_from=datetime.date(2026, 1, 1))
    client.force_login(back_office)
    response = client.post(
        "/counselling/planning/closures/",
        {
            "starts_on": "2026-12-21",
            "ends_on": "2027-01-01",
            "kind": "exceptional",
            "reason_fr": "Fêtes de fin d'année",
        },
        follow=True,
    )
    closure = Closure.objects.get()
    assert (closure.starts_on, closure.ends_on, closure.area) == (
        datetime.date(2026, 12, 21),
        datetime.date(2027, 1, 1),
        None,
    )
    # Thursdays 24 and 31 December: the message counts them.
    assert len(planning.closure_occurrences(area=None, starts_on=closure.starts_on, ends_on=closure.ends_on)) == 2
    with translation.override("fr"):
        said = translation.ngettext(
            "Closure saved. %(count)d permanence date falls on it and will not be held.",
            "Closure saved. %(count)d permanence dates fall on it and will not be held.",
            2,
        ) % {"count": 2}
    assert said.replace("'", "&#x27;") in response.content.decode()


def test_a_closure_that_ends_before_it_starts_is_explained(client, back_office):
    client.force_login(back_office)
    response = client.post(
        "/counselling/planning/closures/",
        {"starts_on": "2026-12-21", "ends_on": "2026-12-01", "kind": "holiday", "reason_fr": "Erreur"},
    )
    assert response.status_code == 200
    assert fr("The last day cannot come before the first.") in response.content.decode()
    assert not Closure.objects.exists()


def test_a_closure_is_removed(client, back_office):
    day = datetime.date(2026, 5, 1)
    closure = Closure.objects.create(starts_on=day, ends_on=day, reason_fr="Fête du travail")
    client.force_login(back_office)
    client.post(f"/counselling/planning/closures/{closure.pk}/delete/")
    assert not Closure.objects.exists()
