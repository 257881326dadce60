"""Forms of the statistics: the period to show, the year of the report, the files of other centres."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cite import dates
from cite.forms import MultipleFileField, MultipleFileInput
from cite.models import Area
from partners.models import Institution
from stats.figures import Scope
from stats.models import REPORT_COMMENT_MAX_LENGTH, REPORT_SECTIONS
from stats.periods import Kind, Period

LONGEST_PERIOD_DAYS = 3 * 366  # a custom period of at most three years: the comparison doubles it


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ScopeForm(forms.Form):
    """The filters of every statistics page: an area, a partner institution."""

    # Narrowing by area or partner institution, never by counsellor (no page ranks counsellors).
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.order_by("order", "letter"),
        required=False,
        empty_label=_("Every area"),
        error_messages={"invalid_choice": _("Choose an area of the list.")},
    )
    institution = forms.ModelChoiceField(
        label=_("Partner institution"),
        queryset=Institution.objects.order_by("name"),
        required=False,
        empty_label=_("Every institution"),
        help_text=_("The visits in which one of its counsellors held a session."),
        error_messages={"invalid_choice": _("Choose an institution of the list.")},
    )

    def chosen_scope(self):
        """The area and institution the visits are narrowed to (none when the form is empty or wrong)."""
        if not self.is_bound:
            return Scope()
        self.is_valid()  # a wrong date leaves the filters that were right
        area, institution = self.cleaned_data.get("area"), self.cleaned_data.get("institution")
        return Scope(area=area and area.pk, institution=institution and institution.pk)


class PeriodForm(ScopeForm):
    """A day, week, month or year around a date, or any range of days; this month when left empty."""

    period = forms.ChoiceField(label=_("Period"), choices=Kind.choices, initial=Kind.MONTH)
    date = dates.DateField(
        label=pgettext_lazy("period", "Including the day"),
        required=False,
        widget=_date_input(),
        help_text=_("Any day of the day, week, month or year to show."),
    )
    start = dates.DateField(label=_("From"), required=False, widget=_date_input())
    end = dates.DateField(label=_("To"), required=False, widget=_date_input())
    field_order = ["period", "date", "start", "end", "area", "institution"]

    PERIOD_FIELDS = ("period", "date", "start", "end")

    def _period_errors(self):
        return any(name in self.errors for name in (*self.PERIOD_FIELDS, "__all__"))

    def clean(self):
        data = super().clean()
        if self._period_errors():
            return data
        if data.get("period") == Kind.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not start:
                self.add_error("start", _("Give the first day of the period."))
            if not end:
                self.add_error("end", _("Give the last day of the period."))
            if start and end and end < start:
                self.add_error("end", _("The period must end on or after its first day."))
            elif start and end and (end - start).days + 1 > LONGEST_PERIOD_DAYS:
                self.add_error("end", _("A period lasts at most three years."))
        return data

    def chosen_period(self):
        """The period asked for (this month when the form is empty or wrong)."""
        if not self.is_bound or (not self.is_valid() and self._period_errors()):
            return default_period()  # a wrong filter alone keeps the period
        data = self.cleaned_data
        if data["period"] == Kind.CUSTOM:
            return Period.between(data["start"], data["end"])
        return Period.of(data["period"], data["date"] or timezone.localdate())

    @classmethod
    def for_period(cls, period, scope=None):
        """An unbound form showing `period` (and `scope`)."""
        initial = {"period": period.kind, "date": period.start, "start": period.start, "end": period.end}
        if scope:
            initial.update(area=scope.area, institution=scope.institution)
        return cls(initial=initial)


def querystring(period, scope=None, **extra):
    """The URL's query of a period and its filters: what every link, export and the report carry."""
    query = period.querystring()
    params = {"area": scope.area, "institution": scope.institution} if scope else {}
    params.update(extra)
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{query}&{urlencode(params)}" if params else query


def default_period():
    return Period.of(Kind.MONTH, timezone.localdate())


class ReportForm(ScopeForm):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    field_order = ["year", "area", "institution"]

    def __init__(self, *args, first_year=None, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        first_year = min(first_year or this_year, this_year)
        self.fields["year"].choices = [(year, str(year)) for year in range(this_year, first_year - 1, -1)]
        self.fields["year"].initial = this_year - 1 if this_year - 1 >= first_year else this_year

    def chosen_year(self):
        if self.is_bound and (self.is_valid() or "year" not in self.errors):
            return self.cleaned_data["year"]
        return self.fields["year"].initial


def max_upload_bytes():
    return settings.STATS_NETWORK_MAX_UPLOAD_KB * 1024


class NetworkUploadForm(forms.Form):
    files = MultipleFileField(
        widget=MultipleFileInput(attrs={"accept": ".json,application/json"}),
        label=_("Figures of other centres"),
        help_text=_("One or more files exported by other centres' cite (JSON, network figures format version 1)."),
        error_messages={"required": _("Choose at least one file.")},
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        limit = max_upload_bytes()
        for upload in files:
            if upload.size > limit:
                raise forms.ValidationError(
                    _("%(name)s is larger than %(size)s KB: it cannot be a network figures file."),
                    params={"name": upload.name, "size": limit // 1024},
                )
        return files


class ReportCommentForm(forms.Form):
    section = forms.ChoiceField(choices=[(key, key) for key in REPORT_SECTIONS], widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Commentary"),
        required=False,
        max_length=REPORT_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "A paragraph for the readers of the report: what stands out, why. No name or detail of a visitor; "
            "leave empty to remove it."
        ),
    )
