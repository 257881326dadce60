"""Forms of the front desk and the desk panel."""

from django import forms
from django.core.cache import caches
from django.db import connection
from django.http import QueryDict
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cite.models import Area
from cite.pii import validate_no_personal_data
from reception.models import AgeBand, Feedback, Gender, HeardFrom, ResidenceZone, Situation, TicketEvent

NOT_ASKED = pgettext_lazy("profile answer", "Not asked")
RETURN_IS_NO_FIRST_VISIT = _(
    "A visitor who quotes a return code has come before: answer “Has come before” or check the code."
)


class ProfileChoiceField(forms.ModelChoiceField):
    """One optional question of the anonymous profile, answered with a quick choice."""

    widget = forms.RadioSelect

    def __init__(self, model, label):
        # blank=True keeps the "not asked" choice, which Django drops from radio buttons otherwise.
        super().__init__(
            model.objects.filter(is_active=True), required=False, blank=True, label=label, empty_label=NOT_ASKED
        )

    def label_from_instance(self, item):
        return item.label


class ProfileForm(forms.Form):
    """The anonymous profile's six optional questions: one form part shared by every page that welcomes
    a visitor (the front desk, a walk-in at a desk), rendered by reception/includes/profile_fields.html.

    Subclass it and add the fields of the page (the area...); `profile()` gives the answers as the
    keyword arguments of Ticket's profile fields.
    """

    first_visit = forms.TypedChoiceField(
        label=_("First visit?"),
        choices=[("", NOT_ASKED), ("yes", _("First visit")), ("no", _("Has come before"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    age_band = ProfileChoiceField(AgeBand, _("Age"))
    situation = ProfileChoiceField(Situation, _("Situation"))
    gender = ProfileChoiceField(Gender, _("Gender"))
    residence_zone = ProfileChoiceField(ResidenceZone, _("Lives in"))
    heard_from = ProfileChoiceField(HeardFrom, _("Heard of us through"))

    PROFILE_FIELDS = ["first_visit", "age_band", "situation", "gender", "residence_zone", "heard_from"]

    def profile_fields(self):
        return [self[name] for name in self.PROFILE_FIELDS]

    def profile(self):
        return {name: self.cleaned_data[name] for name in self.PROFILE_FIELDS}


PROFILE_LIST_MODELS = (AgeBand, Situation, Gender, ResidenceZone, HeardFrom)
_LIST_ROW = (
    "SELECT '{table}' AS list, id, code AS key, label_fr AS fr, label_en AS en, \"order\" FROM {table} WHERE is_active"
)
_AREA_ROW = "SELECT 'area', id, letter, name_fr, name_en, \"order\" FROM {table} WHERE is_active"
_LIST_ROWS = " UNION ALL ".join(
    [
        *(_LIST_ROW.format(table=model._meta.db_table) for model in PROFILE_LIST_MODELS),
        _AREA_ROW.format(table=Area._meta.db_table),
    ]
)
PROFILE_LISTS_DIGEST = f"""
SELECT md5(COALESCE(string_agg(concat_ws(chr(31), list, id, key, fr, en, "order"), chr(30) ORDER BY list, id), ''))
  FROM ({_LIST_ROWS}) lists
"""  # noqa: S608 (our own table names, no input)


def kept_rendered(name, render):
    """The HTML `render()` gives of a blank form built on ProfileForm, kept in the worker's memory (the
    queue cache) under the state of the lists it offers and the language: one query a page instead of
    building the lists and rendering each of their choices."""
    key = f"blank-form:{name}:{get_language()}:{profile_lists_digest()}"
    return caches["queue"].get_or_set(key, render, timeout=24 * 3600)


def profile_lists_digest():
    """A digest of what a blank ProfileForm (and its area) offers: every active answer of the profile's
    lists and every active area, with their labels in both languages and their order. One query; a
    blank form rendered under the digest (and the language) stays right until one of them changes."""
    with connection.cursor() as cursor:
        cursor.execute(PROFILE_LISTS_DIGEST)
        return cursor.fetchone()[0]


class IssueTicketForm(ProfileForm):
    """The area is the only answer needed; every profile question may stay unasked."""

    area = forms.ModelChoiceField(
        Area.objects.active(),
        label=_("Area"),
        error_messages={"required": _("Choose the area the visitor comes for.")},
    )

    new_return_code = forms.BooleanField(
        label=_("Give a return code"),
        required=False,
        help_text=_("Printed on the ticket: quoted on a later visit, it shows the counsellor earlier sessions."),
    )
    quoted_return_code = forms.CharField(
        label=_("Return code quoted by the visitor"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "placeholder": "K7P-4QX"}),
    )

    def clean_quoted_return_code(self):
        from reception.services import find_return_code

        quoted = self.cleaned_data["quoted_return_code"].strip()
        if not quoted:
            return None
        code = find_return_code(quoted)
        if code is None:
            raise forms.ValidationError(
                _("No return code %(code)s: check it with the visitor (it may have been erased)."),
                params={"code": quoted},
            )
        return code

    def clean(self):
        data = super().clean()
        if data.get("new_return_code") and data.get("quoted_return_code"):
            self.add_error("new_return_code", _("The visitor already has a return code: no need for a new one."))
        if data.get("quoted_return_code"):
            # Quoting a code is the visitor saying they have come before: that answer is theirs, not a
            # guess. Their other answers are not copied from the earlier visit (they may have changed).
            if data.get("first_visit") is True:
                self.add_error(None, RETURN_IS_NO_FIRST_VISIT)
            else:
                data["first_visit"] = False
        return data

    @classmethod
    def with_answers(cls, data, answers):
        """A blank form showing what `data` held (nothing typed is lost) with the profile's six answers taken
        from `answers` (a query string, as a frequent profile's button posts it): the buttons without
        JavaScript. An answer that is not on its list any more is left unasked."""
        answers = QueryDict(answers[:200] if isinstance(answers, str) else "")  # six answers fit in far less
        initial = {name: data.get(name) for name in ("new_return_code", "quoted_return_code")}
        form = cls(initial=initial)
        for name in cls.PROFILE_FIELDS:
            try:
                form.fields[name].clean(answers.get(name, ""))
            except forms.ValidationError:
                continue
            form.initial[name] = answers.get(name, "")
        return form

    def return_code(self):
        """The quoted code, True for a new one, or None."""
        return self.cleaned_data["quoted_return_code"] or self.cleaned_data["new_return_code"] or None


class CancelTicketForm(forms.Form):
    """Cancelling a ticket asks why (a short list, never free text): the choice is the confirmation."""

    reason = forms.ChoiceField(
        label=_("Why cancel it?"),
        choices=TicketEvent.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why the ticket is cancelled.")},
    )


class TransferTicketForm(forms.Form):
    """Send a waiting ticket to another area's queue, keeping its place."""

    area = forms.ModelChoiceField(
        Area.objects.active(),
        label=_("Send to the area"),
        error_messages={"required": _("Choose the area to send the ticket to.")},
    )

    def __init__(self, *args, ticket=None, **kwargs):
        super().__init__(*args, **kwargs)
        if ticket is not None:
            self.fields["area"].queryset = Area.objects.active().exclude(pk=ticket.area_id)


class FeedbackForm(forms.Form):
    """Two optional questions and a short comment, after the visit; nothing that says who answered."""

    RATINGS = [(str(value), str(value)) for value in range(1, 6)]

    found = forms.ChoiceField(
        label=_("Did you find what you came for?"),
        choices=Feedback.Found.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    rating = forms.TypedChoiceField(
        label=_("How would you rate your visit, from 1 (poor) to 5 (excellent)?"),
        choices=RATINGS,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("A word to add? (optional)"),
        help_text=_("No name, email or phone number, please: your answer stays anonymous."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_no_personal_data],
    )
