"""One clock for every figure: a wait per stint in a queue from the ticket's events, a session time
per session from the session's own start and end, whether counted live or from the rollup."""

import datetime

import pytest
from django.core.management import call_command

from counselling.models import Session
from reception.models import Ticket, TicketEvent
from stats import figures
from stats.models import WHOLE_CENTRE, DailyDuration, Measure
from stats.periods import Period
from stats.services import roll_up
from tests.factories import local

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 10, 6)


@pytest.fixture(params=["from tickets", "from the rollup"])
def counted(request, settings):
    """measures() -> {(measure, area code or hour): sorted minutes} of DAY, live or rolled up."""
    settings.STATS_SUPPRESSION_THRESHOLD = 1

    def measures():
        if request.param == "from the rollup":
            roll_up(days=[DAY])
            return {
                (row.measure, row.area.code if row.area else row.hour): sorted(
                    r.minutes
                    for r in DailyDuration.objects.filter(
                        **WHOLE_CENTRE, day=DAY, measure=row.measure, area=row.area, hour=row.hour
                    )
                    for _n in range(r.visits)
                )
                for row in DailyDuration.objects.filter(**WHOLE_CENTRE, day=DAY).select_related("area")
            }
        result = figures.Figures(Period.of("day", DAY))
        return {
            (measure, next((a.code for a in result.areas if a.pk == area), hour)): durations.visits
            for (previous, measure, area, hour), durations in result.durations.items()
            if not previous and (area is not None or hour is not None)
        }

    return measures


def test_a_referred_visitor_waits_twice_and_has_two_sessions(referral, visit, training, job, counted, request):
    referral(training, job, local(DAY, 10, 0), waits=(5, 10), sessions=(25, 15))
    measures = counted()
    if request.node.callspec.params["counted"] == "from tickets":
        assert measures == {
            ("wait", "find-training"): 1,
            ("wait", "find-job"): 1,
            ("wait", 10): 2,  # both waits began in the 10:00 hour
            ("session", "find-training"): 1,
            ("session", "find-job"): 1,
        }
    else:
        assert measures == {
            ("wait", "find-training"): [5],
            ("wait", "find-job"): [10],  # not 40: arrival to the last call
            ("wait", 10): [5, 10],
            ("session", "find-training"): [25],
            ("session", "find-job"): [15],
        }


def test_the_figures_of_a_referral_are_its_two_waits_and_two_sessions(referral, training, job, settings):
    settings.STATS_SUPPRESSION_THRESHOLD = 1
    referral(training, job, local(DAY, 10, 0), waits=(5, 10), sessions=(25, 15))
    result = figures.Figures(Period.of("day", DAY))
    wait, session = result.duration(Measure.WAIT), result.duration(Measure.SESSION)
    assert (wait.visits, wait.median, wait.p90) == (2, 5, 10)
    assert (session.visits, session.median, session.p90) == (2, 15, 25)
    assert result.duration(Measure.WAIT, area=job.pk).median == 10
    assert result.duration(Measure.SESSION, area=training.pk).median == 25


def test_a_corrected_session_counts_with_its_own_times_not_the_ticket_s(visit, training, settings):
    settings.STATS_SUPPRESSION_THRESHOLD = 1
    ticket = visit(training, local(DAY, 9, 0), wait=4, session=30)
    session = Session.objects.get(ticket=ticket)
    Session.objects.filter(pk=session.pk).update(ended_at=session.started_at + datetime.timedelta(minutes=18))
    assert figures.Figures(Period.of("day", DAY)).duration(Measure.SESSION).median == 18
    roll_up(days=[DAY])
    assert DailyDuration.objects.get(**WHOLE_CENTRE, day=DAY, measure="session").minutes == 18


def test_a_transfer_while_waiting_moves_the_wait_without_restarting_it(visit, training, job, settings):
    settings.STATS_SUPPRESSION_THRESHOLD = 1
    ticket = visit(training, local(DAY, 9, 0), wait=30, session=10)
    called = ticket.events.get(kind="called")
    TicketEvent.objects.create(
        ticket=ticket,
        kind="transferred",
        at=local(DAY, 9, 20),
        from_status="waiting",
        to_status="waiting",
        from_area=training,
        to_area=job,
    )
    Ticket.objects.filter(pk=ticket.pk).update(area=job)
    result = figures.Figures(Period.of("day", DAY))
    assert called.at == local(DAY, 9, 30)
    assert result.duration(Measure.WAIT, area=job.pk).median == 30  # from arrival, in the queue it was called from
    assert result.duration(Measure.WAIT, area=training.pk).visits == 0


def test_a_walk_in_does_not_wait_until_it_is_referred(visit, training, job, desk, settings):
    settings.STATS_SUPPRESSION_THRESHOLD = 1
    ticket = visit(job, local(DAY, 11, 0), walk_in=True, session=12)
    TicketEvent.objects.create(
        ticket=ticket,
        kind="transferred",
        at=local(DAY, 11, 15),
        from_status="serving",
        to_status="waiting",
        from_area=job,
        to_area=training,
    )
    TicketEvent.objects.create(
        ticket=ticket, kind="called", at=local(DAY, 11, 22), from_status="waiting", to_status="called", desk=desk
    )
    result = figures.Figures(Period.of("day", DAY))
    assert result.duration(Measure.WAIT).visits == 1
    assert result.duration(Measure.WAIT, area=training.pk).median == 7
    assert result.duration(Measure.WAIT, hour=11).median == 7


def test_rolling_past_days_up_again_recounts_them_with_the_definitions_of_today(visit, training, settings):
    """What docs/statistics-definitions.md says to run after a correction or an upgrade."""
    settings.STATS_SUPPRESSION_THRESHOLD = 1
    ticket = visit(training, local(DAY, 9, 0), wait=4, session=30)
    call_command("roll_up_statistics", verbosity=0)
    assert DailyDuration.objects.get(**WHOLE_CENTRE, day=DAY, measure="session").minutes == 30
    # Rows rolled up under an older definition (or before a correction) stay until the day is rolled up again.
    Session.objects.filter(ticket=ticket).update(ended_at=ticket.started_at + datetime.timedelta(minutes=21))
    DailyDuration.objects.filter(**WHOLE_CENTRE, day=DAY, measure="wait").update(minutes=99)
    call_command("roll_up_statistics", "--again", "0", verbosity=0)
    assert DailyDuration.objects.get(**WHOLE_CENTRE, day=DAY, measure="session").minutes == 30  # not rolled up again
    call_command("roll_up_statistics", "--since", DAY.isoformat(), verbosity=0)
    assert DailyDuration.objects.get(**WHOLE_CENTRE, day=DAY, measure="session").minutes == 21
    assert {row.minutes for row in DailyDuration.objects.filter(**WHOLE_CENTRE, day=DAY, measure="wait")} == {4}
    assert figures.Figures(Period.of("month", DAY)).duration(Measure.SESSION).median == 21  # the monthly sums too
