"""Views of the actionplans app: thin, class-based; reads in selectors, writes in services.

Every object is fetched through ``visible_to`` (404 otherwise); writes check
``editable_by`` / ``reviewable_by`` (403 when the object is visible but not the user's to change).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView
from django_filters.views import FilterView

from agreements import access
from agreements.models import Agreement
from core import fragments
from core.choices import ReviewState
from core.tabular import NotASpreadsheet, read_table
from core.views import ServiceSaveMixin, VersionedUpdateMixin, add_service_error

from . import selectors, services, tabular
from .choices import ActivityStatus
from .filtersets import ActivityFilterSet
from .forms import (
    ActionPlanForm,
    ActivityForm,
    ActivityRoleFormSet,
    ActivityRowForm,
    ImportForm,
    ReviewForm,
    organisations_for,
)
from .models import ActionPlan, Activity
from .progress import STATUS_PROGRESS


def party_labels() -> dict[str, str]:
    return tabular.party_labels()


class RowUrls:
    """The URLs of a table's rows, each name reversed once (not once per row).

    ``reverse()`` runs the resolver for every call; a plan of 60 rows needs five URLs
    per row. Here each pattern is reversed with a sentinel and the row's pk put in its
    place, which is what ``reverse()`` would return (the patterns take an ``int`` pk).
    """

    SENTINEL = "2147483647"

    def __init__(self, **names: str):
        self.parts = {
            key: reverse(name, args=[int(self.SENTINEL)]).split(self.SENTINEL, 1)
            for key, name in names.items()
        }

    def for_pk(self, pk: int) -> dict[str, str]:
        return {key: f"{head}{pk}{tail}" for key, (head, tail) in self.parts.items()}


PLAN_ROW_URLS = {
    "detail": "actionplans:activity-detail",
    "row_edit": "actionplans:activity-row-edit",
    "move": "actionplans:activity-move",
    "submit": "actionplans:activity-submit",
}


# ---------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------


class PlanListView(LoginRequiredMixin, ListView):
    """The action plans the user may see."""

    template_name = "actionplans/actionplan_list.html"
    context_object_name = "plans"
    paginate_by = 50

    def get_queryset(self):
        return selectors.plans_visible_to(self.request.user).order_by(
            "agreement__municipality__name", "-valid_from", "pk"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreements_for_new_plan"] = selectors.agreements_managed_by(self.request.user)
        return context


class CurrentPlanView(LoginRequiredMixin, View):
    """ "Åtgärdsplan" in the main menu: the plan the user works by now
    (``selectors.current_plans``) — straight to it when there is one, a short choice when
    the user's municipalities have several, and a page that says what to do when none."""

    template_name = "actionplans/current_plan.html"

    def get(self, request, *args, **kwargs):
        plans = selectors.current_plans(request.user)
        if len(plans) == 1:
            return redirect(plans[0].get_absolute_url())
        context = {
            "plans": plans,
            "agreements_for_new_plan": []
            if plans
            else selectors.agreements_managed_by(request.user),
        }
        return render(request, self.template_name, context)


class PlanCreateView(LoginRequiredMixin, CreateView):
    """A new action plan for an agreement (coordinator of the municipality)."""

    form_class = ActionPlanForm
    template_name = "actionplans/actionplan_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.agreement = access.get_for_user(
            Agreement.objects.select_related("municipality"),
            request.user,
            pk=kwargs["agreement_pk"],
        )
        access.require(request.user, self.agreement, "manage")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {
            "title": _("Action plan %(agreement)s") % {"agreement": self.agreement.title},
            "valid_from": self.agreement.valid_from,
            "valid_to": self.agreement.valid_to,
        }

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = ActionPlan(agreement=self.agreement)
        return kwargs

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version_token"}
        try:
            self.object = services.plan_create(agreement=self.agreement, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The action plan was created."))
        return HttpResponseRedirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreement"] = self.agreement
        return context


class PlanUpdateView(LoginRequiredMixin, VersionedUpdateMixin, UpdateView):
    form_class = ActionPlanForm
    template_name = "actionplans/actionplan_form.html"
    context_object_name = "plan"

    def get_queryset(self):
        return selectors.plans_visible_to(self.request.user)

    def get_object(self, queryset=None):
        plan = super().get_object(queryset)
        access.require(self.request.user, plan)
        return plan

    def form_valid(self, form):
        response = super().form_valid(form)
        if response.status_code == 302:
            messages.success(self.request, _("The action plan was saved."))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreement"] = self.object.agreement
        return context


def plan_context(
    request, plan: ActionPlan, *, add_form=None, edit_form=None, edit_pk=None, conflicts=None
):
    """The plan page: its table, roll-up, change requests and in-place forms.

    The focus areas' tables are rendered here (``_plan_groups.html``) and, when no row is
    open or just changed, cached on the plan's data version and the viewer's rights
    (core.fragments): a plan is read far more often than it changes."""
    user = request.user
    can_edit = selectors.plan_is_editable(user=user, plan=plan)
    can_review = plan.agreement.police_area_id in access.reviews(user)
    all_editable = Activity.objects.all_editable_in(user, plan)
    if edit_pk is None:
        try:
            edit_pk = int(request.GET.get("edit", ""))
        except ValueError:
            edit_pk = None
    if not all_editable:
        edit_pk = None
    try:
        changed_pk = int(request.GET.get("changed", ""))
    except ValueError:
        changed_pk = None
    labels = party_labels()
    table = {}

    def build() -> dict:
        table.update(
            selectors.plan_table(user=user, plan=plan, labels=labels, all_editable=all_editable)
        )
        nonlocal edit_form, edit_pk
        rows = {r.activity.pk: r for g in table["groups"] for r in g.rows}
        if edit_pk not in rows:  # not a row of this plan: no row is opened
            edit_pk = None
        if edit_pk is not None and edit_form is None:
            activity = rows[edit_pk].activity
            edit_form = ActivityRowForm(
                instance=activity,
                plan=plan,
                columns=table["columns"],
                focus_areas=table["focus_areas"],
                prefix="row",
            )
            # The row just opened for editing takes the focus (htmx focuses it after the swap).
            next(iter(edit_form.fields.values())).widget.attrs["autofocus"] = True
        column_count = (
            6
            + len(table["columns"])
            + (1 if table["has_other_roles"] else 0)
            + (1 if can_edit or can_review else 0)
        )
        urls = RowUrls(**PLAN_ROW_URLS)
        done = _("%(progress)s %% done")  # translated once, not once per row
        for group in table["groups"]:
            for row in group.rows:
                row.urls = urls.for_pk(row.activity.pk)
                if row.progress is not None:
                    row.progress_text = done % {"progress": row.progress}
        context = {
            "plan": plan,
            **table,
            "can_edit": can_edit,
            "can_review": can_review,
            "edit_form": edit_form,
            "edit_pk": edit_pk,
            "changed_pk": changed_pk,
            "menu_open": request.GET.get("menu") == "1",
            "conflicts": conflicts,
            "column_count": column_count,
            "party_ids": [c.organisation.pk for c in table["columns"]],
        }
        return {
            "groups_html": render_to_string(
                "actionplans/includes/_plan_groups.html", context, request=request
            ),
            "plan_rollup_html": render_to_string(
                "actionplans/includes/_progress.html", {"rollup": table["plan_rollup"]}
            ),
            "activity_count": table["activity_count"],
            # for the form that adds a row (rendered outside the cached part)
            "columns": table["columns"],
            "focus_areas": table["focus_areas"],
        }

    if edit_pk is None and changed_pk is None and edit_form is None and conflicts is None:
        rights = (can_edit, can_review, all_editable)
        version = selectors.plan_table_version(plan)
        rendered = fragments.cached("plan-table", (plan.pk, version, *rights), build)
    else:
        rendered = build()
    # The form that adds a row costs as much as a screenful of rows: it is rendered when asked
    # for ("Lägg till en aktivitet", ?add=1), when it has errors, and on an empty plan.
    wants_add = request.GET.get("add") == "1" or not rendered["activity_count"]
    if can_edit and add_form is None and wants_add:
        add_form = ActivityRowForm(
            instance=Activity(plan=plan),
            plan=plan,
            columns=rendered["columns"],
            focus_areas=rendered["focus_areas"],
            prefix="new",
        )
        if request.GET.get("add") == "1":
            # Opened by the user: its first field takes the focus (htmx focuses [autofocus]).
            next(iter(add_form.fields.values())).widget.attrs["autofocus"] = True
    return {
        "plan": plan,
        "agreement": plan.agreement,
        **rendered,
        "change_requests": selectors.open_change_requests_for_plan(plan=plan),
        "can_edit": can_edit,
        "can_review": can_review,
        "add_form": add_form if can_edit else None,
        "changed_pk": changed_pk,
        "status_progress": [
            (ActivityStatus(s).label, value) for s, value in STATUS_PROGRESS.items()
        ],
    }


def changed_row_url(activity, *, menu: bool = False, add: bool = False) -> str:
    """The plan page after a change to ``activity``: the row is marked, confirmed and focused.

    ``menu``: the row's action menu stays open (after a move, so that the button pressed
    keeps the focus and the row can be moved on)."""
    extra = ("&menu=1" if menu else "") + ("&add=1" if add else "")
    return f"{activity.plan.get_absolute_url()}?changed={activity.pk}{extra}#activity-{activity.pk}"


class PlanDetailView(LoginRequiredMixin, DetailView):
    """The action plan as a table grouped by focus area, with progress rolled up."""

    template_name = "actionplans/actionplan_detail.html"
    context_object_name = "plan"

    def get_queryset(self):
        return selectors.plans_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(plan_context(self.request, self.object))
        return context


class _PlanRowMixin:
    """Shared by the in-place row forms: they answer with the plan page."""

    template_name = "actionplans/actionplan_detail.html"

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return redirect(self.plan_url(obj))

    def plan_url(self, obj) -> str:
        plan = obj if isinstance(obj, ActionPlan) else obj.plan
        return plan.get_absolute_url()


class ActivityCreateView(LoginRequiredMixin, _PlanRowMixin, UpdateView):
    """Add a row to the plan table (the form at the end of the table)."""

    model = ActionPlan

    def get_queryset(self):
        return selectors.plans_visible_to(self.request.user)

    def get_object(self, queryset=None):
        plan = super().get_object(queryset)
        access.require(self.request.user, plan)
        return plan

    def post(self, request, *args, **kwargs):
        self.object = plan = self.get_object()
        columns = selectors.party_columns(plan.agreement, party_labels())
        form = ActivityRowForm(
            request.POST, instance=Activity(plan=plan), plan=plan, columns=columns, prefix="new"
        )
        if form.is_valid():
            try:
                activity = services.activity_save(
                    activity=form.save(commit=False),
                    user=request.user,
                    party_roles=form.party_roles(),
                    sub_goals=form.cleaned_data.get("sub_goals"),
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The activity was added."))
                # The new row is marked, and the form stays open for the next one.
                return redirect(changed_row_url(activity, add=True))
        return self.render_to_response(plan_context(request, plan, add_form=form))


class ActivityRowEditView(
    LoginRequiredMixin, _PlanRowMixin, VersionedUpdateMixin, ServiceSaveMixin, UpdateView
):
    """Save a row edited in place in the plan table."""

    form_class = ActivityRowForm
    success_message = _lazy("The activity was saved.")

    def get_queryset(self):
        return (
            Activity.objects.visible_to(self.request.user)
            .select_related("plan__agreement__municipality", "plan__agreement__police_area")
            .prefetch_related(selectors.roles_prefetch())
        )

    def get_object(self, queryset=None):
        activity = super().get_object(queryset)
        access.require(self.request.user, activity)
        return activity

    def get_prefix(self):
        return "row"

    def get(self, request, *args, **kwargs):
        """The row's edit form alone, for htmx when "Edit" is opened (the plan page does
        not carry a form per row). Without htmx: the plan page with the row open."""
        self.object = activity = self.get_object()
        plan_url = activity.plan.get_absolute_url()
        if not request.htmx:
            return redirect(f"{plan_url}?edit={activity.pk}#activity-{activity.pk}")
        form = self.get_form()
        # The row just opened takes the focus (htmx focuses [autofocus] after the swap).
        next(iter(form.fields.values())).widget.attrs["autofocus"] = True
        try:
            column_count = min(max(int(request.GET.get("cols", "")), 1), 50)
        except ValueError:
            column_count = 10
        return render(
            request,
            "actionplans/includes/_row_editing.html",
            {
                "activity": activity,
                "plan": activity.plan,
                "edit_form": form,
                "column_count": column_count,
            },
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["plan"] = self.object.plan
        kwargs["columns"] = selectors.party_columns(self.object.plan.agreement, party_labels())
        return kwargs

    def save_object(self, form):
        return services.activity_save(
            activity=form.save(commit=False),
            user=self.request.user,
            version=form.cleaned_data.get("version_token"),
            party_roles=form.party_roles(),
            sub_goals=form.cleaned_data.get("sub_goals"),
        )

    def get_success_url(self):
        return changed_row_url(self.object)

    def get_context_data(self, **kwargs):
        return plan_context(
            self.request,
            self.object.plan,
            edit_form=kwargs.get("form"),
            edit_pk=self.object.pk,
            conflicts=kwargs.get("conflicts"),
        )


class ActivityMoveView(LoginRequiredMixin, View):
    """Move a row up or down within its focus area."""

    def post(self, request, pk):
        activity = access.get_for_user(Activity, request.user, pk=pk)
        access.require(request.user, activity.plan)
        direction = request.POST.get("direction")
        if direction in {"up", "down"}:
            renumbered = services.activity_move(activity=activity, direction=direction)
            messages.success(
                request,
                _("The activity was moved and the codes renumbered.")
                if renumbered
                else _("The activity was moved."),
            )
        return redirect(changed_row_url(activity, menu=True))


# ---------------------------------------------------------------------------
# Activities
# ---------------------------------------------------------------------------


class ActivityDetailView(LoginRequiredMixin, DetailView):
    """One activity: what, who, when, its review and its history."""

    template_name = "actionplans/activity_detail.html"
    context_object_name = "activity"

    def get_object(self, queryset=None):
        try:
            return selectors.activity_for_detail(user=self.request.user, pk=self.kwargs["pk"])
        except Activity.DoesNotExist as exc:
            raise Http404 from exc

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity = self.object
        user = self.request.user
        plan = activity.plan
        columns = selectors.party_columns(plan.agreement, party_labels())
        context["row"] = selectors.build_rows([activity], columns, set())[0]
        context["columns"] = columns
        context["can_edit"] = access.allows(user, activity)
        context["can_submit"] = (
            selectors.plan_is_editable(user=user, plan=plan)
            and activity.review_state != ReviewState.SUBMITTED
        )
        context["can_review"] = access.allows(user, activity, "review")
        context["review_form"] = kwargs.get("review_form") or (
            ReviewForm() if context["can_review"] else None
        )
        context["reviews"] = activity.reviews.select_related("reviewer")
        context["history"] = selectors.activity_history(activity=activity)
        context["causes"] = activity.causes.all()
        return context


class ActivityEditView(LoginRequiredMixin, VersionedUpdateMixin, UpdateView):
    """Edit the whole activity and the parties' roles; a stale save is refused."""

    form_class = ActivityForm
    template_name = "actionplans/activity_form.html"
    context_object_name = "activity"

    def get_queryset(self):
        return Activity.objects.visible_to(self.request.user).select_related(
            "plan__agreement__municipality", "plan__agreement__police_area"
        )

    def get_object(self, queryset=None):
        activity = super().get_object(queryset)
        access.require(self.request.user, activity)
        return activity

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["plan"] = self.object.plan
        return kwargs

    def get_role_formset(self):
        organisations = organisations_for(self.object.plan.agreement)
        data = self.request.POST if self.request.method == "POST" else None
        return ActivityRoleFormSet(
            data,
            instance=self.object,
            prefix="roles",
            form_kwargs={"organisations": organisations},
            queryset=self.object.roles.select_related("organisation"),
        )

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        self.role_formset = self.get_role_formset()
        if form.is_valid() and self.role_formset.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            if response.status_code != 302:
                transaction.set_rollback(True)
                return response
            self.role_formset.instance = self.object
            self.role_formset.save()
        messages.success(self.request, _("The activity was saved."))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["role_formset"] = getattr(self, "role_formset", None) or self.get_role_formset()
        context["plan"] = self.object.plan
        return context


class ActivitySubmitView(LoginRequiredMixin, View):
    """The coordinator sends an activity to the community police officer for review."""

    def post(self, request, pk):
        activity = access.get_for_user(
            Activity.objects.select_related("plan__agreement"), request.user, pk=pk
        )
        access.require(request.user, activity.plan)
        try:
            services.activity_submit_for_review(
                activity=activity,
                user=request.user,
                link=request.build_absolute_uri(activity.get_absolute_url()),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The activity was sent for review."))
        if request.POST.get("next") == "plan":
            return redirect(f"{activity.plan.get_absolute_url()}#activity-{activity.pk}")
        return redirect(f"{activity.get_absolute_url()}#review")


class ReviewCreateView(LoginRequiredMixin, View):
    """The community police officer approves, requests changes or comments."""

    def post(self, request, pk):
        activity = access.get_for_user(
            Activity.objects.select_related("plan__agreement"), request.user, pk=pk
        )
        access.require(request.user, activity, "review")
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.review_create(
                    activity=activity,
                    reviewer=request.user,
                    decision=form.cleaned_data["decision"],
                    comment=form.cleaned_data["comment"],
                    link=request.build_absolute_uri(activity.get_absolute_url()),
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Your review was saved."))
                return redirect(f"{activity.get_absolute_url()}#review")
        view = ActivityDetailView()
        view.setup(request, pk=pk)
        view.object = view.get_object()
        context = view.get_context_data(review_form=form)
        return view.render_to_response(context)


class _LabelledActivitiesMixin:
    """The activity table shows precomputed labels (see ``selectors.label_activities``)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["activities"] = selectors.label_activities(context["activities"])
        return context


class ReviewQueueView(LoginRequiredMixin, _LabelledActivitiesMixin, ListView):
    """Activities awaiting the community police officer's review."""

    template_name = "actionplans/review_queue.html"
    context_object_name = "activities"
    paginate_by = 50

    def get_queryset(self):
        return selectors.review_queue(self.request.user)


class ActivityListView(LoginRequiredMixin, _LabelledActivitiesMixin, FilterView):
    """Every activity the user may see, across plans, filtered and paginated.

    The table, its count and the page links are rendered once per user, query string and
    version of the data they show (``selectors.activity_list_version``) and cached
    (core.fragments); the filter form around them is rendered on every request."""

    filterset_class = ActivityFilterSet
    template_name = "actionplans/activity_list.html"
    context_object_name = "activities"
    paginate_by = 50
    strict = False

    def get_queryset(self):
        return selectors.activity_list(self.request.user)

    def get_context_data(self, **kwargs):
        request, user = self.request, self.request.user
        query = sorted((k, v) for k in request.GET for v in request.GET.getlist(k))
        filtered = {k for k, v in query if v}

        def build() -> dict:
            context = super(ActivityListView, self).get_context_data(**kwargs)
            table = {
                "activities": context["activities"],
                "caption": _("Activities"),
                "empty_text": _("No activities match the filters."),
            }
            return {
                "count": context["paginator"].count,
                "table_html": render_to_string(
                    "actionplans/includes/_activity_table.html", table, request=request
                ),
                "pagination_html": render_to_string(
                    "includes/_pagination.html", context, request=request
                ),
            }

        version = selectors.activity_list_version(filtered)
        rights = (user.pk, user.is_staff, user.is_superuser)
        rendered = fragments.cached("activity-list", (version, *rights, query), build)
        return {"filter": kwargs["filter"], "view": self, **rendered}


class ActivityFilterChoicesView(LoginRequiredMixin, View):
    """The options of one of the activity list's dropdowns, as JSON, for the user: the
    options the list's own filter form would offer (same scoping, same rules), loaded
    when the dropdown is used instead of with every page (issue 20).

    The query string is the filter form's current values (the chosen action plan narrows
    the focus areas, sub-goals, areas and forums); ``term`` keeps the options whose label
    contains it, at most ``LIMIT`` of them.
    """

    LIMIT = 1000

    def get(self, request, field):
        if field not in ActivityFilterSet.ON_DEMAND:
            raise Http404
        data = request.GET.copy()
        term = " ".join(data.pop("term", [""])[-1].split()).casefold()[:100]
        filterset = ActivityFilterSet(
            data,
            queryset=Activity.objects.none(),
            request=request,
            options_for=frozenset({field}),
        )
        widget = filterset.form.fields[field].widget
        options = [
            {"value": value, "label": label}
            for value, label in widget.option_list()
            if value and (not term or term in label.casefold())
        ]
        return JsonResponse(
            {"options": options[: self.LIMIT], "more": len(options) > self.LIMIT},
            headers={"Cache-Control": "private, no-store"},
        )


class ActivityExportView(LoginRequiredMixin, View):
    """The filtered activity list as CSV or XLSX, in the import's own format."""

    def get(self, request, fmt):
        queryset = selectors.activities_with_related(
            Activity.objects.visible_to(request.user)
        ).prefetch_related("causes")
        filterset = ActivityFilterSet(request.GET, queryset=queryset, request=request)
        activities = sorted(filterset.qs, key=tabular.plan_order)
        stamp = timezone.localdate().isoformat()
        plans = {a.plan_id: a.plan for a in activities}
        # One plan: the file is named after it ("atgardsplan-2024-2027-2026-12-02.xlsx").
        stem = slugify(next(iter(plans.values())).title) if len(plans) == 1 else ""
        stem = stem or "aktiviteter"
        if fmt == "xlsx":
            response = HttpResponse(
                tabular.export_xlsx(activities),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            name = f"{stem}-{stamp}.xlsx"
        elif fmt == "csv":
            response = HttpResponse(
                tabular.export_csv(activities), content_type="text/csv; charset=utf-8"
            )
            name = f"{stem}-{stamp}.csv"
        else:
            raise Http404
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class PlanImportView(LoginRequiredMixin, FormView):
    """Import a plan from XLSX/CSV: upload → preview → confirm; all rows or none."""

    form_class = ImportForm
    template_name = "actionplans/actionplan_import.html"
    SESSION_KEY = "actionplans-import"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.plan = get_object_or_404(selectors.plans_visible_to(request.user), pk=kwargs["pk"])
        access.require(request.user, self.plan)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["plan"] = self.plan
        context["columns"] = tabular.COLUMNS
        return context

    def post(self, request, *args, **kwargs):
        if "confirm" in request.POST:
            return self.confirm(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload.read())
        except NotASpreadsheet as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        result = tabular.check_import(plan=self.plan, table=table)
        token = ""
        if result.ok:
            token = uuid.uuid4().hex
            self.request.session[self.SESSION_KEY] = {
                "token": token,
                "plan": self.plan.pk,
                "table": table,
            }
        return self.render_to_response(
            self.get_context_data(form=form, result=result, token=token, filename=upload.name)
        )

    def confirm(self, request):
        stored = request.session.get(self.SESSION_KEY) or {}
        if stored.get("token") != request.POST.get("token") or stored.get("plan") != self.plan.pk:
            messages.error(request, _("The preview has expired. Upload the file again."))
            return redirect("actionplans:plan-import", pk=self.plan.pk)
        try:
            result = tabular.apply_import(plan=self.plan, table=stored["table"])
        except tabular.ImportFailed as exc:
            return self.render_to_response(
                self.get_context_data(form=self.get_form_class()(), result=exc.result, token="")
            )
        del request.session[self.SESSION_KEY]
        messages.success(
            request,
            _("The import is done: %(created_part)s, %(updated_part)s.")
            % {
                "created_part": ngettext(
                    "%(count)s new activity", "%(count)s new activities", result.created
                )
                % {"count": result.created},
                "updated_part": ngettext("%(count)s updated", "%(count)s updated", result.updated)
                % {"count": result.updated},
            },
        )
        return redirect(self.plan.get_absolute_url())
