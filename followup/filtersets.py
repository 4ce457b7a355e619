"""Filters of the followup lists; dropdowns offer only what the user may see."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from actionplans.models import Activity
from agreements.choices import OrganisationKind
from agreements.models import Agreement, Organisation
from core.widgets import FastSelect

from .choices import DEVIATING_STATUSES, IndicatorSource, ReportStatus, UpdateStatus
from .models import FollowUpReport, Indicator


def _search():
    return django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class _AgreementScoped(django_filters.FilterSet):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["agreement"].queryset = Agreement.objects.visible_to(user).only("pk", "title")


class DeviationFilterSet(_AgreementScoped):
    q = _search()
    agreement = django_filters.ModelChoiceFilter(
        label=_("Agreement"),
        field_name="plan__agreement",
        queryset=Agreement.objects.none(),
        empty_label=_("All"),
        widget=FastSelect,  # staff see every agreement in the country
    )
    latest_status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(s.value, s.label) for s in UpdateStatus if s in DEVIATING_STATUSES],
        empty_label=_("All"),
    )

    class Meta:
        model = Activity
        fields = ["q", "agreement", "latest_status"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(code__icontains=value)
            | Q(responsible__name__icontains=value)
        )


class ReportFilterSet(_AgreementScoped):
    q = _search()
    agreement = django_filters.ModelChoiceFilter(
        label=_("Agreement"),
        queryset=Agreement.objects.none(),
        empty_label=_("All"),
        widget=FastSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ReportStatus.choices, empty_label=_("All")
    )

    class Meta:
        model = FollowUpReport
        fields = ["q", "agreement", "status"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(agreement__title__icontains=value))


class IndicatorFilterSet(django_filters.FilterSet):
    q = _search()
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=Organisation.objects.none(), empty_label=_("All")
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=IndicatorSource.choices, empty_label=_("All")
    )

    class Meta:
        model = Indicator
        fields = ["q", "municipality", "source"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["municipality"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPALITY,
            pk__in=Indicator.objects.visible_to(user).values("municipality_id"),
        )

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))
