"""Filters for the list of agreements; dropdowns offer only what the user may see."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import AgreementStatus, InForce, OrganisationKind
from .models import Agreement, Organisation


class AgreementFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=Organisation.objects.none(), empty_label=_("All")
    )
    police_area = django_filters.ModelChoiceFilter(
        label=_("Local police area"), queryset=Organisation.objects.none(), empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=AgreementStatus.choices, empty_label=_("All")
    )
    in_force = django_filters.ChoiceFilter(
        label=_("In force"), choices=InForce.choices, method="filter_in_force", empty_label=_("All")
    )
    year = django_filters.NumberFilter(
        label=_("Year"), method="filter_year", min_value=1990, max_value=2100
    )

    class Meta:
        model = Agreement
        fields = ["q", "municipality", "police_area", "status", "in_force", "year"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Agreement.objects.visible_to(user)
        self.filters["municipality"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPALITY, pk__in=visible.values("municipality_id")
        )
        self.filters["police_area"].queryset = Organisation.objects.filter(
            pk__in=visible.values("police_area_id")
        )

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(reference__icontains=value)
            | Q(municipality__name__icontains=value)
            | Q(police_area__name__icontains=value)
            | Q(purpose__icontains=value)
        )

    def filter_in_force(self, queryset, name, value):
        return queryset.in_force(value) if value else queryset

    def filter_year(self, queryset, name, value):
        """Agreements whose period covers (part of) the year."""
        if value is None:
            return queryset
        year = int(value)
        return queryset.filter(valid_from__year__lte=year, valid_to__year__gte=year)
