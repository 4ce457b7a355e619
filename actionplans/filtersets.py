"""The activity list's filters; every dropdown lists only what the user may see."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements import access
from agreements.models import Agreement, Area, FocusArea, Organisation, SubGoal
from core.choices import ReviewState
from core.filters import SearchFilterSet
from core.forms import DateInput
from core.widgets import FastSelect, OnDemandSelect, ScopedChoices
from forums.models import Forum

from .choices import ActivityStatus, PartyRole
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
    return Organisation.objects.filter(Exists(used)).only("pk", "name")


def _parties(request):
    """The parties of the agreements the user may see (kommun, lokalpolisområde, others).

    A party's filter also matches roles held by its units (parent and grandparent), as
    the plan table's party columns do. Three ``IN`` lists over the visible agreements
    instead of an ``EXISTS`` with an ``OR`` over every activity role.
    """
    agreements = Agreement.objects.visible_to(request.user).order_by()
    others = Agreement.other_parties.through.objects.filter(
        agreement_id__in=agreements.values("pk")
    )
    return Organisation.objects.filter(
        Q(pk__in=agreements.values("municipality_id"))
        | Q(pk__in=agreements.values("police_area_id"))
        | Q(pk__in=others.values("organisation_id"))
    ).only("pk", "name")


class OnDemandChoiceFilter(django_filters.ModelChoiceFilter):
    """A dropdown of :class:`~core.widgets.OnDemandSelect` whose options load on demand:
    its scoped queryset is built only when it is needed — a value was chosen (it is checked
    against the queryset and its label shown), every option is asked for (no script), or the
    options endpoint asks for this dropdown. Otherwise the page carries no options, and
    building the user's scoped queryset (access rules over several models, for each of seven
    dropdowns) would cost more than the rest of the page (issue 20)."""

    def __init__(self, *args, model, **kwargs):
        self.options_model = model  # (``self.model`` is the FilterSet's model)
        super().__init__(*args, **kwargs)

    def get_queryset(self, request):
        parent = getattr(self, "parent", None)
        if parent is not None and not parent.wants_options(self.field_name):
            return self.options_model.objects.none()
        return super().get_queryset(request)


#: Up to this many visible agreements, the focus area, sub-goal, area and forum dropdowns
#: list everything the user may see; beyond it (staff who see the whole country) only
#: those of the chosen action plan, so a page does not carry thousands of options.
FEW_AGREEMENTS = 6


class ActivityFilterSet(SearchFilterSet):
    search_fields = ("title", "=code", "description", "effect_goal")
    plan = OnDemandChoiceFilter(
        label=_("Action plan"),
        queryset=_plans,
        empty_label=_("All"),
        widget=OnDemandSelect,
        model=ActionPlan,
    )
    focus_area = OnDemandChoiceFilter(
        label=_("Focus area"),
        queryset=_focus_areas,
        empty_label=_("All"),
        widget=OnDemandSelect,
        model=FocusArea,
    )
    sub_goal = OnDemandChoiceFilter(
        label=_("Sub-goal"),
        queryset=_sub_goals,
        method="filter_sub_goal",
        empty_label=_("All"),
        widget=OnDemandSelect,
        model=SubGoal,
    )
    responsible = OnDemandChoiceFilter(
        label=_("Responsible"),
        queryset=_responsible,
        empty_label=_("All"),
        widget=OnDemandSelect,
        model=Organisation,
    )
    party = OnDemandChoiceFilter(
        label=_("Party"),
        queryset=_parties,
        method="filter_noop",
        empty_label=_("All"),
        widget=OnDemandSelect,
        model=Organisation,
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"),
        choices=PartyRole.choices,
        method="filter_noop",
        empty_label=_("All"),
        widget=FastSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ActivityStatus.choices, empty_label=_("All"), widget=FastSelect
    )
    review_state = django_filters.ChoiceFilter(
        label=_("Review status"),
        choices=ReviewState.choices,
        empty_label=_("All"),
        widget=FastSelect,
    )
    area = OnDemandChoiceFilter(
        label=_("Area"),
        queryset=_areas,
        method="filter_area",
        empty_label=_("All"),
        widget=OnDemandSelect,
        model=Area,
    )
    forum = OnDemandChoiceFilter(
        label=_("Forum"),
        queryset=_forums,
        empty_label=_("All"),
        widget=OnDemandSelect,
        model=Forum,
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

    #: dropdown -> the path from its model to the agreement id or the municipality id
    SCOPED = {
        "focus_area": "agreement_id",
        "sub_goal": "focus_area__agreement_id",
        "area": "municipality_id",
        "forum": "municipality_id",
        "responsible": "activities",  # organisations responsible in the scope's activities
    }

    #: The dropdowns whose options load on demand (core.widgets.OnDemandSelect, the JSON
    #: of ``actionplans:activity-filter-choices``): a page carries only what is chosen.
    ON_DEMAND = ("plan", "focus_area", "sub_goal", "responsible", "party", "area", "forum")

    def __init__(self, *args, options_for: frozenset[str] = frozenset(), **kwargs):
        #: On-demand dropdowns whose options are wanted whatever is chosen (the endpoint's).
        self.options_for = options_for
        super().__init__(*args, **kwargs)

    def wants_options(self, name: str) -> bool:
        """Whether the dropdown ``name`` needs its scoped options (see OnDemandChoiceFilter)."""
        every = self.request is not None and self.request.GET.get("choices") == "all"
        return every or name in self.options_for or self._chosen(name) is not None

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            self._scope_choices(form)
            # Without script, "all choices" (?choices=all) lists every option in the page.
            every = self.request is not None and self.request.GET.get("choices") == "all"
            for name in self.ON_DEMAND:
                widget = form.fields[name].widget
                widget.choices_url = reverse("actionplans:activity-filter-choices", args=[name])
                widget.all_choices = every
        return self._form

    def _chosen(self, name: str) -> int | None:
        value = self.data.get(name) if self.data else None
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def _scope_choices(self, form) -> None:
        """Offer the focus areas, sub-goals, areas and forums of the chosen plan only, when
        the user sees many agreements. Validation still accepts everything visible.

        The same queries run whatever the data size (the query-count tests hold us to it).
        """
        plans = ActionPlan.objects.visible_to(self.user).order_by()
        plan_id = self._chosen("plan")
        if plan_id is not None:
            plans = plans.filter(pk=plan_id)
        scope = list(
            plans.values_list("agreement_id", "agreement__municipality_id").distinct()[
                : FEW_AGREEMENTS + 1
            ]
        )
        many = plan_id is None and len(scope) > FEW_AGREEMENTS
        if many:
            scope = []  # only what is chosen, and the hint
        agreement_ids = [a for a, _m in scope]
        municipality_ids = [m for _a, m in scope]
        focus_area = self._chosen("focus_area")
        for name, path in self.SCOPED.items():
            if not self.wants_options(name):
                continue  # nothing to list: the page carries no options for it
            field = form.fields[name]
            ids = municipality_ids if path == "municipality_id" else agreement_ids
            if name == "sub_goal" and focus_area is not None:
                shown = Q(focus_area_id=focus_area)
            elif path == "activities":
                used = Activity.objects.filter(
                    plan__agreement_id__in=agreement_ids, responsible=OuterRef("pk")
                )
                shown = Q(Exists(used))
                # The scope is visible already; organisations are no secret (the chosen
                # one is validated against the field's own queryset).
                options = Organisation.objects.filter(shown | Q(pk=self._chosen(name) or 0))
                field.widget.choices = ScopedChoices(field, options.only("pk", "name"))
                if many:
                    field.help_text = _("Choose an action plan to list its choices here.")
                continue
            else:
                shown = Q(**{f"{path}__in": ids})
            # The chosen option stays (0 keeps the query, and the count, the same if none).
            shown |= Q(pk=self._chosen(name) or 0)
            field.widget.choices = ScopedChoices(field, field.queryset.filter(shown))
            if many:
                field.help_text = _("Choose an action plan to list its choices here.")

    def filter_noop(self, queryset, name, value):
        return queryset  # party and role are applied together in filter_queryset

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
                roles = roles.filter(access.in_subtrees_q([party.pk], "organisation__"))
            if role:
                roles = roles.filter(role=role)
            queryset = queryset.filter(Exists(roles))
        return queryset
