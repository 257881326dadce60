"""Template helpers shared by every app."""

from django import template

from cite.renderers import written_input
from cite.roles import ROLE_LABELS

register = template.Library()


@register.filter
def role_label(name):
    """The translated label of a role (a group's name), or the name itself for other groups."""
    return ROLE_LABELS.get(name, name)


@register.filter
def choice_input(choice):
    """The <input> of one choice of a radio or checkbox list (a BoundWidget): the HTML `choice.tag`
    gives (django/forms/widgets/input.html), written by cite's form renderer instead of rendering a
    template for each choice, which was most of the time of a page of forms with lists of choices (the
    session form, the anonymous profile)."""
    return written_input(choice.data)
