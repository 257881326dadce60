"""cite's form renderer: Django's own form templates, with the commonest ones written in Python.

Django renders every field of a form through templates: the field group, its label, its errors, its
widget, and for a list each option, each of them including `attrs.html`. A form page renders about a
hundred small templates (the record form: 20 fields, 61 `attrs.html`), which was most of the time of
a page of forms. The templates below give exactly the HTML Django's do (`tests/cite/test_renderer.py`
renders both and compares them, on a form of every widget and on the app's form pages); any other
template name, a custom widget's or an option with its own template, goes to Django's engine as before.
"""

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"
# The widgets whose template is `{% include "django/forms/widgets/input.html" %}` and a new line.
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
}
SELECT_OPTION = f"{WIDGETS}select_option.html"
CHOICE_OPTIONS = {f"{WIDGETS}radio_option.html", f"{WIDGETS}checkbox_option.html"}  # input_option.html and a new line

_CONTEXT = Context()  # autoescape on, the active language's formats and time zone: as a form template


def _value(value):
    """`{{ value }}` in a form template: localised and escaped unless already safe."""
    return render_value_in_context(value, _CONTEXT)


def _string(value):
    """`{{ value|stringformat:'s' }}`: str(), escaped unless the value was safe."""
    return conditional_escape(value if hasattr(value, "__html__") else str(value))


def _attrs(attrs):
    """django/forms/widgets/attrs.html and django/forms/attrs.html."""
    return "".join(
        f" {_value(name)}" if value is True else f' {_value(name)}="{_string(value)}"'
        for name, value in (attrs or {}).items()
        if value is not False
    )


def _input(widget):
    value = "" if widget["value"] is None else f' value="{_string(widget["value"])}"'
    return f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"{value}{_attrs(widget["attrs"])}>\n'


def _options_written(widget, templates):
    """Whether every option of a list widget has one of `templates`, the ones written here."""
    return all(
        option["template_name"] in templates for _group, options, _index in widget["optgroups"] for option in options
    )


def _select(widget):
    if not _options_written(widget, {SELECT_OPTION}):
        return None  # an option with a template of its own: Django's engine renders it
    parts = [f'<select name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_value(group_name)}">')
        for option in group_choices:
            value, label = _string(option["value"]), _value(option["label"])
            parts.append(f'\n  <option value="{value}"{_attrs(option["attrs"])}>{label}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _choice(option):
    """radio_option.html or checkbox_option.html: input_option.html (an input in its label), each
    template's new line after it."""
    html = _input(option)  # with the new line its template ends with
    if option["wrap_label"]:
        labelled = f' for="{_value(option["attrs"]["id"])}"' if option["attrs"].get("id") else ""
        html = f"<label{labelled}>{html} {_value(option['label'])}</label>"
    return f"{html}\n\n"


def _choices(widget):
    """multiple_input.html (radio.html, checkbox_select.html): each choice in a <div>."""
    if not _options_written(widget, CHOICE_OPTIONS):
        return None  # as for a select
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{_value(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{_value(attrs["class"])}"')
    parts.append(">")
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_value(group)}</label>")
        parts.extend(f"<div>\n    {_choice(option)}</div>" for option in options)
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n")
    return "".join(parts)


def _textarea(widget):
    value = _value(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>\n'


def _field(field):
    """django/forms/field.html: the label (or legend), the help, the errors and the widget."""
    if field.use_fieldset:
        described = field.aria_describedby
        described = f' aria-describedby="{_value(described)}"' if described else ""
        opening = f"\n  <fieldset{described}>\n  {_value(field.legend_tag()) if field.label else ''}\n"
    else:
        opening = f"\n  {_value(field.label_tag()) if field.label else ''}\n"
    help_text = ""
    if field.help_text:
        helped = f' id="{_value(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{helped}>{field.help_text}</div>'  # |safe: help texts are written as HTML
    closing = "</fieldset>" if field.use_fieldset else ""
    return f"{opening}\n{help_text}\n{_value(field.errors)}\n{_value(field)}{closing}\n"


def _errors(errors, error_class):
    """django/forms/errors/list/default.html (its ul.html)."""
    if not errors:
        return ""
    field_id = f' id="{_value(errors.field_id)}_error"' if errors.field_id else ""
    items = "".join(f"<li>{_value(error)}</li>" for error in errors)
    return f'<ul class="{_value(error_class)}"{field_id}>{items}</ul>'


def _label(context):
    """django/forms/label.html."""
    if not context["use_tag"]:
        return f"{_value(context['label'])}\n"
    tag = _value(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_value(context['label'])}</{tag}>\n"


WRITTEN = {
    **dict.fromkeys(INPUTS, lambda context: _input(context["widget"])),
    f"{WIDGETS}input.html": lambda context: _input(context["widget"]),
    f"{WIDGETS}select.html": lambda context: _select(context["widget"]),
    f"{WIDGETS}radio.html": lambda context: _choices(context["widget"]),
    f"{WIDGETS}checkbox_select.html": lambda context: _choices(context["widget"]),
    # One choice alone, `{{ choice.tag }}` in a template that writes its own label.
    **dict.fromkeys(CHOICE_OPTIONS, lambda context: _choice(context["widget"])),
    f"{WIDGETS}textarea.html": lambda context: _textarea(context["widget"]),
    "django/forms/field.html": lambda context: _field(context["field"]),
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": lambda context: _errors(context["errors"], context["error_class"]),
    "django/forms/errors/list/ul.html": lambda context: _errors(context["errors"], context["error_class"]),
}


class FormRenderer(DjangoTemplates):
    """Django's DjangoTemplates renderer, the templates of WRITTEN answered without the engine."""

    def render(self, template_name, context, request=None):
        written = WRITTEN.get(template_name)
        if written is not None:
            html = written(context)
            if html is not None:
                # Every value above was escaped unless already safe, as in the template; stripped, as
                # Django's renderer strips what a template gives.
                return mark_safe(html.strip())  # noqa: S308
        return super().render(template_name, context, request=request)
