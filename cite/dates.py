"""Dates read from URLs and forms: one parser, bounded to the years of settings.DATES_FIRST_YEAR to
DATES_LAST_YEAR, so that no page meets a date it cannot count with (year 1 has no previous year,
9999-12-31 no next week) and a date it cannot use is refused with a message, never a 500.
"""

import datetime
import re
from functools import wraps

import django_filters
from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

_DAY = re.compile(r"(?P<year>[0-9]{1,9})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})")
_MONTH = re.compile(r"(?P<year>[0-9]{1,9})-(?P<month>[0-9]{1,2})")


class BadDate(ValueError):
    """A date that cannot be used, with the reason in the reader's language; `code` is "out_of_range"
    for a date outside the years, "invalid" for anything else."""

    def __init__(self, message, code="invalid"):
        super().__init__(message)
        self.message, self.code = message, code


def first_day():
    return datetime.date(settings.DATES_FIRST_YEAR, 1, 1)


def last_day():
    return datetime.date(settings.DATES_LAST_YEAR, 12, 31)


def within(day):
    """Whether a date (or a datetime's date) is one a page may be asked for: for links to the next page."""
    if isinstance(day, datetime.datetime):
        day = day.date()
    return first_day() <= day <= last_day()


def out_of_range():
    return BadDate(
        _("Give a date between the years %(first)s and %(last)s.")
        % {"first": settings.DATES_FIRST_YEAR, "last": settings.DATES_LAST_YEAR},
        code="out_of_range",
    )


def check(day):
    """`day` itself, or BadDate when it falls outside the years a page may be asked for."""
    if not within(day):
        raise out_of_range()
    return day


def _shown(text):
    return text if len(text) <= 30 else text[:29] + "…"


def parse_date(text):
    """A date written YYYY-MM-DD (ISO 8601), within the bounds; BadDate otherwise."""
    text = (text or "").strip()
    match = _DAY.fullmatch(text)
    if match is None:
        raise BadDate(_("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": _shown(text)})
    if not settings.DATES_FIRST_YEAR <= int(match["year"]) <= settings.DATES_LAST_YEAR:
        raise out_of_range()
    try:
        return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise BadDate(_("%(value)s is not a day of the calendar.") % {"value": _shown(text)}) from None


def parse_month(text):
    """The first day of a month written YYYY-MM, within the bounds; BadDate otherwise."""
    text = (text or "").strip()
    match = _MONTH.fullmatch(text)
    if match is None or not 1 <= int(match["month"]) <= 12:
        raise BadDate(_("“%(value)s” is not a month: write it as YYYY-MM.") % {"value": _shown(text)})
    if not settings.DATES_FIRST_YEAR <= int(match["year"]) <= settings.DATES_LAST_YEAR:
        raise out_of_range()
    return datetime.date(int(match["year"]), int(match["month"]), 1)


def query_date(request, name, default=None):
    """The date of a query parameter; `default` when it is missing or empty, BadDate when it is wrong."""
    text = request.GET.get(name, "").strip()
    return parse_date(text) if text else default


def query_month(request, name, default=None):
    """The first day of the month of a query parameter (YYYY-MM); `default` when missing or empty."""
    text = request.GET.get(name, "").strip()
    return parse_month(text) if text else default


def reads_dates(*names):
    """Name the parameters (query or path) a view reads as dates, so that the test that walks the
    URLs with extreme dates finds it, and answer BadDate with a 400 page that says what was wrong."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except BadDate as error:
                return render(request, "400.html", {"message": error.message}, status=400)

        wrapped.date_parameters = names
        return wrapped

    return decorator


class DateField(forms.DateField):
    """A form's date, refused outside the bounds with the same message as a date in a URL."""

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and not within(day):
            raise forms.ValidationError(out_of_range().message, code="out_of_range")
        return day


class DateTimeField(forms.DateTimeField):
    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None and not within(moment):
            raise forms.ValidationError(out_of_range().message, code="out_of_range")
        return moment


class DateFilter(django_filters.DateFilter):
    field_class = DateField
