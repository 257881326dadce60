"""The catalogue's filters (django-filter): full-text search, facets, sorting."""

import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from resources.languages import LANGUAGE_CHOICES
from resources.models import Record
from resources.selectors import RELEVANCE, parse_search, search_records


class ValuesField(forms.Field):
    """A list of short codes from the query string (?group=2&group=21), each checked by a pattern."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, pattern=r"^[\w-]{1,40}$", **kwargs):
        self.pattern = re.compile(pattern)
        super().__init__(**kwargs)

    def to_python(self, value):
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(item).strip() for item in values if str(item).strip()]

    def validate(self, value):
        super().validate(value)
        for item in value:
            if not self.pattern.match(item):
                raise forms.ValidationError(_("“%(value)s” is not a valid choice."), params={"value": item})


class ValuesFilter(django_filters.Filter):
    field_class = ValuesField


class RecordFilter(django_filters.FilterSet):
    SORTS = {
        "relevance": None,
        "newest": ("-created_at", "-id"),
        "title": ("title", "id"),
        "date": ("-date", "-id"),
    }

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search", widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=Record.Kind.choices, distinct=False)
    theme = ValuesFilter(label=_("Theme"), method="filter_theme")
    audience = django_filters.MultipleChoiceFilter(
        label=_("Audience"), choices=Record.Audience.choices, method="filter_audience"
    )
    language = django_filters.MultipleChoiceFilter(label=_("Language"), choices=LANGUAGE_CHOICES, distinct=False)
    group = ValuesFilter(label=_("Occupation group"), method="filter_group", pattern=r"^[0-9]{1,4}$")
    occupation = django_filters.NumberFilter(label=_("Occupation"), method="filter_occupation")
    centre = ValuesFilter(label=_("Source centre"), method="filter_centre", pattern=r"^(local|[0-9]{1,10})$")
    visibility = django_filters.MultipleChoiceFilter(
        label=_("Visibility"), choices=Record.Visibility.choices, distinct=False
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        method="filter_nothing",
        empty_label=None,
        choices=[
            ("relevance", _("relevance")),
            ("newest", _("newest first")),
            ("title", _("title")),
            ("date", _("publication date")),
        ],
    )

    # The words the sort was chosen for: new words typed in the same form sort by relevance again.
    sorted_q = django_filters.CharFilter(method="filter_nothing", widget=forms.HiddenInput)

    class Meta:
        model = Record
        fields = []

    def __init__(self, *args, public=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.search_text = ""
        self.tsquery = ""
        if public:
            for name in ("visibility", "centre"):
                del self.filters[name]

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_search(self, queryset, name, value):
        self.search_text = value.strip()[:200]
        if not self.search_text:
            return queryset
        self.tsquery = parse_search(self.search_text)
        return search_records(queryset, self.tsquery)

    def filter_theme(self, queryset, name, values):
        through = Record.areas.through.objects.filter(record_id=OuterRef("pk"), area__code__in=values)
        return queryset.filter(Exists(through))

    def filter_audience(self, queryset, name, values):
        return queryset.filter(audiences__overlap=values)

    def filter_group(self, queryset, name, values):
        return queryset.filter(isco_codes__overlap=values)

    def filter_occupation(self, queryset, name, value):
        through = Record.occupations.through.objects.filter(record_id=OuterRef("pk"), occupation_id=value)
        return queryset.filter(Exists(through))

    def filter_centre(self, queryset, name, values):
        condition = Q(source_centre_id__in=[int(value) for value in values if value.isascii() and value.isdigit()])
        if "local" in values:
            condition |= Q(source_centre__isnull=True)
        return queryset.filter(condition)

    @property
    def current_sort(self):
        """Relevance whenever words are typed, unless another order was chosen for these very words;
        newest first without words."""
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        sort = data.get("sort")
        if "sorted_q" in (self.data or {}) and (data.get("sorted_q") or "").strip()[:200] != self.search_text:
            sort = None  # the words changed since the order was chosen
        if sort not in self.SORTS:
            sort = "relevance" if self.search_text else "newest"
        if sort == "relevance" and not self.search_text:
            sort = "newest"
        return sort

    @property
    def default_sort(self):
        return "relevance" if self.search_text else "newest"

    def sort_choices(self):
        """(value, label, chosen) for the sort menu; relevance only makes sense with search words. The
        default order's value is empty, so a form sent with new words never carries an old order."""
        choices = self.filters["sort"].extra["choices"]
        return [
            ("" if value == self.default_sort else value, label, value == self.current_sort)
            for value, label in choices
            if value != "relevance" or self.search_text
        ]

    @property
    def ordering(self):
        """The current sort as order_by's fields (`RELEVANCE` ranks the words typed)."""
        return self.SORTS[self.current_sort] or RELEVANCE

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).order_by(*self.ordering)

    def selected(self):
        """{facet: [values]} chosen in the query string, for ticking the facets' boxes."""
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return {
            name: [str(value) for value in data.get(name) or []]
            for name in ("kind", "theme", "audience", "language", "group", "centre", "visibility")
        }
