"""Every figure of the dashboard against values worked out by hand (tests/stats/dataset.py), counted
from the tickets and, the same, from the rollup tables."""

import datetime

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from counselling.models import Session
from reception.models import Ticket
from stats import figures
from stats.models import Breakdown, DailyCount, DailyDuration, Measure, MonthlyDuration, RolledDay
from stats.periods import Period
from stats.services import roll_up, roll_up_closed_days
from tests.factories import local
from tests.stats.dataset import OCTOBER, october

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["from tickets", "from the rollup"])
def tables(request, settings, visit, training, job, ages):
    """The dashboard of October 2025, every count shown exactly (threshold 1: nothing to suppress)."""
    settings.STATS_SUPPRESSION_THRESHOLD = 1
    october(visit, training, job, ages)
    if request.param == "from the rollup":
        assert roll_up_closed_days() > 60
        assert RolledDay.objects.filter(day=datetime.date(2025, 10, 31)).exists()
    return {table.key: table for table in figures.dashboard(Period.of("month", OCTOBER))}


def values(table, column):
    return {row.code: row.cells[column].value for row in table.rows}


def key_figures(tables, column="value"):
    return {row.code: row.cells[column].value for row in tables["key-figures"].rows}


@pytest.mark.parametrize("rolled_up", [False, True])
def test_a_month_still_running_is_compared_with_as_many_days_of_the_month_before(
    rolled_up, settings, visit, training, job, ages
):
    settings.STATS_SUPPRESSION_THRESHOLD = 1
    october(visit, training, job, ages)
    if rolled_up:
        roll_up_closed_days()
    # On 20 October: 1–20 October against 1–20 September, which holds the visit of the 15th but
    # not the one of the 30th.
    tables = {t.key: t for t in figures.dashboard(Period.of("month", OCTOBER), today=datetime.date(2025, 10, 20))}
    assert key_figures(tables)["visits"] == 11  # the month itself counts what it holds
    assert key_figures(tables, "previous")["visits"] == 1
    assert key_figures(tables, "previous")["wait-median"] == 20
    with translation.override("en"):
        assert str(Period.of("month", OCTOBER).compared_with(datetime.date(2025, 10, 20)).label) == (
            "Sept. 1, 2025 to Sept. 20, 2025"
        )
    # Once the month is over, the whole of September.
    tables = {t.key: t for t in figures.dashboard(Period.of("month", OCTOBER), today=datetime.date(2025, 11, 2))}
    assert key_figures(tables, "previous")["visits"] == 2


def test_a_year_early_in_its_run_charts_last_year_by_month_up_to_the_same_day(settings, visit, training):
    settings.STATS_SUPPRESSION_THRESHOLD = 1
    for day in (datetime.date(2025, 1, 10), datetime.date(2025, 2, 10), datetime.date(2025, 7, 10)):
        visit(training, local(day, 10), wait=5, session=10)
    visit(training, local(datetime.date(2026, 2, 3), 10), wait=5, session=10)
    year = Period.of("year", datetime.date(2026, 1, 1))
    tables = {t.key: t for t in figures.dashboard(year, today=datetime.date(2026, 2, 15))}
    table = tables["visits-over-time"]
    by_month = {row.code: (row.cells["visits"].value, row.cells["previous"].value) for row in table.rows}
    assert by_month["2026-01-01"] == (0, 1)
    assert by_month["2026-02-01"] == (1, 1)  # 10 February 2025 is before the 15th
    assert by_month["2026-03-01"] == (None, None)  # still to come, and past the compared days
    assert by_month["2026-12-01"] == (None, None)
    assert table.total.cells["previous"].value == 2  # July is not part of the comparison


def test_key_figures_of_the_month_and_the_previous_one(tables):
    assert key_figures(tables) == {
        "visits": 11,
        "first-visits": 6,
        "returns": 4,
        "served": 9,
        "walk-ins": 1,
        "no-shows": 1,
        "left": 1,
        "wait-median": 10,  # waits 2 3 5 7 10 12 30 45 61: the 5th of 9
        "wait-p90": 61,  # the 9th of 9 (9 × 0.9 = 8.1, rounded up)
        "session-median": 14,  # sessions 8 10 10 12 14 15 20 25 30
        "session-p90": 30,
    }
    previous = key_figures(tables, "previous")
    assert previous["visits"] == 2
    assert previous["wait-median"] == 4  # waits 4 and 20: the 1st of 2
    assert tables["key-figures"].rows[0].cells["change"].value == pytest.approx(450.0)  # 2 → 11


def test_a_visit_at_half_past_eleven_at_night_counts_on_its_local_day_and_hour(tables):
    # 23:30 on Friday 31 October in Paris is 22:30 UTC; 00:30 on 1 November (23:30 UTC on the 31st) is not October's.
    series = {row.code: row.cells["visits"].value for row in tables["visits-over-time"].rows}
    assert series["2025-10-31"] == 1
    assert series["2025-10-06"] == 3
    heatmap = {
        row.code: {key: stat.value for key, stat in row.cells.items()} for row in tables["arrivals-heatmap"].rows
    }
    assert heatmap["5"]["23"] == 1  # Friday, 23:00
    assert heatmap["1"]["09"] == 3  # Monday, 9:00
    assert [column.key for column in tables["arrivals-heatmap"].value_columns][-1] == "23"
    by_hour = {row.code: row for row in tables["waiting-by-hour"].rows}
    assert by_hour["23"].cells["median"].value == 61
    # The previous period's own 23:30 visit (30 September) is September's.
    assert tables["visits-over-time"].total.cells["previous"].value == 2


def test_visits_by_area_with_shares(tables):
    table = tables["visits-by-area"]
    assert values(table, "visits") == {"find-training": 7, "find-job": 4}
    assert values(table, "share") == pytest.approx({"find-training": 700 / 11, "find-job": 400 / 11})
    assert values(table, "previous") == {"find-training": 1, "find-job": 1}
    assert table.total.cells["visits"].value == 11


def test_first_visits_returns_and_not_answered(tables):
    assert values(tables["first-visits"], "visits") == {"first": 6, "return": 4, None: 1}


def test_profile_lists_count_every_item_and_the_unanswered(tables):
    assert values(tables["age-bands"], "visits") == {"18-25": 5, "26-35": 2, None: 4}


def test_waiting_and_session_times_by_area(tables):
    waiting = {
        row.code: (row.cells["measured"].value, row.cells["median"].value, row.cells["p90"].value)
        for row in tables["waiting-by-area"].rows
    }
    assert waiting == {"find-training": (7, 12, 61), "find-job": (2, 3, 7)}  # the walk-in is not a wait
    sessions = {
        row.code: (row.cells["measured"].value, row.cells["median"].value, row.cells["p90"].value)
        for row in tables["sessions-by-area"].rows
    }
    assert sessions == {"find-training": (7, 15, 30), "find-job": (2, 10, 14)}
    assert tables["waiting-by-area"].total.cells["median"].value == 10


def test_waiting_by_hour_of_arrival(tables):
    by_hour = {
        row.code: (row.cells["arrivals"].value, row.cells["median"].value) for row in tables["waiting-by-hour"].rows
    }
    assert by_hour["09"] == (3, 3)  # waits 2, 5 and 3
    assert by_hour["11"] == (2, 7)  # the no-show waited 7; the walk-in did not wait
    assert by_hour["12"] == (1, None)  # left before being called


def test_no_shows_by_area_and_their_rate(tables):
    row = next(r for r in tables["no-shows-by-area"].rows if r.code == "find-job")
    assert (row.cells["no_shows"].value, row.cells["called"].value) == (1, 3)
    assert row.cells["no_show_rate"].value == pytest.approx(100 / 3)


def test_sections_cite_does_not_record_yet_are_listed_as_not_counted_yet(tables):
    with translation.override("en"):
        labels = [str(label) for label in figures.planned_sections(list(tables.values()))]
    assert labels == []


def test_the_rollup_and_the_tickets_give_the_same_figures(settings, visit, training, job, ages):
    settings.STATS_SUPPRESSION_THRESHOLD = 1
    october(visit, training, job, ages)
    period = Period.between(datetime.date(2025, 9, 20), datetime.date(2025, 11, 5))  # months cut at both ends

    def snapshot():
        return [
            (t.key, [(r.code, {k: s.value for k, s in r.cells.items()}) for r in t.rows])
            for t in figures.dashboard(period)
        ]

    live = snapshot()
    roll_up(days=[datetime.date(2025, 10, 1) + datetime.timedelta(days=n) for n in range(31)])  # October only
    assert snapshot() == live
    roll_up_closed_days()
    assert snapshot() == live


def test_the_dashboard_runs_the_same_queries_for_one_visit_or_many(
    django_assert_num_queries, visit, training, job, ages
):
    period = Period.of("month", OCTOBER)
    visit(training, local(datetime.date(2025, 10, 6), 9, 0), wait=3, session=5)
    # 9 for the month (one for visitors' feedback), 7 more for September's own tables (its cells are
    # withheld as there).
    with django_assert_num_queries(16):
        figures.dashboard(period)
    october(visit, training, job, ages)
    with django_assert_num_queries(16):
        figures.dashboard(period)


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(waits=st.lists(st.integers(min_value=0, max_value=7200), min_size=1, max_size=40), rolled=st.booleans())
def test_medians_and_90th_percentiles_are_postgresql_percentile_disc_of_whole_minutes(visit, training, waits, rolled):
    from django.db import connection

    for model in (Session, Ticket, RolledDay, DailyCount, DailyDuration, MonthlyDuration):
        model.objects.all().delete()  # each example starts afresh (they share the test's transaction)
    day = datetime.date(2025, 3, 12)
    for n, seconds in enumerate(waits):
        visit(training, local(day, 9, n % 60), wait=seconds / 60, session=5)
    if rolled:
        roll_up(days=[day])
    result = figures.Figures(Period.of("day", day)).duration(Measure.WAIT)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_disc(ARRAY[0.5, 0.9]) WITHIN GROUP "
            "(ORDER BY floor(EXTRACT(EPOCH FROM called_at - arrived_at) / 60)) FROM reception_ticket"
        )
        median, p90 = cursor.fetchone()[0]
    assert (result.median, result.p90, result.visits) == (median, p90, len(waits))


def test_counts_by_breakdown_are_read_once(visit, training, job, ages):
    october(visit, training, job, ages)
    figures_ = figures.Figures(Period.of("month", OCTOBER))
    assert figures_.count(Breakdown.AREA, training.pk).visits == 7
    assert figures_.count(Breakdown.AREA, training.pk, previous=True).visits == 1
    assert figures_.count(Breakdown.FIRST_VISIT, None).visits == 1
