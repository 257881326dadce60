"""A counsellor's own figures, for their desk page: only from the visits they received."""

import datetime

import pytest
from django.utils import timezone

from reception import services
from reception.models import Desk, TicketEvent
from stats.figures import counsellor_figures
from stats.periods import Period
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


def serve(ticket, desk, by, minutes):
    services.start_duty(user=by, desk=desk)
    services.call_ticket(ticket=ticket, desk=desk, by=by)
    services.start_serving(ticket=ticket, desk=desk, by=by)
    services.finish(ticket=ticket, desk=desk, by=by)
    ticket.refresh_from_db()
    ticket.finished_at = ticket.started_at + datetime.timedelta(minutes=minutes, seconds=20)
    ticket.save()


def test_a_counsellor_sees_only_the_visits_they_received(receptionist, counsellor, training, job, desk):
    colleague = make_staff("yanis@example.org", "Counsellor", first_name="Yanis")
    other_desk = Desk.objects.create(name="4")
    other_desk.areas.set([training])
    issue = lambda area: services.issue_ticket(area=area, issued_by=receptionist)  # noqa: E731
    serve(issue(training), desk, counsellor, 12)
    serve(issue(job), desk, counsellor, 20)
    serve(issue(training), desk, counsellor, 31)
    serve(issue(training), other_desk, colleague, 5)
    missed = issue(job)
    services.start_duty(user=counsellor, desk=desk)
    services.call_ticket(ticket=missed, desk=desk, by=counsellor)
    services.mark_no_show(ticket=missed, desk=desk, by=counsellor)

    mine = counsellor_figures(counsellor, Period.of("day", timezone.localdate()))
    assert (mine.visits, mine.no_shows, mine.session_median) == (3, 1, 20)  # 12, 20, 31: the 2nd of 3
    assert [(area.code, n) for area, n in mine.by_area] == [("find-training", 2), ("find-job", 1)]
    theirs = counsellor_figures(colleague, Period.of("day", timezone.localdate()))
    assert (theirs.visits, theirs.no_shows, theirs.session_median) == (1, 0, 5)
    assert TicketEvent.objects.filter(by=counsellor, kind="finished").count() == 3


def test_a_counsellor_with_no_visit_has_zeros(counsellor):
    mine = counsellor_figures(counsellor, Period.of("month", timezone.localdate()))
    assert (mine.visits, mine.no_shows, mine.session_median, mine.by_area) == (0, 0, None, [])


def test_counsellor_figures_take_two_queries(receptionist, counsellor, training, desk, django_assert_num_queries):
    period = Period.of("month", timezone.localdate())
    with django_assert_num_queries(2):
        counsellor_figures(counsellor, period)
    serve(services.issue_ticket(area=training, issued_by=receptionist), desk, counsellor, 12)
    with django_assert_num_queries(2):
        assert counsellor_figures(counsellor, period).by_area[0][0].name == "Trouver une formation"
