"""The workshops as an iCalendar feed (RFC 5545): for staff (a download), and for the public.

The public feed lists the workshops open to the public and not cancelled, with no staff member's
name; the staff feed keeps cancelled ones as STATUS:CANCELLED so a calendar that imported them
strikes them out. UIDs never change, so an app updates an event instead of duplicating it.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event

from cite.ical import centre_zone, finish, new_calendar, utc

UID_DOMAIN = "counselling.cite"


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
