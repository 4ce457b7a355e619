"""Views of the forums app: thin, class-based; reads via selectors, writes via forms and services.

Every object is fetched through ``visible_to(user)`` (404 otherwise); every write
checks ``editable_by(user)`` (403 when the user may see but not edit).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import (
    CreateView,
    DetailView,
    FormView,
    ListView,
    TemplateView,
    UpdateView,
)
from django_filters.views import FilterView

from agreements import access
from core.views import UserFilterMixin, VersionedUpdateMixin

from . import selectors, services
from .filtersets import ForumFilterSet
from .forms import (
    AttendanceForm,
    DecisionForm,
    ForumForm,
    ForumSeatForm,
    MeetingForm,
    MeetingSeriesForm,
    PeriodForm,
)
from .ical import calendar_response
from .models import Forum, ForumSeat, Meeting, MeetingDecision


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError beside the fields it names (or above the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class ForumAccessMixin(LoginRequiredMixin):
    """Fetch the forum named by ``forum_pk``/``pk`` that the user may see; 403 for writes."""

    forum_kwarg = "pk"
    needs_edit = False

    @cached_property
    def forum(self) -> Forum:
        forum = get_object_or_404(
            selectors.forum_detail_queryset(user=self.request.user),
            pk=self.kwargs[self.forum_kwarg],
        )
        if self.needs_edit and not self.can_edit_forum(forum):
            raise PermissionDenied
        return forum

    def can_edit_forum(self, forum: Forum) -> bool:
        return access.allows(self.request.user, forum)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forum"] = self.forum
        return context


# ---------------------------------------------------------------------------
# Forums
# ---------------------------------------------------------------------------


class ForumListView(LoginRequiredMixin, UserFilterMixin, FilterView):
    """The forums of the municipalities the user may see, with filters."""

    filterset_class = ForumFilterSet
    template_name = "forums/forum_list.html"
    paginate_by = 50
    context_object_name = "forums"

    def get_queryset(self):
        return selectors.forum_list(user=self.request.user).order_by(
            "municipality__name", "name", "pk"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = bool(access.edits(self.request.user))
        return context


class ForumTreeView(LoginRequiredMixin, TemplateView):
    """The organisation of forums per municipality as a nested list, printable."""

    template_name = "forums/forum_tree.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            municipality_id = int(self.request.GET.get("municipality") or 0) or None
        except ValueError:
            municipality_id = None
        context["trees"] = selectors.forum_tree(
            user=self.request.user, municipality_id=municipality_id
        )
        return context


class ForumDetailView(LoginRequiredMixin, DetailView):
    """Purpose, seats, agreements, activities, reports, meetings and representation."""

    template_name = "forums/forum_detail.html"
    context_object_name = "forum"

    def get_queryset(self):
        return selectors.forum_detail_queryset(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, forum = self.request.user, self.object
        context.update(selectors.forum_related(user=user, forum=forum))
        period = PeriodForm(self.request.GET or None)
        start, end = selectors.default_period()
        if period.is_valid():
            start = period.cleaned_data.get("start") or start
            end = period.cleaned_data.get("end") or end
            if end < start:
                start, end = selectors.default_period()
        else:
            period = PeriodForm(initial={"start": start, "end": end})
        context["period_form"] = period
        context["representation"] = selectors.representation_for_forums(
            [forum], start=start, end=end
        )[forum.pk]
        context["can_edit"] = access.allows(user, forum)
        return context


class ForumCreateView(LoginRequiredMixin, CreateView):
    model = Forum
    form_class = ForumForm
    template_name = "forums/forum_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.edits(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("The forum was created."))
        return response


class ForumUpdateView(VersionedUpdateMixin, ForumAccessMixin, UpdateView):
    needs_edit = True
    form_class = ForumForm
    template_name = "forums/forum_form.html"

    def get_object(self, queryset=None):
        return self.forum

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        response = super().form_valid(form)
        if response.status_code == 302:
            messages.success(self.request, _("The forum was saved."))
        return response


# ---------------------------------------------------------------------------
# Seats
# ---------------------------------------------------------------------------


class SeatAccessMixin(ForumAccessMixin):
    """Seat views name the seat; the forum is the seat's."""

    needs_edit = True

    @cached_property
    def seat(self) -> ForumSeat:
        return access.get_for_user(
            ForumSeat.objects.select_related("forum"), self.request.user, pk=self.kwargs["pk"]
        )

    @cached_property
    def forum(self) -> Forum:
        forum = self.seat.forum
        if not self.can_edit_forum(forum):
            raise PermissionDenied
        return forum

    def get_object(self, queryset=None):
        self.forum  # noqa: B018 - checks edit access
        return self.seat

    def get_success_url(self):
        return reverse("forums:detail", args=[self.forum.pk]) + "#seats"


class SeatCreateView(ForumAccessMixin, CreateView):
    needs_edit = True
    form_class = ForumSeatForm
    template_name = "forums/forumseat_form.html"

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        kwargs["instance"] = ForumSeat(forum=self.forum, position=self.forum.seats.count() + 1)
        return kwargs

    def get_success_url(self):
        return reverse("forums:detail", args=[self.forum.pk]) + "#seats"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("The seat was added."))
        return response


class SeatUpdateView(VersionedUpdateMixin, SeatAccessMixin, UpdateView):
    form_class = ForumSeatForm
    template_name = "forums/forumseat_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class SeatDeleteView(SeatAccessMixin, View):
    """POST only: remove a seat (its recorded attendance goes with it)."""

    def post(self, request, *args, **kwargs):
        seat = self.get_object()
        seat.delete()
        messages.success(request, _("The seat was removed."))
        return HttpResponseRedirect(self.get_success_url())


# ---------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------


class MeetingListView(ForumAccessMixin, ListView):
    template_name = "forums/meeting_list.html"
    paginate_by = 50
    context_object_name = "meetings"

    def get_queryset(self):
        return self.forum.meetings.order_by("-starts_at")


class MeetingCreateView(ForumAccessMixin, CreateView):
    needs_edit = True
    form_class = MeetingForm
    template_name = "forums/meeting_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Meeting(forum=self.forum)
        return kwargs

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("The meeting was created."))
        return response


class MeetingSeriesView(ForumAccessMixin, FormView):
    """Plan the meetings of a period at the forum's cadence."""

    needs_edit = True
    form_class = MeetingSeriesForm
    template_name = "forums/meeting_series_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "forum": self.forum}

    def form_valid(self, form):
        try:
            created = services.meeting_series_plan(forum=self.forum, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "%(count)d meeting was planned.", "%(count)d meetings were planned.", len(created)
            )
            % {"count": len(created)},
        )
        return HttpResponseRedirect(reverse("forums:meeting-list", args=[self.forum.pk]))


class MeetingAccessMixin(LoginRequiredMixin):
    """Fetch the meeting the user may see; 403 for writes without edit rights."""

    meeting_kwarg = "pk"
    needs_edit = False

    @cached_property
    def meeting(self) -> Meeting:
        meeting = get_object_or_404(
            selectors.meeting_detail_queryset(user=self.request.user),
            pk=self.kwargs[self.meeting_kwarg],
        )
        if self.needs_edit and not self.can_edit(meeting):
            raise PermissionDenied
        return meeting

    def can_edit(self, meeting: Meeting) -> bool:
        return Forum.objects.editable_by(self.request.user).filter(pk=meeting.forum_id).exists()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meeting"] = self.meeting
        context["forum"] = self.meeting.forum
        return context


class MeetingDetailView(MeetingAccessMixin, TemplateView):
    template_name = "forums/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.meeting_related(meeting=self.meeting))
        context["can_edit"] = self.can_edit(self.meeting)
        if context["can_edit"]:
            context["decision_form"] = DecisionForm()
        return context


class MeetingUpdateView(VersionedUpdateMixin, MeetingAccessMixin, UpdateView):
    needs_edit = True
    form_class = MeetingForm
    template_name = "forums/meeting_form.html"

    def get_object(self, queryset=None):
        return self.meeting


class AttendanceView(MeetingAccessMixin, FormView):
    """Record attendance: each seat expected that day, present yes or no."""

    needs_edit = True
    template_name = "forums/attendance_form.html"
    form_class = AttendanceForm

    def get_form_kwargs(self):
        related = selectors.meeting_related(meeting=self.meeting)
        seats = [seat for seat, _row in related["attendance_rows"]]
        current = {seat.pk: row.present for seat, row in related["attendance_rows"] if row}
        return {**super().get_form_kwargs(), "seats": seats, "current": current}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["not_recordable"] = self._refusal()
        return context

    def _refusal(self) -> str:
        if self.meeting.cancelled:
            return _("The meeting was cancelled; no attendance can be recorded.")
        if not self.meeting.is_past:
            return _("The meeting has not taken place yet.")
        return ""

    def form_valid(self, form):
        try:
            services.attendance_record(meeting=self.meeting, presence=form.presence())
        except ValidationError as exc:
            _apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The attendance was saved."))
        return HttpResponseRedirect(self.meeting.get_absolute_url() + "#attendance")


class DecisionCreateView(MeetingDetailView):
    """POST: append a decision to the minutes; errors come back beside the field."""

    needs_edit = True
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.decision_add(meeting=self.meeting, text=form.cleaned_data["text"])
            except ValidationError as exc:
                _apply_errors(form, exc)
        if form.errors:
            context = self.get_context_data()
            context["decision_form"] = form
            return self.render_to_response(context, status=400)
        messages.success(request, _("The decision was added."))
        return HttpResponseRedirect(self.meeting.get_absolute_url() + "#decisions")


class DecisionDeleteView(LoginRequiredMixin, View):
    def post(self, request, *args, **kwargs):
        decision = access.get_for_user(
            MeetingDecision.objects.select_related("meeting"), request.user, pk=kwargs["pk"]
        )
        if not access.allows(request.user, decision):
            raise PermissionDenied
        meeting = decision.meeting
        services.decision_delete(decision=decision)
        messages.success(request, _("The decision was removed."))
        return HttpResponseRedirect(meeting.get_absolute_url() + "#decisions")


# ---------------------------------------------------------------------------
# Calendar feeds
# ---------------------------------------------------------------------------


class ForumCalendarFeedView(ForumAccessMixin, View):
    """iCalendar feed of one forum (session login)."""

    def get(self, request, *args, **kwargs):
        meetings = selectors.meetings_for_calendar(user=request.user, forum=self.forum)
        return calendar_response(meetings, name=str(self.forum), filename=f"forum-{self.forum.pk}")


class MyCalendarFeedView(LoginRequiredMixin, View):
    """iCalendar feed of every forum the user may see (session login)."""

    def get(self, request, *args, **kwargs):
        meetings = selectors.meetings_for_calendar(user=request.user)
        return calendar_response(meetings, name=_("My forums"), filename="mina-forum")


class TokenCalendarFeedView(View):
    """iCalendar feed of a user's forums for calendar programs, by secret address."""

    def get(self, request, token: str, *args, **kwargs):
        user = services.calendar_token_user(token)
        if user is None:
            raise Http404
        meetings = selectors.meetings_for_calendar(user=user)
        response = calendar_response(meetings, name=_("My forums"), filename="mina-forum")
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response


@method_decorator(never_cache, name="dispatch")
class CalendarSubscriptionView(LoginRequiredMixin, TemplateView):
    """Manage the secret calendar address: create (or replace) and revoke."""

    template_name = "forums/calendar.html"

    def get_context_data(self, **kwargs):
        from .models import CalendarToken

        context = super().get_context_data(**kwargs)
        context["subscription"] = CalendarToken.objects.filter(user=self.request.user).first()
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "revoke":
            if services.calendar_token_revoke(user=request.user):
                messages.success(request, _("The calendar address was revoked."))
            return HttpResponseRedirect(reverse("forums:calendar"))
        if action != "create":
            return HttpResponse(status=400)
        token = services.calendar_token_create(user=request.user)
        context = self.get_context_data()
        context["new_url"] = request.build_absolute_uri(reverse("forums:ical-token", args=[token]))
        return self.render_to_response(context)
