"""How the centre counts time, for every figure that measures it: whole minutes, nearest-rank medians.

A duration is counted in whole minutes, seconds dropped, never below zero; a median (or a 90th
percentile) is the nearest-rank one, PostgreSQL's percentile_disc: the smallest time at least half
(nine tenths) of the measures did not exceed. What is measured, a wait or a session, is defined
by the app that records it (reception.selectors.WAITS, counselling.selectors.SESSION_TIMES); this
module only says how a time is read, in SQL and in the ORM alike.
"""

from django.db.models import Aggregate, Func, IntegerField

WHOLE_MINUTES = "GREATEST(0, floor(EXTRACT(EPOCH FROM {interval}) / 60))::int"


def whole_minutes(interval):
    """SQL of `interval` (an SQL expression) in whole minutes."""
    return WHOLE_MINUTES.format(interval=interval)


class WholeMinutes(Func):
    """The ORM's twin of `whole_minutes`: an interval expression in whole minutes."""

    template = whole_minutes("%(expressions)s")
    output_field = IntegerField()


class MedianMinutes(Aggregate):
    """The nearest-rank median of a whole-minutes expression (None without a row)."""

    template = "percentile_disc(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = IntegerField()
