"""Today at reception: who is expected in each area, "nobody expected" before a ticket is issued,
and the warning when the wait runs past closing time, on the page and on the printed ticket."""

import datetime

import pytest
from django.utils import translation

from counselling import services
from counselling.models import Closure, OpeningHours
from reception import selectors
from reception import services as queue
from reception.models import Ticket
from tests.counselling.planning_helpers import T, frozen, institution, local, open_centre, plan

pytestmark = pytest.mark.django_db

D = datetime.date
# Tuesday 10 March 2026 at 10:30 in the centre's time zone.
NOW = local(2026, 3, 10, 10, 30)


@pytest.fixture
def planned(training, job):
    """The centre opens 9:00-17:00 on weekdays; France Travail holds training on Tuesdays 9-12,
    the CIO on Tuesday afternoons, Mission Locale on Tuesdays 14-16 but not on 10 March."""
    open_centre()
    france_travail, cio, mission_locale = (
        institution("France Travail"),
        institution("CIO Val-de-Seine", kind="guidance"),
        institution("Mission Locale", kind="association"),
    )
    plan(institution=france_travail, area=training, weekday=1, valid_from=D(2026, 1, 6))
    plan(institution=cio, area=training, weekday=1, starts=T(14), ends=T(17), valid_from=D(2026, 1, 6))
    ml = plan(institution=mission_locale, area=training, weekday=1, starts=T(14), ends=T(16), valid_from=D(2026, 1, 6))
    services.cancel_occurrence(permanence=ml, date=D(2026, 3, 10))
    return france_travail, cio, mission_locale


def test_reception_knows_who_staffs_each_area_now_and_later_today(planned, training, job):
    plans = selectors.area_plans([training, job], now=NOW)
    assert [p.institution for p in plans[training.pk].now] == ["France Travail"]
    assert [p.institution for p in plans[training.pk].later] == ["CIO Val-de-Seine"]  # Mission Locale cancelled
    assert plans[training.pk].closes_at == local(2026, 3, 10, 17, 0)
    assert plans[job.pk].nobody_expected


def test_the_front_desk_page_shows_today_and_flags_an_area_with_nobody_expected(client, receptionist, planned, job):
    client.force_login(receptionist)
    with frozen(NOW), translation.override("en"):
        page = client.get("/reception/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Expected today" in page
    assert "France Travail" in page and "CIO Val-de-Seine" in page
    assert "Mission Locale" not in page
    assert "nobody expected today" in page


def test_a_ticket_for_an_area_with_nobody_expected_needs_a_confirmation(client, receptionist, planned, job):
    client.force_login(receptionist)
    with frozen(NOW):
        response = client.post("/reception/", {"area": job.pk, "age_band": ""}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert not Ticket.objects.exists()
        assert "Nobody is on duty or expected at" in response.content.decode()
        assert f'name="confirm_area" value="{job.pk}"' in response.content.decode()

        response = client.post("/reception/", {"area": job.pk, "confirm_area": job.pk})
    assert response.status_code == 302
    assert Ticket.objects.get().area == job


def test_an_area_staffed_today_issues_at_once(client, receptionist, planned, training):
    client.force_login(receptionist)
    with frozen(NOW):
        response = client.post("/reception/", {"area": training.pk})
    assert response.status_code == 302
    assert Ticket.objects.get().area == training


def test_closed_days_are_said_at_the_front_desk(planned, training):
    Closure.objects.create(starts_on=D(2026, 3, 10), ends_on=D(2026, 3, 10), reason_fr="Fermeture exceptionnelle")
    plan_of_day = selectors.area_plans([training], now=NOW)[training.pk]
    assert plan_of_day.closes_at is None and plan_of_day.nobody_expected
    assert plan_of_day.closure == "Fermeture exceptionnelle"


@pytest.fixture
def long_queue(settings, planned, training, desk, on_duty, issue):
    """Sessions of 3 hours, one desk, busy: a new ticket waits (ceil(1/1) - 1/2) x 3 h = 1 h 30."""
    settings.RECEPTION_DEFAULT_SERVICE_MINUTES = 180
    with frozen(local(2026, 3, 10, 15, 0)):
        issue(training)
        queue.call_next(desk=desk, by=on_duty)
    return training


def test_reception_is_warned_when_the_wait_runs_past_closing_and_the_ticket_says_so(client, receptionist, long_queue):
    client.force_login(receptionist)
    with frozen(local(2026, 3, 10, 15, 0)):  # 15:00 + 1 h 30 < 17:00: no warning
        assert "may not be seen today" not in client.get("/reception/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with frozen(local(2026, 3, 10, 15, 45)):  # 15:45 + 1 h 30 > 17:00
        page = client.get("/reception/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "closes at 17:00: may not be seen today" in page
        response = client.post("/reception/", {"area": long_queue.pk}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
        assert "The visitor may not be seen today" in response.content.decode()
        ticket = Ticket.objects.filter(status=Ticket.Status.WAITING).get()
        printed = client.get(f"/reception/tickets/{ticket.pk}/print/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You may not be seen today" in printed


def test_an_area_with_nobody_planned_but_a_counsellor_at_a_desk_issues_at_once(
    client, receptionist, planned, job, desk, on_duty
):
    """Desk 3 serves the job area and Camille is on duty there: she will call the ticket, whatever
    the planning says."""
    client.force_login(receptionist)
    with frozen(NOW):
        response = client.post("/reception/", {"area": job.pk})
    assert response.status_code == 302
    assert Ticket.objects.get().area == job


def test_an_area_with_nobody_on_duty_yet_but_expected_later_issues_at_once(client, receptionist, planned, training):
    client.force_login(receptionist)
    with frozen(local(2026, 3, 10, 12, 30)):  # France Travail has left, the CIO comes at 14:00
        assert selectors.area_plans([training])[training.pk].later
        response = client.post("/reception/", {"area": training.pk})
    assert response.status_code == 302


def test_a_ticket_issued_anyway_tells_the_visitor_on_paper_and_on_the_phone_in_their_language(
    client, receptionist, planned, job
):
    client.force_login(receptionist)
    with frozen(NOW):
        client.post("/reception/", {"area": job.pk, "confirm_area": job.pk})
        ticket = Ticket.objects.get()
        printed = client.get(f"/reception/tickets/{ticket.pk}/print/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        client.logout()
        english = client.get(ticket.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        french = client.get(ticket.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "ne pas être reçu aujourd’hui" in printed
    assert "You may not be seen today" in english
    assert "ne pas être reçu aujourd’hui" in french


def test_issuing_a_ticket_keeps_a_fixed_number_of_queries(
    client, receptionist, planned, training, django_assert_max_num_queries
):
    client.force_login(receptionist)
    with frozen(NOW):
        client.post("/reception/", {"area": training.pk})
        # Nobody on duty for the area: the planning is asked (four queries), never the live queue.
        with django_assert_max_num_queries(15) as few:
            client.post("/reception/", {"area": training.pk})
        for weekday in range(5):  # many more permanences and areas' own hours: not one query more
            OpeningHours.objects.create(area=training, weekday=weekday, opens_at=T(9), closes_at=T(17))
        for number in range(20):
            plan(
                institution=institution(f"Partner {number}"),
                area=training,
                weekday=number % 5,
                starts=T(9 + number % 7),
                ends=T(10 + number % 7),
                valid_from=D(2026, 1, 5),
            )
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.post("/reception/", {"area": training.pk})


def test_the_phone_page_says_may_not_be_seen_once_the_clock_makes_it_so_though_the_queue_did_not_move(
    client, long_queue, issue
):
    """The warning depends on the clock as much as on the queue: a refresh with the answer of an
    earlier minute gets the new one, not `304 Not Modified`; within the minute it still gets 304."""
    with frozen(local(2026, 3, 10, 15, 0)):
        ticket = issue(long_queue)
        status = f"{ticket.get_absolute_url()}status/"
        client.get(status)  # the area's service time measured for the first time: a new version
        first = client.get(status, HTTP_ACCEPT_LANGUAGE="en")
        assert "may not be seen today" not in first.content.decode()
        again = client.get(status, headers={"If-None-Match": first["ETag"]}, HTTP_ACCEPT_LANGUAGE="en")
        assert again.status_code == 304
    with frozen(local(2026, 3, 10, 15, 45)):  # nothing moved; 15:45 + the wait runs past 17:00
        later = client.get(status, headers={"If-None-Match": first["ETag"]}, HTTP_ACCEPT_LANGUAGE="en")
        assert later.status_code == 200
        assert "may not be seen today" in later.content.decode()
        page = client.get(ticket.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "may not be seen today" in page
