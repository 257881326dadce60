"""The week grid, the occurrence page, the public "when to come" page and its calendar feed."""

import datetime

import pytest
from icalendar import Calendar

from counselling.models import Closure, PermanenceException
from tests.counselling.planning_helpers import T, frozen, institution, local, open_centre, plan
from tests.factories import make_desk

pytestmark = pytest.mark.django_db

D = datetime.date
NOW = local(2026, 3, 10, 10, 30)  # a Tuesday
WEEK = "2026-03-09"


@pytest.fixture
def planned(training, job, counsellor):
    open_centre()
    Closure.objects.create(starts_on=D(2026, 3, 13), ends_on=D(2026, 3, 13), reason_fr="Pont", reason_en="Bridge day")
    desk = make_desk("3", training, job)
    france_travail = institution("France Travail")
    weekly = plan(
        institution=france_travail, area=training, weekday=1, valid_from=D(2026, 1, 6), desk=desk, counsellor=counsellor
    )
    plan(
        institution=institution("CIO", kind="guidance"),
        area=job,
        weekday=3,
        starts=T(14),
        ends=T(17),
        valid_from=D(2026, 3, 9),
        frequency=2,
    )
    return weekly


def many_more(training, job, count=12):
    for number in range(count):
        plan(
            institution=institution(f"Partner {number}"),
            area=training if number % 2 else job,
            weekday=number % 5,
            starts=T(9 + number % 6),
            ends=T(10 + number % 6),
            valid_from=D(2026, 1, 5),
            frequency=1 + number % 2,
        )


def test_the_week_grid_shows_each_area_and_day_with_a_fixed_number_of_queries(
    client, back_office, planned, training, job, django_assert_max_num_queries
):
    client.force_login(back_office)
    with frozen(NOW), django_assert_max_num_queries(15) as few:
        page = client.get(f"/counselling/planning/?week={WEEK}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "France Travail" in page and "Camille" in page and "Desk 3" in page
    assert "every other week" in page
    assert "Closed — Pont" in page or "Closed — Bridge day" in page
    many_more(training, job)
    with frozen(NOW), django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(f"/counselling/planning/?week={WEEK}").content.decode()
    assert "Partner 10" in page


def test_cancelling_one_date_from_the_grid(client, back_office, planned):
    client.force_login(back_office)
    url = f"/counselling/planning/{planned.pk}/2026-03-10/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "cancel", "reason": "Formation"})
    assert response.status_code == 302 and response["Location"].endswith(f"?week={WEEK}")
    change = PermanenceException.objects.get()
    assert (change.kind, change.date, change.reason) == ("cancelled", D(2026, 3, 10), "Formation")
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "cancelled" in page
    # A date the permanence never falls on has no page.
    assert client.get(f"/counselling/planning/{planned.pk}/2026-03-11/").status_code == 404
    assert client.get(f"/counselling/planning/{planned.pk}/not-a-date/").status_code == 404


def test_moving_into_a_closed_day_is_refused_with_the_reason(client, back_office, planned):
    client.force_login(back_office)
    response = client.post(
        f"/counselling/planning/{planned.pk}/2026-03-10/",
        {"action": "move", "new_date": "2026-03-13"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "is closed on 13/03/2026" in response.content.decode()
    assert 'value="2026-03-13"' in response.content.decode()
    assert not PermanenceException.objects.exists()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ["Quand venir", "Horaires d’ouverture", "mardi 10 mars"]),
        ("en", ["When to come", "Opening hours", "Tuesday 10 March"]),
    ],
)
def test_the_public_page_shows_the_week_in_both_languages_without_names(
    client, planned, training, job, language, words, django_assert_max_num_queries
):
    with frozen(NOW), django_assert_max_num_queries(10) as few:
        page = client.get(f"/counselling/when-to-come/?week={WEEK}", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for word in words:
        assert word in page
    assert "France Travail" in page and "09:00–12:00" in page
    assert "Camille" not in page and "camille@" not in page  # never a counsellor's name
    assert "Bridge day" in page if language == "en" else "Pont" in page
    many_more(training, job)
    with frozen(NOW), django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(f"/counselling/when-to-come/?week={WEEK}", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "Partner 10" in page


def test_the_calendar_feed_lists_occurrences_with_stable_uids_and_the_time_zone(client, planned):
    with frozen(NOW):
        PermanenceException.objects.create(permanence=planned, kind="cancelled", date=D(2026, 3, 17))
        response = client.get("/counselling/when-to-come/permanences.ics", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"
    assert str(calendar["PRODID"]).endswith("//cite planning//EN")
    assert calendar.decoded("REFRESH-INTERVAL") == datetime.timedelta(hours=6)  # the feed changes weekly
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    tuesday = events[f"permanence-{planned.uid}-20260310@counselling.cite"]
    assert tuesday.decoded("DTSTART") == local(2026, 3, 10, 9)
    assert str(tuesday["SUMMARY"]) == "France Travail — Find training"
    assert str(events[f"permanence-{planned.uid}-20260317@counselling.cite"]["STATUS"]) == "CANCELLED"
    # 9:00 local after the change to summer time on 29 March.
    assert events[f"permanence-{planned.uid}-20260331@counselling.cite"].decoded(
        "DTSTART"
    ).utcoffset() == datetime.timedelta(hours=2)
    assert b"Camille" not in response.content
