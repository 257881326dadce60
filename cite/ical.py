"""What every iCalendar feed of cite shares (RFC 5545): the calendar's header and the centre's VTIMEZONE.

Times are written in the centre's time zone with its VTIMEZONE, so calendar apps abroad still show
the right hour; each app writes its own events (with UIDs that never change) between the two calls.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar


def centre_zone():
    """The centre's time zone: the one its opening hours, permanences and feeds are written in."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def utc(moment):
    """DTSTAMP and LAST-MODIFIED must be in UTC (RFC 5545 §3.8.7.2, §3.8.7.3)."""
    return moment.astimezone(datetime.UTC)


def new_calendar(*, name, product, refresh=datetime.timedelta(hours=1)):
    """An empty calendar named `name` (shown by calendar apps), made by cite's `product`, that calendar
    apps poll again every `refresh`."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.CENTRE_NAME}//cite {product}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    return calendar


def finish(calendar, *, days):
    """Add the centre's VTIMEZONE and return the feed as bytes.

    The time zone's rules cover the span of `days` (the local dates of the timed events) and a
    year beyond, not 1970-2038: a lighter feed to poll.
    """
    days = list(days)
    today = timezone.localdate()
    calendar.add_missing_timezones(
        first_date=min(days, default=today) - datetime.timedelta(days=1),
        last_date=max(days, default=today) + datetime.timedelta(days=366),
    )
    return calendar.to_ical()
