"""The estimated wait: the documented formula, and the figures it is fed from the database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from counselling.models import Session
from reception import selectors, services
from reception.models import Ticket
from reception.selectors import estimated_wait
from reception.service_times import refresh_service_times
from tests.conftest import make_staff
from tests.factories import make_desk

S = timedelta(minutes=20)


@pytest.fixture(autouse=True)
def measured_on_every_read(settings):
    """These tests write sessions directly (not through a move): measure them on every read."""
    settings.RECEPTION_SERVICE_REFRESH_SECONDS = 0


@pytest.mark.parametrize(
    ("position", "desks_open", "desks_free", "minutes"),
    [
        (1, 1, 1, 0),  # a free desk calls it now
        (1, 1, 0, 10),  # the only desk is half-way through a session
        (2, 1, 0, 30),
        (3, 1, 0, 50),
        (1, 2, 0, 10),
        (2, 2, 0, 10),  # two busy desks: the first two go in the first round
        (3, 2, 0, 30),
        (3, 2, 1, 10),  # one free desk takes number 1; numbers 2 and 3 wait for the first round
        (4, 2, 1, 30),
    ],
)
def test_the_formula(position, desks_open, desks_free, minutes):
    wait = estimated_wait(position=position, service=S, desks_open=desks_open, desks_free=desks_free)
    assert wait == timedelta(minutes=minutes)


def test_nobody_on_duty_means_no_estimate():
    assert estimated_wait(position=1, service=S, desks_open=0, desks_free=0) is None


def serve(ticket, desk, minutes, counsellor, *, ended_ago=timedelta(0)):
    """A session of `minutes` (seconds dropped, as every figure counts them) that ended `ended_ago`."""
    ended = timezone.now() - ended_ago
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.DONE, desk=desk)
    Session.objects.create(
        ticket=ticket,
        counsellor=counsellor,
        area=ticket.area,
        started_at=ended - timedelta(minutes=minutes, seconds=40),
        ended_at=ended,
    )


def test_service_time_is_the_median_session_time_of_recent_sessions_with_a_default_until_there_are_enough(
    issue, training, desk, counsellor, settings
):
    settings.RECEPTION_DEFAULT_SERVICE_MINUTES = 15
    settings.RECEPTION_SERVICE_MIN_SAMPLES = 5
    settings.RECEPTION_SERVICE_SAMPLE_DAYS = 14
    for minutes in [10, 12, 30, 14]:
        serve(issue(training), desk, minutes, counsellor)
    serve(issue(training), desk, 1, counsellor, ended_ago=timedelta(days=15))  # too old to count
    assert selectors.service_times([training])[training.pk] == timedelta(minutes=15)  # 4 samples: the default
    serve(issue(training), desk, 100, counsellor)
    # The median of 10 12 14 30 100, in whole minutes and nearest rank, as the statistics count it.
    assert selectors.service_times([training])[training.pk] == timedelta(minutes=14)


def test_a_referred_visitor_s_two_sessions_each_count_in_their_own_area(
    issue, training, job, desk, counsellor, settings
):
    settings.RECEPTION_SERVICE_MIN_SAMPLES = 1
    ticket = issue(training)
    serve(ticket, desk, 25, counsellor, ended_ago=timedelta(minutes=40))
    Session.objects.create(
        ticket=ticket,
        counsellor=counsellor,
        area=job,
        started_at=timezone.now() - timedelta(minutes=8),
        ended_at=timezone.now(),
    )
    assert selectors.service_times([training, job]) == {
        training.pk: timedelta(minutes=25),
        job.pk: timedelta(minutes=8),
    }


def test_without_an_app_that_records_sessions_every_area_gets_the_default(issue, training, desk, counsellor, settings):
    from django.apps import apps

    settings.RECEPTION_DEFAULT_SERVICE_MINUTES = 15
    settings.RECEPTION_SERVICE_MIN_SAMPLES = 1
    serve(issue(training), desk, 40, counsellor)
    config = apps.get_app_config("counselling")
    path = config.queue_service_times
    try:
        config.queue_service_times = None
        assert selectors.service_times([training]) == {training.pk: timedelta(minutes=15)}
    finally:
        config.queue_service_times = path
    assert selectors.service_times([training]) == {training.pk: timedelta(minutes=40)}


def test_overview_counts_waiting_desks_and_people_on_duty_per_area(issue, training, job, desk, on_duty):
    second = make_staff("yanis@example.org", "Counsellor", first_name="Yanis")
    services.start_duty(user=second, desk=make_desk("4", job))
    make_desk("5", training, job)  # nobody ever opened it
    left = make_desk("6", training, job)
    services.start_duty(user=make_staff("gone@example.org", "Counsellor"), desk=left)
    services.leave_desk(user=left.duties.get().user)  # opened, then left
    issue(training), issue(training), issue(job)
    services.call_next(desk=desk, by=on_duty)  # desk 3 (B and C) is now busy with B-001
    overview = {queue.area.code: queue for queue in selectors.queue_overview()}
    b, c = overview["find-training"], overview["find-job"]
    assert (b.waiting, b.desks_open, b.desks_free, b.on_duty) == (1, 1, 0, ["Camille"])
    assert (c.waiting, c.desks_open, c.desks_free, sorted(c.on_duty)) == (1, 2, 1, ["Camille", "Yanis"])
    assert b.next_wait == timedelta(minutes=15 * 1.5)  # position 2, one busy desk, default 15 min
    assert c.next_wait == timedelta(minutes=7.5)  # position 2 after the one a free desk takes


def test_overview_runs_a_fixed_number_of_queries(
    issue, training, job, desk, on_duty, django_assert_num_queries, settings
):
    settings.RECEPTION_SERVICE_REFRESH_SECONDS = 300
    issue(training)
    refresh_service_times(areas=[training, job])  # kept, as in a running centre: not measured here
    with django_assert_num_queries(5):
        selectors.queue_overview()
    for index in range(30):
        issue(job if index % 2 else training)
        make_desk(f"x{index}", training)
    with django_assert_num_queries(5):
        selectors.queue_overview()


def test_the_service_time_follows_finished_sessions_and_is_not_measured_per_request(
    issue, training, desk, on_duty, settings, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from counselling import services as counselling

    settings.RECEPTION_SERVICE_REFRESH_SECONDS = 300
    settings.RECEPTION_SERVICE_MIN_SAMPLES = 1
    settings.RECEPTION_DEFAULT_SERVICE_MINUTES = 15
    assert selectors.service_times([training]) == {training.pk: timedelta(minutes=15)}  # no session yet
    with django_assert_num_queries(1):  # kept: read, not measured
        selectors.service_times([training])
    ticket = services.call_ticket(ticket=issue(training), desk=desk, by=on_duty)
    session = counselling.start_session(ticket=ticket, desk=desk, counsellor=on_duty)
    Session.objects.filter(pk=session.pk).update(started_at=timezone.now() - timedelta(minutes=42, seconds=10))
    session.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        counselling.finish_session(session=session, by=on_duty)
    with django_assert_num_queries(1):
        assert selectors.service_times([training]) == {training.pk: timedelta(minutes=42)}


def test_a_kept_service_time_is_measured_again_once_older_than_the_refresh(
    issue, training, desk, counsellor, settings, django_assert_num_queries
):
    settings.RECEPTION_SERVICE_MIN_SAMPLES = 1
    settings.RECEPTION_SERVICE_REFRESH_SECONDS = 300
    selectors.service_times([training])
    serve(issue(training), desk, 33, counsellor)  # written directly: no move tells the table
    assert selectors.service_times([training]) == {training.pk: timedelta(minutes=15)}
    from reception.models import ServiceTime

    ServiceTime.objects.update(computed_at=timezone.now() - timedelta(seconds=301))
    assert selectors.service_times([training]) == {training.pk: timedelta(minutes=33)}
