"""The demo's history tells one story: every served visit has its sessions at the times of its
events, every move at a desk has its author, and every figure a new user sees agrees."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from cite.models import User
from counselling.models import Referral, Session
from counselling.selectors import counsellor_figures
from reception.models import Ticket, TicketEvent
from stats import figures
from stats.periods import Period

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # the whole demo, built once for the module
Kind = TicketEvent.Kind
DESK_MOVES = [Kind.CALLED, Kind.STARTED, Kind.FINISHED, Kind.TRANSFERRED, Kind.NO_SHOW]


@pytest.fixture(scope="module")
def demo_centre(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, built once for the module (it is the slow part) inside a transaction that is rolled
    back after the last test; each test runs in its own savepoint inside it, as usual. Its small
    occupation reference will do: importing the real ESCO download (7 s) is test_esco_import.py's job."""
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock(), transaction.atomic():
        patch.setattr("resources.demo.ESCO_DIR", tmp_path_factory.mktemp("no-esco") / "none")
        call_command("demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_centre, settings):
    settings.STATS_SUPPRESSION_THRESHOLD = 1  # every figure exact, to compare them
    return Ticket.objects.filter(day__lt=timezone.localdate())


def test_every_served_visit_has_a_session_for_each_time_it_sat_at_a_desk_with_the_same_times(demo):
    served = demo.filter(status=Ticket.Status.DONE)
    assert served.count() > 2000
    referred = served.filter(events__kind=Kind.TRANSFERRED).distinct()
    assert referred.count() > 50 and demo.filter(walk_in=True).exists()
    for ticket in [*served.order_by("?")[:200], *referred[:50]]:
        events = list(ticket.events.order_by("at", "id"))
        starts = [e for e in events if e.kind == Kind.STARTED]
        ends = [e for e in events if e.kind in (Kind.TRANSFERRED, Kind.FINISHED)]
        sessions = list(ticket.sessions.order_by("started_at"))
        assert [(s.started_at, s.ended_at) for s in sessions] == [
            (a.at, b.at) for a, b in zip(starts, ends, strict=True)
        ]
        assert sessions[-1].area_id == ticket.area_id
        assert ticket.finished_at == ends[-1].at and ticket.started_at == starts[-1].at
        for session, end in zip(sessions, ends, strict=True):  # the desk's moves are the session's counsellor's
            moves = [e for e in events if e.kind in DESK_MOVES and e.at <= end.at and e.at >= session.started_at]
            assert {e.by_id for e in moves} == {session.counsellor_id}
            if end.kind == Kind.TRANSFERRED:
                assert Referral.objects.filter(session=session, area=end.to_area_id).exists()
    assert not demo.filter(status=Ticket.Status.NO_SHOW, sessions__isnull=False).exists()
    assert not TicketEvent.objects.filter(ticket__in=demo, by__isnull=True).exists()


def test_the_figures_of_the_demo_agree_with_each_other(demo):
    today = timezone.localdate()
    month = Period.between(today - datetime.timedelta(days=35), today - datetime.timedelta(days=1))
    tables = {t.key: t for t in figures.dashboard(month)}
    key = {row.code: row.cells["value"].value for row in tables["key-figures"].rows}
    sessions = {row.code: row.cells["value"].value for row in tables["session-figures"].rows}
    in_period = demo.filter(day__range=(month.start, month.end))
    # Every served visit had a session; every session ended.
    assert sessions["visits-with-session"] == key["served"] == in_period.filter(status="done").count()
    measured = tables["sessions-by-area"].total.cells["measured"].value
    assert measured == sessions["sessions"] == Session.objects.filter(ticket__in=in_period).count()
    # One wait per call; the walk-ins' first stint is no wait.
    waits = tables["waiting-by-area"].total.cells["measured"].value
    assert waits == TicketEvent.objects.filter(ticket__in=in_period, kind=Kind.CALLED).count()
    assert waits > key["visits"] - key["walk-ins"]  # the referred visitors waited twice
    # The counsellors' own figures add up to the centre's, and each one's day and month agree.
    counsellors = User.objects.filter(sessions__isnull=False).distinct()
    mine = [counsellor_figures(user, start=month.start, end=month.end) for user in counsellors]
    assert sum(f.sessions for f in mine) == measured
    finishing = TicketEvent.objects.filter(ticket__in=in_period, kind__in=[Kind.FINISHED, Kind.TRANSFERRED])
    by_author = dict(finishing.values_list("by").annotate(n=Count("id")).order_by())
    assert {user.pk: f.sessions for user, f in zip(counsellors, mine, strict=True)} == by_author
    day = in_period.filter(status="done").latest("day").day
    for user in counsellors:
        one_day = counsellor_figures(user, start=day, end=day)
        assert one_day.sessions == Session.objects.filter(counsellor=user, ticket__day=day).count()
    assert not in_period.filter(~Q(status__in=["done", "no_show"])).exists()
