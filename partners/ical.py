"""A staff member's calendar feed (RFC 5545): their working groups' meetings and their network events.

Times are written in the centre's time zone with its VTIMEZONE, so calendar apps abroad still
show the right hour; UIDs never change, so an app updates an event instead of duplicating it.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event

from cite.ical import centre_zone, finish, new_calendar, utc

UID_DOMAIN = "partners.cite"


def meeting_uid(meeting):
    return f"meeting-{meeting.uid}@{UID_DOMAIN}"


def event_uid(event):
    return f"network-event-{event.uid}@{UID_DOMAIN}"


def build_calendar(*, user, meetings, events, absolute_url):
    """The feed of `user` as bytes. `absolute_url(path)` makes the links to the meeting pages."""
    zone = centre_zone()
    stamp = utc(timezone.now())
    calendar = new_calendar(
        name=_("%(centre)s — working groups") % {"centre": settings.CENTRE_NAME}, product="partners"
    )

    meetings = list(meetings)
    for meeting in meetings:
        item = Event()
        item.add("uid", meeting_uid(meeting))
        item.add("dtstamp", stamp)
        item.add("last-modified", utc(meeting.updated_at))
        item.add("dtstart", meeting.starts_at.astimezone(zone))
        item.add("dtend", meeting.ends_at.astimezone(zone))
        item.add("summary", _("Working group: %(name)s") % {"name": meeting.group.name})
        item.add("location", meeting.place)
        if meeting.agenda:
            item.add("description", meeting.agenda)
        item.add("url", absolute_url(meeting.get_absolute_url()))
        calendar.add_component(item)

    for event in events:
        item = Event()
        item.add("uid", event_uid(event))
        item.add("dtstamp", stamp)
        item.add("last-modified", utc(event.updated_at))
        # All-day events: DTEND is the day after the last one (RFC 5545 §3.6.1).
        item.add("dtstart", event.starts_on)
        item.add("dtend", event.ends_on + datetime.timedelta(days=1))
        item.add("summary", event.name)
        item.add("location", event.place)
        if event.description:
            item.add("description", event.description)
        if event.website:
            item.add("url", event.website)
        calendar.add_component(item)

    return finish(calendar, days=[meeting.starts_at.astimezone(zone).date() for meeting in meetings])
