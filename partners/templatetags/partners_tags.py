"""Template helpers of partners: phone numbers people can read and dial."""

from django import template

from partners.validators import format_phone

register = template.Library()


@register.filter
def phone(value):
    """+33123456789 → 01 23 45 67 89 here, +41 22 123 45 67 for a number abroad."""
    return format_phone(value)


@register.filter
def tel_href(value):
    """A tel: link for a number kept in international form."""
    return f"tel:{value}" if value else ""
