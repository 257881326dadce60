"""The public calendar feed of the permanences (RFC 5545), written with the icalendar library.

Each occurrence is its own event (exceptions and closures are already applied), with a UID made of
the permanence's UUID and its usual date, so a moved or cancelled occurrence updates the event a
calendar app already holds instead of adding one. Times carry the centre's VTIMEZONE. Counsellors'
names never appear.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event


def build_feed(occurrences, *, page_url):
    stamp = timezone.now().astimezone(datetime.UTC)
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.CENTRE_NAME}//cite planning//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("%(centre)s — partners' permanences") % {"centre": settings.CENTRE_NAME})
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    for occurrence in occurrences:
        permanence = occurrence.permanence
        item = Event()
        item.add("uid", occurrence.uid)
        item.add("dtstamp", stamp)
        item.add("last-modified", permanence.updated_at.astimezone(datetime.UTC))
        item.add("dtstart", occurrence.start)
        item.add("dtend", occurrence.end)
        item.add(
            "summary",
            _("%(institution)s — %(area)s")
            % {"institution": permanence.institution.name, "area": permanence.area.name},
        )
        item.add("location", settings.CENTRE_NAME)
        item.add("url", page_url)
        if not occurrence.held:
            item.add("status", "CANCELLED")
            if occurrence.closure:
                item.add("description", _("Closed: %(reason)s") % {"reason": occurrence.closure.reason})
        else:
            item.add("status", "CONFIRMED")
        calendar.add_component(item)
    today = timezone.localdate()
    calendar.add_missing_timezones(
        first_date=min((o.date for o in occurrences), default=today) - datetime.timedelta(days=1),
        last_date=max((o.date for o in occurrences), default=today) + datetime.timedelta(days=366),
    )
    return calendar.to_ical()
