"""A counsellor's own figures (my day, my month): from their sessions only, with the sessions' own times."""

import datetime

import pytest
from django.utils import timezone

from counselling import selectors, services
from counselling.models import Session
from reception import services as queue
from reception.models import TicketEvent
from tests.conftest import make_staff
from tests.reception.conftest import make_desk

pytestmark = pytest.mark.django_db


def receive(ticket, desk, counsellor, minutes, *, referral_area=None):
    """Call `ticket` to `desk`, hold a session of `minutes` (its times as the form would correct them), finish it."""
    queue.start_duty(user=counsellor, desk=desk)
    queue.call_ticket(ticket=ticket, desk=desk, by=counsellor)
    session = services.start_session(ticket=ticket, desk=desk, counsellor=counsellor)
    services.finish_session(
        session=session, by=counsellor, data={"referral_area": referral_area} if referral_area else None
    )
    started = session.started_at - datetime.timedelta(hours=1)
    Session.objects.filter(pk=session.pk).update(
        started_at=started, ended_at=started + datetime.timedelta(minutes=minutes, seconds=20)
    )
    return session


def today(user):
    day = timezone.localdate()
    return selectors.counsellor_figures(user, start=day, end=day)


def test_a_counsellor_counts_the_sessions_they_held_even_of_a_visit_they_referred(issue, training, job, desk, on_duty):
    colleague = make_staff("yanis@example.org", "Counsellor", first_name="Yanis")
    other_desk = make_desk("4", job)
    queue.start_duty(user=colleague, desk=other_desk)
    referred = issue(training)
    receive(referred, desk, on_duty, 12, referral_area=job)  # 12 min with me in B, then sent to C
    receive(referred, other_desk, colleague, 5)  # 5 min with Yanis in C
    receive(issue(job), desk, on_duty, 20)
    receive(issue(training), desk, on_duty, 31)
    missed = issue(job)
    queue.call_ticket(ticket=missed, desk=desk, by=on_duty)
    queue.mark_no_show(ticket=missed, desk=desk, by=on_duty)  # no session: not one of my figures

    mine = today(on_duty)
    assert (mine.sessions, mine.visits, mine.session_median) == (3, 3, 20)  # 12, 20, 31: the 2nd of 3
    assert [(area.code, n) for area, n in mine.by_area] == [("find-training", 2), ("find-job", 1)]
    theirs = today(colleague)
    assert (theirs.sessions, theirs.visits, theirs.session_median, len(theirs.by_area)) == (1, 1, 5, 1)
    # The referred visit's ticket was finished by Yanis: events alone would have given it all to him.
    assert TicketEvent.objects.get(ticket=referred, kind="finished").by == colleague


def test_a_corrected_session_counts_with_its_corrected_times(issue, training, desk, on_duty):
    session = receive(issue(training), desk, on_duty, 40)
    services.save_session(
        session=session,
        by=on_duty,
        data={"started_at": session.started_at, "ended_at": session.started_at + datetime.timedelta(minutes=25)},
    )
    assert today(on_duty).session_median == 25


def test_a_counsellor_with_no_session_has_zeros(counsellor):
    day = timezone.localdate()
    mine = selectors.counsellor_figures(counsellor, start=day.replace(day=1), end=day)
    assert (mine.sessions, mine.visits, mine.session_median, mine.by_area) == (0, 0, None, [])


def test_counsellor_figures_take_two_queries(issue, training, desk, on_duty, django_assert_num_queries):
    with django_assert_num_queries(2):
        today(on_duty)
    receive(issue(training), desk, on_duty, 12)
    with django_assert_num_queries(2):
        assert today(on_duty).by_area[0][0].name == "Trouver une formation"
