"""Filters of the staff directories: institutions, contacts, agreements, working groups."""

import django_filters
from django import forms
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from cite.models import Area
from partners.models import Agreement, Contact, Institution, WorkingGroup


class SearchFilter(django_filters.CharFilter):
    """One box that looks in several fields, accents and case ignored (PostgreSQL's unaccent)."""

    def __init__(self, *args, fields, **kwargs):
        kwargs.setdefault("label", _("Search"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "search"}))
        super().__init__(*args, **kwargs)
        self.fields = fields

    def filter(self, queryset, value):
        value = value.strip()
        if not value:
            return queryset
        query = Q()
        for field in self.fields:
            query |= Q(**{f"{field}__unaccent__icontains": value})
        return queryset.filter(query)


class Unaccented(models.Func):
    """unaccent(lower(text)): what the tolerant search compares."""

    function = "unaccent"
    output_field = models.TextField()

    def __init__(self, expression, **extra):
        super().__init__(Lower(expression), **extra)


# How close a name must be to what was typed (pg_trgm's word similarity, 0 to 1): "mision locale"
# finds "Mission Locale", "france travial" finds "France Travail", "cci" does not find "AFPA".
NAME_SIMILARITY = 0.45


class TolerantSearchFilter(SearchFilter):
    """The library's approach for names: accents and case ignored (unaccent), typos forgiven
    (pg_trgm word similarity on the name), exact fragments of the other fields still found; the
    closest names first."""

    def __init__(self, *args, name_field="name", **kwargs):
        super().__init__(*args, **kwargs)
        self.name_field = name_field

    def filter(self, queryset, value):
        value = " ".join(value.split())
        if not value:
            return queryset
        typed = Unaccented(models.Value(value))
        queryset = queryset.annotate(
            search_score=TrigramWordSimilarity(typed, Unaccented(self.name_field)),
        )
        query = Q(search_score__gte=NAME_SIMILARITY)
        for field in self.fields:
            query |= Q(**{f"{field}__unaccent__icontains": value})
        return queryset.filter(query).order_by("-search_score", *queryset.query.order_by)


def _areas(request):
    return Area.objects.active()


class InstitutionFilter(django_filters.FilterSet):
    q = TolerantSearchFilter(fields=["name", "description"])
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Institution.Kind.choices, empty_label=_("All kinds"))
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), field_name="areas", queryset=_areas, empty_label=_("All areas")
    )
    is_active = django_filters.BooleanFilter(
        label=_("Partnership"),
        widget=forms.Select(choices=[("", _("Current and former")), ("true", _("Current")), ("false", _("Former"))]),
    )

    class Meta:
        model = Institution
        fields = ["q", "kind", "area", "is_active"]


class ContactFilter(django_filters.FilterSet):
    q = SearchFilter(fields=["name", "role", "email", "institution__name"])
    kind = django_filters.ChoiceFilter(
        label=_("Kind of institution"),
        field_name="institution__kind",
        choices=Institution.Kind.choices,
        empty_label=_("All kinds"),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), field_name="institution__areas", queryset=_areas, empty_label=_("All areas")
    )

    class Meta:
        model = Contact
        fields = ["q", "kind", "area"]


class AgreementFilter(django_filters.FilterSet):
    q = SearchFilter(fields=["title", "institution__name"])
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Agreement.Stage.choices, empty_label=_("All stages"))
    renewal_due = django_filters.BooleanFilter(
        label=_("To renew"), field_name="renewal_due", widget=forms.CheckboxInput, method="filter_renewal_due"
    )
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Agreement.Kind.choices, empty_label=_("All types"))
    ending_soon = django_filters.BooleanFilter(
        label=_("Ending soon"),
        method="filter_ending_soon",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Agreement
        fields = ["q", "stage", "kind", "ending_soon", "renewal_due"]

    def filter_renewal_due(self, queryset, name, value):
        return queryset.filter(renewal_due=True) if value else queryset

    def filter_ending_soon(self, queryset, name, value):
        return queryset.ending_soon() if value else queryset


class WorkingGroupFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=WorkingGroup.Status.choices, empty_label=_("All statuses")
    )

    class Meta:
        model = WorkingGroup
        fields = ["status"]
