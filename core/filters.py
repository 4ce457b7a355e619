"""The base of every list's FilterSet: a ``q`` search over ``search_fields`` and the user."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SearchFilterSet(django_filters.FilterSet):
    """A FilterSet for a list the user may see.

    * ``q`` searches ``search_fields`` (case-insensitive "contains"; a leading ``=`` means
      the whole value, as in the Django admin: ``"=code"``);
    * ``self.user`` is the user the list is for (the ``user`` argument, else the request's),
      so subclasses offer in their dropdowns only what that user may see.
    """

    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None else getattr(self.request, "user", None)

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value or not self.search_fields:
            return queryset
        matches = Q()
        for field in self.search_fields:
            if field.startswith("="):
                matches |= Q(**{f"{field[1:]}__iexact": value})
            else:
                matches |= Q(**{f"{field}__icontains": value})
        return queryset.filter(matches)
