"""Filters for the list of agreements; dropdowns offer only what the user may see."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import SearchFilterSet

from .choices import AgreementStatus, InForce, OrganisationKind
from .models import Agreement, Organisation


class AgreementFilterSet(SearchFilterSet):
    search_fields = ("title", "reference", "municipality__name", "police_area__name", "purpose")

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Agreement.objects.visible_to(self.user)
        self.filters["municipality"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPALITY, pk__in=visible.values("municipality_id")
        )
        self.filters["police_area"].queryset = Organisation.objects.filter(
            pk__in=visible.values("police_area_id")
        )

    def filter_in_force(self, queryset, name, value):
        return queryset.in_force(value) if value else queryset

    def filter_year(self, queryset, name, value):
        """Agreements whose period covers (part of) the year."""
        if value is None:
            return queryset
        year = int(value)
        return queryset.filter(valid_from__year__lte=year, valid_to__year__gte=year)
