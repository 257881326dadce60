"""Factories and small helpers the tests of several apps share: the centre's areas, desks, a page's
queries, a calendar feed's events. Those of one app live beside its tests (tests/partners/factories.py)."""

import datetime
import zoneinfo

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from cite.demo import DEMO_AREAS
from cite.models import Area
from reception.models import Desk

# code -> (letter, French name, English name): the areas of a typical Cité, as the demo has them.
AREAS = {code: (letter, name_fr, name_en) for code, letter, name_fr, name_en, _colour in DEMO_AREAS}


def make_area(code="find-job", **fields):
    """One of the typical areas (`AREAS`), by its network code; `fields` change any of its values."""
    letter, name_fr, name_en = AREAS[code]
    values = {"letter": letter, "name_fr": name_fr, "name_en": name_en, **fields}
    return Area.objects.create(code=code, **values)


def make_areas(*codes):
    """{code: area} for the typical areas named, in that order."""
    return {code: make_area(code, order=order) for order, code in enumerate(codes)}


def make_desk(name, *areas):
    desk = Desk.objects.create(name=name)
    desk.areas.set(areas)
    return desk


def make_past_visit(area, number, *, desk, days_ago=1, **answers):
    """A finished visit of an earlier day with these profile answers (`area` issued it and served it)."""
    from django.utils import timezone

    from reception.models import Ticket

    return Ticket.objects.create(
        day=timezone.localdate() - datetime.timedelta(days=days_ago),
        issued_area=area,
        area=area,
        number=number,
        code=f"{area.letter}-{number:03d}",
        arrived_at=timezone.now() - datetime.timedelta(days=days_ago),
        status=Ticket.Status.DONE,
        desk=desk,
        **answers,
    )


def count_queries(client, url, status=200):
    """The queries a GET of `url` runs (a CaptureQueriesContext: len() and captured_queries)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return queries


def parse_calendar(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events_by_summary(calendar):
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def local(*args):
    """An aware datetime at a local time of the centre: local(date, hour[, minute[, second]]) or
    local(year, month, day[, hour[, minute]])."""
    if isinstance(args[0], datetime.date):
        day, *clock = args
        args = (day.year, day.month, day.day, *clock)
    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


PROJECT_APPS = ("cite", "reception", "partners", "resources", "counselling", "stats")


def constraint_names():
    """The name of every database constraint of the project's apps, from their models' Meta."""
    from django.apps import apps

    return {
        constraint.name
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        for constraint in model._meta.constraints
    }


def shows_no_constraint_name(response):
    """Neither the page nor its messages name a database constraint (Django's default message does)."""
    from django.contrib.messages import get_messages

    text = response.content.decode() + " ".join(str(message) for message in get_messages(response.wsgi_request))
    shown = sorted(name for name in constraint_names() if name in text)
    assert shown == [], f"{response.request['PATH_INFO']} shows {shown}"
