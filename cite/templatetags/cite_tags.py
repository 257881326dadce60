"""Template helpers shared by every app."""

from django import template

from cite.roles import ROLE_LABELS

register = template.Library()


@register.filter
def role_label(name):
    """The translated label of a role (a group's name), or the name itself for other groups."""
    return ROLE_LABELS.get(name, name)
