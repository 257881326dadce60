"""Periods: a day, a week from Monday, a month, a year or any days, and the period before each."""

import datetime

import pytest
from django.utils import translation

from stats.forms import PeriodForm
from stats.periods import Period

d = datetime.date


@pytest.mark.parametrize(
    ("kind", "day", "start", "end", "previous_start", "previous_end"),
    [
        ("day", d(2025, 3, 1), d(2025, 3, 1), d(2025, 3, 1), d(2025, 2, 28), d(2025, 2, 28)),
        ("week", d(2025, 10, 31), d(2025, 10, 27), d(2025, 11, 2), d(2025, 10, 20), d(2025, 10, 26)),
        ("month", d(2024, 3, 15), d(2024, 3, 1), d(2024, 3, 31), d(2024, 2, 1), d(2024, 2, 29)),
        ("year", d(2025, 7, 4), d(2025, 1, 1), d(2025, 12, 31), d(2024, 1, 1), d(2024, 12, 31)),
    ],
)
def test_a_period_and_the_one_before_it(kind, day, start, end, previous_start, previous_end):
    period = Period.of(kind, day)
    assert (period.start, period.end) == (start, end)
    assert (period.previous().start, period.previous().end) == (previous_start, previous_end)
    assert period.previous().next() == period


def test_a_custom_period_is_compared_with_as_many_days_just_before():
    period = Period.between(d(2025, 3, 1), d(2025, 3, 10))
    assert (period.previous().start, period.previous().end) == (d(2025, 2, 19), d(2025, 2, 28))
    with pytest.raises(ValueError):
        Period.between(d(2025, 3, 10), d(2025, 3, 1))


@pytest.mark.parametrize(
    ("kind", "today", "compared_start", "compared_end"),
    [
        ("month", d(2026, 12, 6), d(2026, 11, 1), d(2026, 11, 6)),
        ("month", d(2025, 3, 30), d(2025, 2, 1), d(2025, 2, 28)),  # 30 days of March, February has 28
        ("week", d(2025, 10, 29), d(2025, 10, 20), d(2025, 10, 22)),  # Monday to Wednesday
        ("year", d(2026, 12, 6), d(2025, 1, 1), d(2025, 12, 6)),
        ("year", d(2025, 3, 1), d(2024, 1, 1), d(2024, 3, 1)),  # the same date, though 2024 had 29 February
        ("year", d(2024, 2, 29), d(2023, 1, 1), d(2023, 2, 28)),
        ("day", d(2026, 12, 6), d(2026, 12, 5), d(2026, 12, 5)),  # a day is whole: the day before
    ],
)
def test_a_running_period_is_compared_with_as_many_days_of_the_one_before(kind, today, compared_start, compared_end):
    compared = Period.of(kind, today).compared_with(today)
    assert (compared.start, compared.end) == (compared_start, compared_end)


def test_a_finished_or_future_period_is_compared_with_the_whole_one_before():
    november = Period.of("month", d(2026, 11, 1))
    assert november.compared_with(d(2026, 12, 6)) == november.previous()
    assert november.compared_with(d(2026, 11, 30)) == november.previous()  # its last day: all of it
    assert november.compared_with(d(2026, 10, 6)) == november.previous()


def test_labels_in_french():
    with translation.override("fr"):
        assert Period.of("month", d(2025, 10, 9)).label == "octobre 2025"
        assert str(Period.of("week", d(2025, 10, 9)).label) == "Semaine du 6 octobre 2025"
        assert Period.of("day", d(2025, 10, 9)).label == "9 octobre 2025"
        assert str(Period.between(d(2025, 10, 1), d(2025, 10, 9)).label) == "du 1 octobre 2025 au 9 octobre 2025"


def test_charts_go_by_hour_for_a_day_by_day_up_to_two_months_and_by_month_beyond():
    assert Period.of("day", d(2025, 1, 1)).series_unit == "hour"
    assert Period.of("month", d(2025, 1, 1)).series_unit == "day"
    assert Period.between(d(2025, 1, 1), d(2025, 3, 3)).series_unit == "day"
    assert Period.between(d(2025, 1, 1), d(2025, 3, 4)).series_unit == "month"


@pytest.mark.parametrize("period", [Period.of("week", d(2025, 10, 9)), Period.between(d(2025, 1, 5), d(2025, 2, 4))])
def test_a_period_round_trips_through_its_query_string(period):
    from django.http import QueryDict

    form = PeriodForm(QueryDict(period.querystring()))
    assert form.is_valid(), form.errors
    assert form.chosen_period() == Period(period.kind, period.start, period.end)
