"""Filters of the forum list; dropdowns list only what the user may see."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from agreements.models import Organisation
from core.filters import SearchFilterSet

from .choices import ForumKind
from .models import Forum


class ForumFilterSet(SearchFilterSet):
    search_fields = ("name", "abbreviation", "purpose", "chair")

    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"), queryset=Organisation.objects.none(), empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ForumKind.choices, empty_label=_("All")
    )
    is_active = django_filters.ChoiceFilter(
        label=_("Active"),
        choices=[("yes", _("Active")), ("no", _("Not active"))],
        empty_label=_("All"),
        method="filter_active",
    )

    class Meta:
        model = Forum
        fields = ["q", "municipality", "kind", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        visible = Forum.objects.visible_to(self.user).values("municipality_id")
        self.filters["municipality"].queryset = Organisation.objects.filter(pk__in=visible)

    def filter_active(self, queryset, name, value):
        if value in ("yes", "no"):
            return queryset.filter(is_active=value == "yes")
        return queryset
