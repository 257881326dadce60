"""Periods of the statistics: a day, a week, a month, a year or any range of days, in local dates.

Visits belong to the local day of the centre (reception's `Ticket.day`, in settings.TIME_ZONE), so a
period is a range of local dates, both ends included, and its previous period is the one just
before it with the same length (the previous day, week, month, year, or as many days). A period
still running is compared with as many days of the previous one (`compared_with`).
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LONGEST_DAILY_SERIES = 62  # periods longer than this are charted by month, shorter ones by day


class Kind(models.TextChoices):
    DAY = "day", pgettext_lazy("period", "Day")
    WEEK = "week", pgettext_lazy("period", "Week")
    MONTH = "month", pgettext_lazy("period", "Month")
    YEAR = "year", pgettext_lazy("period", "Year")
    CUSTOM = "custom", pgettext_lazy("period", "Custom")


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date  # included

    @classmethod
    def of(cls, kind, day):
        """The day, week (Monday to Sunday), month or year holding `day`."""
        if kind == Kind.DAY:
            return cls(kind, day, day)
        if kind == Kind.WEEK:
            start = day - datetime.timedelta(days=day.weekday())
            return cls(kind, start, start + datetime.timedelta(days=6))
        if kind == Kind.MONTH:
            start = day.replace(day=1)
            following = (start + datetime.timedelta(days=31)).replace(day=1)
            return cls(kind, start, following - datetime.timedelta(days=1))
        if kind == Kind.YEAR:
            return cls(kind, datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31))
        raise ValueError(f"not a fixed kind of period: {kind!r}")

    @classmethod
    def between(cls, start, end):
        if end < start:
            raise ValueError("a period ends after it starts")
        return cls(Kind.CUSTOM, start, end)

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def previous(self):
        if self.kind == Kind.CUSTOM:
            end = self.start - datetime.timedelta(days=1)
            return Period(Kind.CUSTOM, end - datetime.timedelta(days=self.days - 1), end)
        return Period.of(self.kind, self.start - datetime.timedelta(days=1))

    def compared_with(self, today):
        """The period this one is compared with: the previous one, or while this one is still running,
        as many of its first days as have begun in this one (1–6 December against 1–6 November, not
        against the whole of November, which would make every running month look like a collapse)."""
        previous = self.previous()
        if not self.start <= today < self.end:
            return previous
        if self.kind == Kind.YEAR:  # the same date last year (leap years hold a day more before March)
            end = today.replace(year=today.year - 1, day=min(today.day, 28 if today.month == 2 else 31))
        else:  # the same day of the month or of the week, or as many days
            end = min(previous.start + datetime.timedelta(days=(today - self.start).days), previous.end)
        return Period(Kind.CUSTOM, previous.start, end)

    def next(self):
        if self.kind == Kind.CUSTOM:
            start = self.end + datetime.timedelta(days=1)
            return Period(Kind.CUSTOM, start, start + datetime.timedelta(days=self.days - 1))
        return Period.of(self.kind, self.end + datetime.timedelta(days=1))

    @property
    def series_unit(self):
        """How the chart of visits over the period is cut: by hour, day or month."""
        if self.days == 1:
            return "hour"
        return "day" if self.days <= LONGEST_DAILY_SERIES else "month"

    @property
    def label(self):
        if self.kind == Kind.DAY:
            return date_format(self.start, "DATE_FORMAT")
        if self.kind == Kind.WEEK:
            return _("Week of %(date)s") % {"date": date_format(self.start, "DATE_FORMAT")}
        if self.kind == Kind.MONTH:
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        if self.kind == Kind.YEAR:
            return str(self.start.year)
        return _("%(start)s to %(end)s") % {
            "start": date_format(self.start, "DATE_FORMAT"),
            "end": date_format(self.end, "DATE_FORMAT"),
        }

    def querystring(self):
        if self.kind == Kind.CUSTOM:
            return urlencode({"period": self.kind, "start": self.start.isoformat(), "end": self.end.isoformat()})
        return urlencode({"period": self.kind, "date": self.start.isoformat()})

    def __str__(self):
        return str(self.label)


def next_month(day):
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def whole_months(period):
    """The months lying entirely inside `period`, by their first day."""
    month = period.start if period.start.day == 1 else next_month(period.start)
    months = []
    while next_month(month) - datetime.timedelta(days=1) <= period.end:
        months.append(month)
        month = next_month(month)
    return months
