"""Counselling's iCalendar feeds (RFC 5545), written with the icalendar library: the partners'
permanences (public) and the workshops (for staff, and for the public).

Permanences: each occurrence is its own event (exceptions and closures already applied), with a UID
made of the permanence's UUID and its usual date, so a moved or cancelled occurrence updates the
event a calendar app already holds instead of adding one. Counsellors' names never appear.

Workshops: the public feed lists the workshops open to the public and not cancelled, with no staff
member's name; the staff feed keeps cancelled ones as STATUS:CANCELLED so a calendar that imported
them strikes them out. UIDs never change, so an app updates an event instead of duplicating it.
Times carry the centre's VTIMEZONE.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event

from cite.ical import centre_zone, finish, new_calendar, utc

UID_DOMAIN = "counselling.cite"


def build_feed(occurrences, *, page_url):
    """The public feed of the partners' permanences as bytes; each occurrence links to `page_url`."""
    stamp = utc(timezone.now())
    calendar = new_calendar(
        name=_("%(centre)s — partners' permanences") % {"centre": settings.CENTRE_NAME},
        product="planning",
        refresh=datetime.timedelta(hours=6),
    )
    occurrences = list(occurrences)
    for occurrence in occurrences:
        permanence = occurrence.permanence
        item = Event()
        item.add("uid", occurrence.uid)
        item.add("dtstamp", stamp)
        item.add("last-modified", utc(permanence.updated_at))
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
    return finish(calendar, days=[occurrence.date for occurrence in occurrences])


def workshop_uid(workshop):
    return f"workshop-{workshop.uid}@{UID_DOMAIN}"


def build_workshop_calendar(*, workshops, public, absolute_url=None):
    """The feed as bytes. Staff feeds link each event to its page (`absolute_url(path)`)."""
    zone = centre_zone()
    stamp = utc(timezone.now())
    name = (_("%(centre)s — workshops") if public else _("%(centre)s — workshops (staff)")) % {
        "centre": settings.CENTRE_NAME
    }
    calendar = new_calendar(name=name, product="counselling")

    workshops = list(workshops)
    for workshop in workshops:
        item = Event()
        item.add("uid", workshop_uid(workshop))
        item.add("dtstamp", stamp)
        item.add("last-modified", utc(workshop.updated_at))
        item.add("dtstart", workshop.starts_at.astimezone(zone))
        item.add("dtend", workshop.ends_at.astimezone(zone))
        item.add("summary", workshop.title)
        item.add("location", workshop.place)
        item.add("status", "CANCELLED" if workshop.is_cancelled else "CONFIRMED")
        item.add("categories", [workshop.get_kind_display()] + ([workshop.area.name] if workshop.area else []))
        lines = [workshop.description] if workshop.description else []
        institutions = [institution.name for institution in workshop.institutions.all()]
        if institutions:
            lines.append(_("With: %(institutions)s") % {"institutions": ", ".join(institutions)})
        if workshop.capacity:
            lines.append(_("Places: %(capacity)d") % {"capacity": workshop.capacity})
        if lines:
            item.add("description", "\n\n".join(lines))
        if not public and absolute_url:
            item.add("url", absolute_url(workshop.get_absolute_url()))
        calendar.add_component(item)

    return finish(calendar, days=[workshop.starts_at.astimezone(zone).date() for workshop in workshops])
