"""cite's form renderer writes exactly the HTML Django's own form templates give.

Each check renders through `Both`, which renders every template cite writes in Python a second time
with Django's engine and fails on the first difference: on a form of every widget in every state
(unbound, initial values, refused with errors, without ids, with a prefix), and on every page of the
app and of the admin's add forms, as their own users open them.
"""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.contrib import admin
from django.forms.renderers import DjangoTemplates
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from cite.renderers import WRITTEN, FormRenderer
from tests.cite.test_access import PAGE_ROLES, POST_ONLY, URL_KWARGS
from tests.fuzz import rolled_back

SEEN = set()


class Both(FormRenderer):
    def render(self, template_name, context, request=None):
        ours = super().render(template_name, context, request=request)
        if template_name in WRITTEN:
            expected = DjangoTemplates.render(self, template_name, context, request=request)
            assert ours == expected, f"{template_name}:\n{ours!r}\n!=\n{expected!r}"
            SEEN.add(template_name)
        return ours


CHOICES = [("", "---"), ("a", "A & <B>"), ("Un groupe", [("g1", "Un"), ("g2", gettext_lazy("Two"))]), (3, 3)]


class EveryWidget(forms.Form):
    text = forms.CharField(label="Titre <b>", help_text="Aide & <i>sûre</i>", max_length=5)
    optional = forms.CharField(
        required=False,
        label=gettext_lazy("Name"),
        widget=forms.TextInput(attrs={"autofocus": True, "data-off": False, "placeholder": 'a "quote" & <tag>'}),
    )
    number = forms.IntegerField(min_value=0)
    decimal = forms.DecimalField(decimal_places=2)
    email = forms.EmailField()
    url = forms.URLField(assume_scheme="https")
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    when = forms.DateTimeField()
    time = forms.TimeField()
    upload = forms.FileField(required=False)
    plain_upload = forms.FileField(widget=forms.FileInput, required=False)
    flag = forms.BooleanField(required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    choice = forms.ChoiceField(choices=CHOICES)
    many = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    yes_no = forms.NullBooleanField()
    radio = forms.ChoiceField(widget=forms.RadioSelect, choices=CHOICES[1:2])
    boxes = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, choices=CHOICES[1:], required=False)
    grouped = forms.ChoiceField(widget=forms.RadioSelect(attrs={"class": "chips"}), choices=CHOICES[1:], required=False)
    unlabelled = forms.CharField(label="", required=False, widget=forms.SearchInput)
    colour = forms.CharField(required=False, widget=forms.ColorInput)
    phone = forms.CharField(required=False, widget=forms.TelInput)


INITIAL = {
    "text": mark_safe("<em>sûr</em>"),
    "optional": 'un "texte" & <b>',
    "number": 1234567,
    "decimal": Decimal("1234.50"),
    "hidden": "caché",
    "day": datetime.date(2026, 12, 7),
    "when": datetime.datetime(2026, 12, 7, 9, 30),
    "time": datetime.time(9, 5),
    "flag": True,
    "body": "ligne 1\n<ligne 2>",
    "choice": "g2",
    "many": ["a", "g1"],
    "yes_no": False,
    "radio": "a",
    "boxes": ["g1", 3],
}
REFUSED = {
    "text": "beaucoup trop long",
    "number": "-3",
    "decimal": "abc",
    "email": "pas une adresse",
    "url": "x",
    "day": "2026-02-30",
    "when": "demain",
    "time": "25:61",
    "body": "",
    "choice": "zzz",
    "many": ["zzz"],
    "yes_no": "peut-être",
    "radio": "y",
    "boxes": ["a", "zzz"],
}


def render_every_way(form):
    for field in form:
        str(field)
        field.as_field_group()
        field.label_tag()
        field.legend_tag()
        str(field.errors)
        if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            for choice in field:  # `{{ choice.tag }}`, a choice alone, with or without its label
                choice.tag()
                choice.tag(wrap_label=True)
    str(form)
    form.as_p()
    form.as_table()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_widget_in_every_state_is_written_as_django_writes_it(settings, language):
    from django.utils import translation

    settings.USE_THOUSAND_SEPARATOR = True  # numbers and dates localised as a template would
    SEEN.clear()
    with translation.override(language):
        for form in (
            EveryWidget(renderer=Both()),
            EveryWidget(initial=INITIAL, renderer=Both()),
            EveryWidget(data=REFUSED, renderer=Both()),
            EveryWidget(data={**REFUSED, "text": "ok"}, auto_id=False, renderer=Both()),
            EveryWidget(data={}, prefix="p", label_suffix=" :", renderer=Both()),
        ):
            form.is_bound and form.is_valid()
            render_every_way(form)
    assert set(WRITTEN) - {"django/forms/widgets/input.html", "django/forms/errors/list/ul.html"} == SEEN


def test_input_and_the_error_list_alone_are_written_as_django_writes_them():
    both = Both()
    widget = forms.widgets.Input(attrs={"class": "x"})
    widget.input_type = "week"
    assert both.render("django/forms/widgets/input.html", widget.get_context("w", "2026-W50", {"id": "id_w"}))
    errors = forms.utils.ErrorList(["Non & <non>", mark_safe("<b>oui</b>")], field_id="id_x")
    assert both.render("django/forms/errors/list/ul.html", errors.get_context())


def _first_reader(url_name):
    for persona in ("manager", "back_office", "counsellor", "reception"):
        if persona in PAGE_ROLES[url_name]:
            return persona
    return None


def test_every_page_renders_its_forms_as_django_would(client, personas, settings):
    settings.FORM_RENDERER = "tests.cite.test_renderer.Both"
    SEEN.clear()
    for url_name in sorted(set(PAGE_ROLES) - POST_ONLY):  # one test: the personas are made once
        with rolled_back():  # what a page's URL needs is made for it alone
            url = reverse(url_name, kwargs=URL_KWARGS.get(url_name, dict)())
            client.force_login(personas[_first_reader(url_name)])
            assert client.get(url).status_code == 200, url_name
    assert {"django/forms/widgets/select.html", "django/forms/widgets/radio.html"} <= SEEN


def test_every_admin_add_form_renders_as_django_would(admin_client, settings):
    settings.FORM_RENDERER = "tests.cite.test_renderer.Both"
    SEEN.clear()
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        assert admin_client.get(url).status_code in (200, 403), url  # 403: added by the app only
    assert {"django/forms/widgets/select.html", "django/forms/widgets/text.html"} <= SEEN
