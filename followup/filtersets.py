"""Filters of the followup lists; dropdowns offer only what the user may see."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from actionplans.models import Activity
from agreements.choices import OrganisationKind
from agreements.models import Agreement, Organisation
from core.filters import SearchFilterSet
from core.widgets import FastSelect

from .choices import DEVIATING_STATUSES, IndicatorSource, ReportStatus, UpdateStatus
from .models import FollowUpReport, Indicator


class _AgreementScoped(SearchFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["agreement"].queryset = Agreement.objects.visible_to(self.user).only(
            "pk", "title"
        )


class DeviationFilterSet(_AgreementScoped):
    search_fields = ("title", "code", "responsible__name")

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


class ReportFilterSet(_AgreementScoped):
    search_fields = ("title", "agreement__title")

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


class IndicatorFilterSet(SearchFilterSet):
    search_fields = ("name", "description")

    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=Organisation.objects.none(), empty_label=_("All")
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=IndicatorSource.choices, empty_label=_("All")
    )

    class Meta:
        model = Indicator
        fields = ["q", "municipality", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["municipality"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPALITY,
            pk__in=Indicator.objects.visible_to(self.user).values("municipality_id"),
        )
