"""Filters of today's list at reception."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from cite.models import Area
from reception.models import Ticket


class TodayFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Ticket.Status.choices, widget=forms.CheckboxSelectMultiple
    )
    area = django_filters.ModelChoiceFilter(label=_("Area"), queryset=Area.objects.active(), empty_label=_("All areas"))
    after = django_filters.TimeFilter(
        label=_("Arrived from"), method="arrived_after", widget=forms.TimeInput(attrs={"type": "time"})
    )
    before = django_filters.TimeFilter(
        label=_("Arrived until"), method="arrived_before", widget=forms.TimeInput(attrs={"type": "time"})
    )

    class Meta:
        model = Ticket
        fields = ["status", "area", "after", "before"]

    def arrived_after(self, queryset, name, value):
        return queryset.filter(arrived_at__time__gte=value)

    def arrived_before(self, queryset, name, value):
        return queryset.filter(arrived_at__time__lte=value)
