"""Views of the followup app: reports, the fill-in screen, review, indicators and deviations.

Objects are fetched through ``visible_to(user)`` (404 when not visible); writes go
through :mod:`followup.services`, which check the user's rights (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, UpdateView
from django_filters.views import FilterView

from agreements import access
from agreements.models import Agreement, Organisation, SubGoal
from core.choices import ReviewState
from core.views import (
    ServiceSaveMixin,
    UserFilterMixin,
    VersionedUpdateMixin,
    add_service_error,
    message_service_error,
)

from . import charts, printing, selectors, services
from .filtersets import DeviationFilterSet, IndicatorFilterSet, ReportFilterSet
from .forms import (
    ActivityUpdateForm,
    CsvImportForm,
    GenerateReportsForm,
    IndicatorForm,
    IndicatorValueForm,
    ReportForm,
    ReviewForm,
    RhythmForm,
)
from .models import ActivityUpdate, FollowUpReport, FollowUpRhythm, Indicator

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def get_visible_report(user, pk) -> FollowUpReport:
    return get_object_or_404(
        selectors.reports_visible(user).select_related(
            "agreement__municipality", "agreement__police_area"
        ),
        pk=pk,
    )


def get_visible_agreement(user, pk) -> Agreement:
    return access.get_for_user(
        Agreement.objects.select_related("municipality", "police_area"), user, pk=pk
    )


def get_visible_indicator(user, pk) -> Indicator:
    return get_object_or_404(selectors.indicators_visible(user), pk=pk)


# ---------------------------------------------------------------------------
# Deviations
# ---------------------------------------------------------------------------


class DeviationListView(LoginRequiredMixin, UserFilterMixin, FilterView):
    """Activities whose latest update is at risk or delayed, and for how long."""

    filterset_class = DeviationFilterSet
    template_name = "followup/deviation_list.html"
    paginate_by = 25

    def get_queryset(self):
        return selectors.deviating_activities(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["deviations"] = selectors.describe_deviations(context["object_list"])
        return context


# ---------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------


class ReportListView(LoginRequiredMixin, UserFilterMixin, FilterView):
    filterset_class = ReportFilterSet
    template_name = "followup/followupreport_list.html"
    paginate_by = 25

    def get_queryset(self):
        return selectors.reports_visible(self.request.user).order_by("-period_end", "pk")


class ReportDetailView(LoginRequiredMixin, DetailView):
    """The council's report: summary, status per focus area, deviations first, trends."""

    template_name = "followup/followupreport_detail.html"
    context_object_name = "report"

    def get_object(self, queryset=None):
        return get_visible_report(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        user = self.request.user
        context.update(printing.report_context(report, user))
        context["is_coordinator"] = report.agreement.municipality_id in access.edits(user)
        context["can_review"] = access.approves_updates(user, report.agreement)
        if context["is_coordinator"] and report.is_open:
            context["reporting"] = selectors.reporting_by_unit(report)
        return context


class ReportPdfView(LoginRequiredMixin, View):
    """The council's report as a PDF. An approved report's PDF is the one stored at
    approval, served byte for byte (its SHA-256 is on the report's page)."""

    def get(self, request, pk):
        from core.pdf import PdfError, pdf_response
        from core.pdfjobs import pdf_or_progress

        report = get_visible_report(request.user, pk)
        if not report.approved_pdf:
            # An open report is printed by the background worker (core.pdfjobs).
            return pdf_or_progress(
                request,
                template_name="followup/report_pdf.html",
                context=printing.report_context(report, request.user),
                title=report.title,
                author=str(report.agreement.municipality),
                filename=printing.pdf_file_name(report),
            )
        try:
            pdf = printing.read_approved_pdf(report)
        except (PdfError, OSError) as exc:
            # The record is missing or altered: say so, never serve something else.
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
        return pdf_response(pdf, filename=printing.pdf_file_name(report))


class ReportCreateView(LoginRequiredMixin, ServiceSaveMixin, CreateView):
    form_class = ReportForm
    template_name = "followup/followupreport_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.agreement = get_visible_agreement(request.user, kwargs["agreement_pk"])
        if self.agreement.municipality_id not in access.edits(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agreement": self.agreement}

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, **kwargs)

    def save_object(self, form):
        plan = self.agreement.plans.order_by("-valid_from", "-pk").first()
        form.instance.plan = plan
        return services.report_save(report=form.instance, user=self.request.user)


class ReportUpdateView(LoginRequiredMixin, VersionedUpdateMixin, ServiceSaveMixin, UpdateView):
    form_class = ReportForm
    template_name = "followup/followupreport_form.html"
    context_object_name = "report"

    def get_object(self, queryset=None):
        report = get_visible_report(self.request.user, self.kwargs["pk"])
        if report.agreement.municipality_id not in access.edits(self.request.user):
            raise PermissionDenied
        return report

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agreement": self.object.agreement}

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.object.agreement, **kwargs)

    def save_object(self, form):
        return services.report_save(
            report=form.instance,
            user=self.request.user,
            version=form.cleaned_data.get("version_token"),
        )


class ReportTransitionView(LoginRequiredMixin, View):
    """POST: submit, approve or reopen a report."""

    #: action -> (service, success message). An action without a message is carried out by
    #: the task worker (approving prints and stores the PDF): its service queues a background
    #: action and the user is sent to its page, which follows it.
    actions = {
        "submit": (services.report_submit, _("The report has been submitted.")),
        "approve": (services.report_approve_start, None),
        "reopen": (services.report_reopen, _("The report has been reopened.")),
    }

    def post(self, request, pk):
        report = get_visible_report(request.user, pk)
        action = self.actions.get(request.POST.get("action", ""))
        if action is None:
            messages.error(request, _("Unknown action."))
            return HttpResponseRedirect(report.get_absolute_url())
        func, done = action
        extra = {"reason": request.POST.get("reason", "")} if func is services.report_reopen else {}
        try:
            outcome = func(report=report, user=request.user, **extra)
        except ValidationError as exc:
            message_service_error(request, exc)
            return HttpResponseRedirect(report.get_absolute_url())
        if done is None:
            return HttpResponseRedirect(outcome.get_absolute_url())
        messages.success(request, str(done))
        return HttpResponseRedirect(report.get_absolute_url())


class RhythmView(LoginRequiredMixin, View):
    """An agreement's follow-up rhythm, and generating a year's reports from it."""

    template_name = "followup/followuprhythm_form.html"

    def setup_objects(self, request, agreement_pk):
        self.agreement = get_visible_agreement(request.user, agreement_pk)
        self.rhythm = FollowUpRhythm.objects.filter(agreement=self.agreement).first()
        self.can_edit = self.agreement.municipality_id in access.edits(request.user)

    def render(self, request, form=None, generate_form=None, status=200):
        from django.shortcuts import render

        reports = self.agreement.reports.select_related("presented_to").order_by("period_end", "pk")
        rhythm = self.rhythm or FollowUpRhythm(agreement=self.agreement)
        return render(
            request,
            self.template_name,
            {
                "agreement": self.agreement,
                "rhythm": self.rhythm,
                "can_edit": self.can_edit,
                "form": form
                or RhythmForm(instance=rhythm, agreement=self.agreement, prefix="rhythm"),
                "generate_form": generate_form or GenerateReportsForm(prefix="generate"),
                "reports": reports,
            },
            status=status,
        )

    def get(self, request, agreement_pk):
        self.setup_objects(request, agreement_pk)
        return self.render(request)

    def post(self, request, agreement_pk):
        self.setup_objects(request, agreement_pk)
        if not self.can_edit:
            raise PermissionDenied
        if request.POST.get("action") == "generate":
            form = GenerateReportsForm(request.POST, prefix="generate")
            if form.is_valid():
                try:
                    created = services.reports_create_for_year(
                        agreement=self.agreement, year=form.cleaned_data["year"], user=request.user
                    )
                except ValidationError as exc:
                    add_service_error(form, exc)
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)s report created.", "%(count)s reports created.", len(created)
                        )
                        % {"count": len(created)}
                        if created
                        else _("The year's reports already exist."),
                    )
                    return HttpResponseRedirect(request.path)
            return self.render(request, generate_form=form)
        rhythm = self.rhythm or FollowUpRhythm(agreement=self.agreement)
        form = RhythmForm(request.POST, instance=rhythm, agreement=self.agreement, prefix="rhythm")
        if form.is_valid():
            from core.models import StaleVersionError

            try:
                services.rhythm_save(
                    rhythm=form.instance,
                    user=request.user,
                    version=form.cleaned_data.get("version_token"),
                )
            except StaleVersionError:
                form.add_error(
                    None,
                    _(
                        "Someone else saved this in the meantime. Nothing of yours was saved. "
                        "Reload the page and try again."
                    ),
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(request.path)
        return self.render(request, form=form)


# ---------------------------------------------------------------------------
# Filling in a report, row by row
# ---------------------------------------------------------------------------


def _row_form(row: selectors.FillRow, data=None):
    return ActivityUpdateForm(data, instance=row.update, prefix=f"u{row.activity.pk}")


class ReportFillView(LoginRequiredMixin, DetailView):
    """Every activity of the plan, each with its own form saved on its own."""

    template_name = "followup/report_fill.html"
    context_object_name = "report"

    def get_object(self, queryset=None):
        return get_visible_report(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = selectors.report_fill_rows(self.object, self.request.user)
        for row in rows:
            if row.editable:
                row.form = _row_form(row)
        context["rows"] = rows
        context["editable_count"] = sum(1 for r in rows if r.editable)
        context["is_coordinator"] = self.object.agreement.municipality_id in access.edits(
            self.request.user
        )
        return context


class UpdateEditView(LoginRequiredMixin, VersionedUpdateMixin, ServiceSaveMixin, UpdateView):
    """One row: GET shows it alone, POST saves it (htmx swaps the row in place)."""

    form_class = ActivityUpdateForm
    template_name = "followup/activityupdate_form.html"

    def get_object(self, queryset=None):
        user = self.request.user
        self.report = get_visible_report(user, self.kwargs["pk"])
        # A unit's reporter reaches only the activities the unit reports on (404 otherwise).
        activity = get_object_or_404(
            selectors.report_activities_for(self.report, user).select_related(
                "focus_area", "responsible", "plan"
            ),
            pk=self.kwargs["activity_pk"],
        )
        self.activity = activity
        update = self.report.updates.filter(activity=activity).first()
        self.previous = None
        if update is None:
            self.previous = selectors.previous_updates(self.report, [activity.pk]).get(activity.pk)
            update = selectors.prefilled_update(self.report, activity, self.previous)
        update.report, update.activity = self.report, activity
        if not access.reports(user, self.report.agreement, activity):
            raise PermissionDenied
        return update

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "prefix": f"u{self.activity.pk}"}

    def get_template_names(self):
        if getattr(self.request, "htmx", False):
            return ["followup/includes/_update_row.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        update = self.object
        editable = self.report.is_open and update.is_editable_state
        context["report"] = self.report
        context["is_coordinator"] = self.report.agreement.municipality_id in access.edits(
            self.request.user
        )
        context["row"] = selectors.FillRow(
            self.activity, update, self.previous, editable, context["form"]
        )
        return context

    def save_object(self, form):
        return services.activity_update_save(
            update=form.instance,
            user=self.request.user,
            version=form.cleaned_data.get("version_token"),
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        if getattr(self.request, "htmx", False) and response.status_code == 302:
            # Show the saved row in place, with a fresh form on the new version.
            self.object = ActivityUpdate.objects.get(pk=self.object.pk)
            self.object.report, self.object.activity = self.report, self.activity
            form = self.get_form_class()(instance=self.object, prefix=f"u{self.activity.pk}")
            return self.render_to_response(self.get_context_data(form=form, saved=True))
        return response

    def get_success_url(self):
        return reverse("followup:report-fill", args=[self.report.pk]) + (
            f"#activity-{self.activity.pk}"
        )


class UpdateActionView(LoginRequiredMixin, View):
    """POST on one update: submit it for review, or review it (approve / return)."""

    def post(self, request, pk):
        update = access.get_for_user(
            ActivityUpdate.objects.select_related("report__agreement", "activity"),
            request.user,
            pk=pk,
        )
        action = request.POST.get("action")
        try:
            if action == "submit":
                services.update_submit(update=update, user=request.user)
                messages.success(request, _("The update has been submitted for review."))
            elif action in ("approve", "return"):
                if not access.approves_updates(request.user, update.report.agreement):
                    raise PermissionDenied
                form = ReviewForm({"decision": action, "comment": request.POST.get("comment", "")})
                if not form.is_valid():
                    for errors in form.errors.values():
                        for message in errors:
                            messages.error(request, message)
                elif action == "approve":
                    services.update_approve(
                        update=update, user=request.user, comment=form.cleaned_data["comment"]
                    )
                    messages.success(request, _("The update has been approved."))
                else:
                    services.update_return(
                        update=update, user=request.user, comment=form.cleaned_data["comment"]
                    )
                    messages.success(request, _("The update has been returned for changes."))
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as exc:
            message_service_error(request, exc)
        next_url = request.POST.get("next", "")
        if next_url not in ("review", "fill"):
            next_url = "fill"
        name = "followup:report-review" if next_url == "review" else "followup:report-fill"
        return HttpResponseRedirect(
            reverse(name, args=[update.report_id]) + f"#activity-{update.activity_id}"
        )


class ReportRemindView(LoginRequiredMixin, View):
    """POST: the coordinator reminds one unit's reporters of the updates they owe."""

    def post(self, request, pk):
        report = get_visible_report(request.user, pk)
        if report.agreement.municipality_id not in access.edits(request.user):
            raise PermissionDenied
        try:
            unit_id = int(request.POST.get("unit", ""))
        except ValueError:
            unit_id = 0
        try:
            sent = services.report_remind(report=report, unit_id=unit_id, user=request.user)
        except ValidationError as exc:
            message_service_error(request, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "A reminder was sent to %(count)s reporter.",
                    "A reminder was sent to %(count)s reporters.",
                    sent,
                )
                % {"count": sent},
            )
        return HttpResponseRedirect(report.get_absolute_url() + "#reporting")


class UpdateNotReportedView(LoginRequiredMixin, View):
    """POST: the coordinator marks one activity as not reported in the report, with a reason."""

    def post(self, request, pk, activity_pk):
        report = get_visible_report(request.user, pk)
        if report.agreement.municipality_id not in access.edits(request.user):
            raise PermissionDenied
        activity = get_object_or_404(report.activities(), pk=activity_pk)
        try:
            services.update_mark_not_reported(
                report=report,
                activity=activity,
                user=request.user,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            message_service_error(request, exc)
        else:
            messages.success(
                request, _("%(activity)s is marked as not reported.") % {"activity": activity}
            )
        return HttpResponseRedirect(
            reverse("followup:report-fill", args=[report.pk]) + f"#activity-{activity.pk}"
        )


class ReportReviewView(LoginRequiredMixin, DetailView):
    """The review queue of a report: submitted updates with approve / return."""

    template_name = "followup/report_review.html"
    context_object_name = "report"

    def get_object(self, queryset=None):
        report = get_visible_report(self.request.user, self.kwargs["pk"])
        if not access.approves_updates(self.request.user, report.agreement):
            raise PermissionDenied
        return report

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        updates = self.object.updates.select_related(
            "activity", "activity__responsible", "author"
        ).order_by("activity__position", "pk")
        context["submitted"] = [u for u in updates if u.review_state == ReviewState.SUBMITTED]
        context["others"] = [u for u in updates if u.review_state != ReviewState.SUBMITTED]
        # Four eyes: what the user wrote is not offered for approval (the service refuses it).
        context["own"] = {
            u.pk for u in context["submitted"] if not access.approves_update(self.request.user, u)
        }
        return context


# ---------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------


class IndicatorListView(LoginRequiredMixin, UserFilterMixin, FilterView):
    filterset_class = IndicatorFilterSet
    template_name = "followup/indicator_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.indicators_visible(self.request.user)


class IndicatorDetailView(LoginRequiredMixin, DetailView):
    """An indicator: what it rests on, its trend as a chart and the numbers as a table."""

    template_name = "followup/indicator_detail.html"
    context_object_name = "indicator"

    def get_object(self, queryset=None):
        return get_object_or_404(
            selectors.indicators_visible(self.request.user).prefetch_related("sub_goals"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicator = self.object
        values = list(selectors.indicator_values(indicator))
        trend = selectors.trend_for(indicator, values)
        context["values"] = values
        context["trend"] = trend
        trend["svg"] = charts.indicator_trend_svg(trend)
        context["can_edit"] = indicator.municipality_id in access.edits(self.request.user)
        return context


class IndicatorFormMixin(ServiceSaveMixin):
    form_class = IndicatorForm
    template_name = "followup/indicator_form.html"

    def get_form_kwargs(self):
        municipalities = Organisation.objects.edited_by(self.request.user)
        return {
            **super().get_form_kwargs(),
            "municipalities": municipalities,
            "sub_goals": SubGoal.objects.filter(
                focus_area__agreement__municipality__in=municipalities
            ).select_related("focus_area"),
        }

    def save_object(self, form):
        return services.indicator_save(
            indicator=form.save(commit=False),
            user=self.request.user,
            version=form.cleaned_data.get("version_token"),
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        if response.status_code == 302:
            form.save_m2m()
        return response


class IndicatorCreateView(LoginRequiredMixin, IndicatorFormMixin, CreateView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.edits(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class IndicatorUpdateView(LoginRequiredMixin, VersionedUpdateMixin, IndicatorFormMixin, UpdateView):
    context_object_name = "indicator"

    def get_object(self, queryset=None):
        indicator = get_visible_indicator(self.request.user, self.kwargs["pk"])
        if indicator.municipality_id not in access.edits(self.request.user):
            raise PermissionDenied
        return indicator


class IndicatorChildMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.indicator = get_visible_indicator(request.user, kwargs["pk"])
        if self.indicator.municipality_id not in access.edits(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(indicator=self.indicator, **kwargs)

    def get_success_url(self):
        return self.indicator.get_absolute_url()


class IndicatorValueCreateView(
    LoginRequiredMixin, IndicatorChildMixin, ServiceSaveMixin, CreateView
):
    form_class = IndicatorValueForm
    template_name = "followup/indicatorvalue_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "indicator": self.indicator}

    def save_object(self, form):
        return services.indicator_value_save(value=form.instance, user=self.request.user)


class IndicatorImportView(LoginRequiredMixin, IndicatorChildMixin, FormView):
    """CSV import of an indicator's values: all rows or none, errors by line."""

    form_class = CsvImportForm
    template_name = "followup/indicator_import.html"

    def form_valid(self, form):
        try:
            result = services.indicator_values_import(
                indicator=self.indicator, upload=form.cleaned_data["file"], user=self.request.user
            )
        except services.CsvImportError as exc:
            return self.render_to_response(
                self.get_context_data(form=form, import_errors=exc.errors), status=200
            )
        messages.success(
            self.request,
            _("Imported: %(created_part)s, %(updated_part)s.")
            % {
                "created_part": ngettext(
                    "%(count)s new value", "%(count)s new values", result.created
                )
                % {"count": result.created},
                "updated_part": ngettext("%(count)s replaced", "%(count)s replaced", result.updated)
                % {"count": result.updated},
            },
        )
        return HttpResponseRedirect(self.get_success_url())
