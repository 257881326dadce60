"""Template helpers of reception."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def minutes(duration):
    """A wait or a duration as people say it: "< 1 min", "12 min", "1 h 05"."""
    if duration is None:
        return "—"
    total = int(duration.total_seconds() // 60)
    if total < 1:
        return _("< 1 min")
    if total < 60:
        return _("%(minutes)d min") % {"minutes": total}
    return _("%(hours)d h %(minutes)02d") % {"hours": total // 60, "minutes": total % 60}


@register.filter
def fill_minutes(message, minutes):
    """A translated message with a `{minutes}` placeholder, the form static/js/display.js fills too."""
    return message.replace("{minutes}", str(minutes))
