"""Template helpers shared by every app."""

from django import template
from django.utils.html import format_html, format_html_join

from cite.roles import ROLE_LABELS

register = template.Library()


@register.filter
def role_label(name):
    """The translated label of a role (a group's name), or the name itself for other groups."""
    return ROLE_LABELS.get(name, name)


@register.filter
def choice_input(choice):
    """The <input> of one choice of a radio or checkbox list (a BoundWidget): the HTML `choice.tag`
    gives (django/forms/widgets/input.html), written here instead of rendering a template for each
    choice, which was most of the time of a page of forms with lists of choices (the session form,
    the anonymous profile)."""
    data = choice.data
    value = "" if data["value"] is None else format_html(' value="{}"', str(data["value"]))
    attrs = format_html_join(
        "",
        " {}{}",
        (
            (name, "" if given is True else format_html('="{}"', str(given)))
            for name, given in data["attrs"].items()
            if given is not False
        ),
    )
    return format_html('<input type="{}" name="{}"{}{}>', data["type"], data["name"], value, attrs)
