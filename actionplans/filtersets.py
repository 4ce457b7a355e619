"""The activity list's filters; every dropdown lists only what the user may see."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from agreements.forms_base import DateInput
from agreements.models import Area, FocusArea, Organisation, SubGoal
from forums.models import Forum

from .choices import ActivityStatus, PartyRole, ReviewStatus
from .models import ActionPlan, Activity, ActivityRole


def _plans(request):
    return ActionPlan.objects.visible_to(request.user).select_related("agreement")


def _focus_areas(request):
    return FocusArea.objects.visible_to(request.user).select_related("agreement")


def _sub_goals(request):
    return SubGoal.objects.visible_to(request.user)


def _areas(request):
    return Area.objects.visible_to(request.user)


def _forums(request):
    return Forum.objects.visible_to(request.user)


def _visible_activities(request):
    return Activity.objects.visible_to(request.user)


def _responsible(request):
    used = _visible_activities(request).filter(responsible=OuterRef("pk"))
    return Organisation.objects.filter(Exists(used))


def _parties(request):
    visible = _visible_activities(request).values("pk")
    used = ActivityRole.objects.filter(activity__in=visible).filter(
        Q(organisation=OuterRef("pk"))
        | Q(organisation__parent=OuterRef("pk"))
        | Q(organisation__parent__parent=OuterRef("pk"))
    )
    return Organisation.objects.filter(Exists(used))


class ActivityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    plan = django_filters.ModelChoiceFilter(
        label=_("Action plan"), queryset=_plans, empty_label=_("All")
    )
    focus_area = django_filters.ModelChoiceFilter(
        label=_("Focus area"), queryset=_focus_areas, empty_label=_("All")
    )
    sub_goal = django_filters.ModelChoiceFilter(
        label=_("Sub-goal"), queryset=_sub_goals, method="filter_sub_goal", empty_label=_("All")
    )
    responsible = django_filters.ModelChoiceFilter(
        label=_("Responsible"), queryset=_responsible, empty_label=_("All")
    )
    party = django_filters.ModelChoiceFilter(
        label=_("Party"), queryset=_parties, method="filter_noop", empty_label=_("All")
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=PartyRole.choices, method="filter_noop", empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ActivityStatus.choices, empty_label=_("All")
    )
    review_status = django_filters.ChoiceFilter(
        label=_("Review status"), choices=ReviewStatus.choices, empty_label=_("All")
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area"), queryset=_areas, method="filter_area", empty_label=_("All")
    )
    forum = django_filters.ModelChoiceFilter(
        label=_("Forum"), queryset=_forums, empty_label=_("All")
    )
    period_from = django_filters.DateFilter(
        label=_("Active from"), method="filter_period_from", widget=DateInput()
    )
    period_to = django_filters.DateFilter(
        label=_("Active until"), method="filter_period_to", widget=DateInput()
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def filter_noop(self, queryset, name, value):
        return queryset  # party and role are applied together in filter_queryset

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(code__iexact=value)
            | Q(description__icontains=value)
            | Q(effect_goal__icontains=value)
        )

    def filter_sub_goal(self, queryset, name, value):
        through = Activity.sub_goals.through.objects.filter(
            activity_id=OuterRef("pk"), subgoal_id=value.pk
        )
        return queryset.filter(Exists(through))

    def filter_area(self, queryset, name, value):
        through = Activity.areas.through.objects.filter(
            activity_id=OuterRef("pk"), area_id=value.pk
        )
        return queryset.filter(Exists(through))

    def filter_period_from(self, queryset, name, value):
        return queryset.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=value))

    def filter_period_to(self, queryset, name, value):
        return queryset.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=value))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        party = self.form.cleaned_data.get("party")
        role = self.form.cleaned_data.get("role")
        if party or role:
            roles = ActivityRole.objects.filter(activity_id=OuterRef("pk"))
            if party:
                roles = roles.filter(
                    Q(organisation=party)
                    | Q(organisation__parent=party)
                    | Q(organisation__parent__parent=party)
                )
            if role:
                roles = roles.filter(role=role)
            queryset = queryset.filter(Exists(roles))
        return queryset
