"""Filters of the staff directories: institutions, contacts, agreements, working groups."""

import django_filters
from django import forms
from django.db.models import Q
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


def _areas(request):
    return Area.objects.active()


class InstitutionFilter(django_filters.FilterSet):
    q = SearchFilter(fields=["name", "description"])
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
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Agreement.Kind.choices, empty_label=_("All types"))
    ending_soon = django_filters.BooleanFilter(
        label=_("Ending soon"),
        method="filter_ending_soon",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Agreement
        fields = ["q", "stage", "kind", "ending_soon"]

    def filter_ending_soon(self, queryset, name, value):
        return queryset.ending_soon() if value else queryset


class WorkingGroupFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=WorkingGroup.Status.choices, empty_label=_("All statuses")
    )

    class Meta:
        model = WorkingGroup
        fields = ["status"]
