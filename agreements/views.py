"""Views of the agreements app: thin, class-based; reads in selectors, writes in services.

Every object is fetched through ``visible_to(user)`` (404 when not visible) and
every write checks ``editable_by``/``managed_by`` (403 when visible but not editable).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import (
    CreateView,
    DetailView,
    FormView,
    ListView,
    TemplateView,
    UpdateView,
)
from django_filters.views import FilterView

from core import hooks
from core.views import UserFilterMixin, VersionedUpdateMixin

from . import access, selectors, services, signing
from .choices import AgreementStatus, FocusAreaKind
from .filtersets import AgreementFilterSet
from .forms import (
    AgreementForm,
    AttachmentForm,
    CauseForm,
    CitizenPromiseForm,
    CommitmentForm,
    FocusAreaForm,
    RemissApproveForm,
    RemissCommentForm,
    RemissResolveForm,
    SignatoryForm,
    SignForm,
    SubGoalForm,
)
from .locking import AgreementLocked
from .models import (
    Agreement,
    Attachment,
    Cause,
    CitizenPromise,
    Commitment,
    FocusArea,
    RemissComment,
    Signatory,
    SubGoal,
)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return str(exc.args[0]) if exc.args else str(exc)


# ---------------------------------------------------------------------------
# Agreements
# ---------------------------------------------------------------------------


class AgreementListView(LoginRequiredMixin, UserFilterMixin, FilterView):
    """The agreements the user may see, filtered, with period and status at a glance."""

    filterset_class = AgreementFilterSet
    paginate_by = 25
    template_name = "agreements/agreement_list.html"
    context_object_name = "agreements"

    def get_queryset(self):
        return selectors.agreement_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = access.creates_agreements(self.request.user)
        context["list_actions"] = hooks.list_actions(self.request)
        return context


class AgreementDetailView(LoginRequiredMixin, DetailView):
    """The agreement as a document; the coordinator edits it in place."""

    template_name = "agreements/agreement_detail.html"
    context_object_name = "agreement"

    def get_object(self, queryset=None):
        return selectors.agreement_document(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.object
        user = self.request.user
        can_manage = agreement.municipality_id in access.edits(user)
        can_edit = can_manage and agreement.is_editable_status
        commitments = selectors.group_commitments(agreement)
        focus_areas = list(agreement.focus_areas.all())
        context.update(
            can_manage=can_manage,
            can_edit=can_edit,
            focus_areas=focus_areas,
            general_commitments=commitments.get(None, []),
            focus_commitments=commitments,
            transitions=sorted(services.TRANSITIONS.get(agreement.status, ()))
            if can_manage
            else [],
            can_sign=can_manage and agreement.status == AgreementStatus.APPROVED,
            can_revise=can_manage and agreement.status == AgreementStatus.SIGNED,
            parties=agreement.parties,
            focus_kinds=FocusAreaKind.choices,
            attachments=list(selectors.attachment_list(user=user, agreement=agreement)),
            **_remiss_context(user, agreement),
        )
        return context


def _remiss_context(user, agreement) -> dict:
    """What the agreement page shows of the remiss: to the coordinator and the police of the
    police area only (others who read the agreement do not take part in it)."""
    takes_part = access.allows(user, agreement, "remiss")
    if not takes_part:
        return {"remiss_takes_part": False}
    open_status = agreement.status in (AgreementStatus.DRAFT, AgreementStatus.REVIEW)
    return {
        "remiss_takes_part": True,
        "remiss": selectors.remiss_comments(user=user, agreement=agreement),
        "remiss_state": services.remiss_state(agreement),
        "can_comment": open_status and not agreement.is_locked,
        "can_resolve": agreement.municipality_id in access.edits(user) and not agreement.is_locked,
        "can_approve": agreement.status == AgreementStatus.REVIEW
        and agreement.police_area_id in access.reviews(user),
        "remiss_approve_form": RemissApproveForm(),
    }


class AgreementCreateView(LoginRequiredMixin, CreateView):
    form_class = AgreementForm
    template_name = "agreements/agreement_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.creates_agreements(request.user):
            raise PermissionDenied(_("Only a safety coordinator may create agreements."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        messages.success(self.request, _("The agreement was created as a draft."))
        return super().form_valid(form)


class AgreementUpdateView(LoginRequiredMixin, VersionedUpdateMixin, UpdateView):
    form_class = AgreementForm
    template_name = "agreements/agreement_form.html"

    def get_object(self, queryset=None):
        agreement = selectors.agreement_get(user=self.request.user, pk=self.kwargs["pk"])
        if not access.allows(self.request.user, agreement):
            if agreement.is_locked:
                raise AgreementLocked(agreement)
            raise PermissionDenied(_("You may not edit this agreement."))
        return agreement

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        messages.success(self.request, _("The agreement was saved."))
        return super().form_valid(form)


class AgreementTransitionView(LoginRequiredMixin, View):
    """POST: move the agreement to another status (review, approved, back to draft)."""

    def post(self, request, pk):
        agreement = selectors.agreement_get(user=request.user, pk=pk)
        to_status = request.POST.get("to", "")
        try:
            if to_status == AgreementStatus.REVIEW:
                services.agreement_submit_for_review(
                    agreement=agreement,
                    user=request.user,
                    link=request.build_absolute_uri(agreement.get_absolute_url()),
                )
            else:
                services.agreement_transition(
                    agreement=agreement, user=request.user, to_status=to_status
                )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request,
                _("The agreement is now: %(status)s.") % {"status": agreement.get_status_display()},
            )
        return HttpResponseRedirect(agreement.get_absolute_url())


class AgreementSignView(LoginRequiredMixin, FormView):
    """Record the signing: each signatory's date; the agreement becomes immutable.

    Two steps: the dates, then a confirmation showing exactly what will be locked (the
    parties, every focus area, sub-goal, cause and commitment, the signatories with place
    and date as they will print, the forums). Only the confirmation's POST signs, and only
    if the agreement still is what the confirmation showed.
    """

    form_class = SignForm
    template_name = "agreements/agreement_sign.html"
    confirm_template_name = "agreements/agreement_sign_confirm.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.agreement = selectors.agreement_get(user=request.user, pk=kwargs["pk"])
        if not access.allows(request.user, self.agreement, "manage"):
            raise PermissionDenied(_("Only the municipality's safety coordinator may do this."))
        if self.agreement.status != AgreementStatus.APPROVED:
            messages.error(request, _("Only an approved agreement can be signed."))
            return HttpResponseRedirect(self.agreement.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        signatories = self.agreement.signatories.select_related("organisation")
        return {**super().get_form_kwargs(), "signatories": signatories}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            agreement=self.agreement,
            remiss_state=services.remiss_state(self.agreement),
            **kwargs,
        )

    def confirmation(self, form):
        """The page that shows what will be locked, with the dates carried along."""
        tree = selectors.agreement_document(user=self.request.user, pk=self.agreement.pk)
        dates = form.signed_on()
        signatories = list(tree.signatories.all())
        for signatory in signatories:
            signatory.signed_on = dates.get(signatory.pk)
        commitments = selectors.group_commitments(tree)
        focus_areas = list(tree.focus_areas.all())
        for area in focus_areas:
            area.commitment_groups = commitments.get(area.pk, [])
        context = self.get_context_data(
            form=form,
            tree=tree,
            parties=tree.document_parties(),
            focus_areas=focus_areas,
            general_commitments=commitments.get(None, []),
            signatories=signatories,
            forums=list(tree.forums.all()),
            attachments=list(selectors.attachment_list(user=self.request.user, agreement=tree)),
            hidden_dates=[(f"signed_on_{pk}", day.isoformat()) for pk, day in dates.items()],
            fingerprint=signing.lock_fingerprint(tree),
        )
        return self.response_class(
            request=self.request,
            template=[self.confirm_template_name],
            context=context,
            using=self.template_engine,
        )

    def form_valid(self, form):
        if not self.request.POST.get("confirm"):
            return self.confirmation(form)
        try:
            job = services.agreement_sign_start(
                agreement=self.agreement,
                user=self.request.user,
                signed_on=form.signed_on(),
                fingerprint=self.request.POST.get("fingerprint", ""),
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "changed":
                messages.error(self.request, _error_text(exc))
                self.agreement.refresh_from_db()
                return self.confirmation(form)
            for key, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                field = f"signed_on_{key}" if f"signed_on_{key}" in form.fields else None
                for error in errors:
                    form.add_error(field, error)
            return self.form_invalid(form)
        # The task worker signs and stores the PDF; the job's page follows it.
        return HttpResponseRedirect(job.get_absolute_url())


class AgreementRevisionView(LoginRequiredMixin, View):
    """POST: start a revision of a signed agreement (a new draft copying it all)."""

    def post(self, request, pk):
        agreement = selectors.agreement_get(user=request.user, pk=pk)
        try:
            revision = services.agreement_create_revision(agreement=agreement, user=request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return HttpResponseRedirect(agreement.get_absolute_url())
        messages.success(request, _("A new draft was created from the signed agreement."))
        return HttpResponseRedirect(revision.get_absolute_url())


# ---------------------------------------------------------------------------
# The remiss
# ---------------------------------------------------------------------------


def _remiss_anchor(item_key: str) -> str:
    kind, _sep, value = item_key.partition(":")
    anchors = {"focus_area": "focus", "sub_goal": "subgoal", "commitment": "commitment"}
    if kind in anchors and value.isdigit():
        return f"#{anchors[kind]}-{value}"
    return "#remiss"


class RemissCommentView(LoginRequiredMixin, View):
    """POST ``item`` and ``text``: a comment on one item of the draft (the police of the
    police area, or the coordinator)."""

    def post(self, request, pk):
        agreement = selectors.agreement_get(user=request.user, pk=pk)
        access.require(request.user, agreement, "remiss")
        form = RemissCommentForm(request.POST)
        anchor = _remiss_anchor(request.POST.get("item", ""))
        if not form.is_valid():
            messages.error(request, _("Write the comment."))
            return HttpResponseRedirect(agreement.get_absolute_url() + anchor)
        try:
            services.remiss_comment_create(
                agreement=agreement,
                user=request.user,
                item_key=form.cleaned_data["item"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Your comment was saved."))
        return HttpResponseRedirect(agreement.get_absolute_url() + anchor)


class RemissResolveView(LoginRequiredMixin, View):
    """POST ``answer`` and ``resolved``: the coordinator answers a comment, marks it handled."""

    def post(self, request, pk):
        comment = access.get_for_user(
            RemissComment.objects.select_related("agreement"), request.user, pk=pk
        )
        access.require(request.user, comment)
        form = RemissResolveForm(request.POST)
        if form.is_valid():
            try:
                services.remiss_comment_resolve(
                    comment=comment,
                    user=request.user,
                    answer=form.cleaned_data["answer"],
                    resolved=form.cleaned_data["resolved"],
                )
            except ValidationError as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(request, _("The comment was updated."))
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(
            comment.agreement.get_absolute_url() + _remiss_anchor(comment.item_key)
        )


class RemissApproveView(LoginRequiredMixin, View):
    """POST ``note``: the police of the police area approve the draft as it now reads."""

    def post(self, request, pk):
        agreement = selectors.agreement_get(user=request.user, pk=pk)
        access.require(request.user, agreement, "remiss")
        form = RemissApproveForm(request.POST)
        if form.is_valid():
            try:
                services.remiss_approve(
                    agreement=agreement, user=request.user, note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(request, _("The police area's approval of the draft is recorded."))
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(agreement.get_absolute_url() + "#remiss")


# ---------------------------------------------------------------------------
# Attachments (bilagor)
# ---------------------------------------------------------------------------


class AttachmentCreateView(LoginRequiredMixin, FormView):
    """The coordinator attaches a file to an open agreement."""

    form_class = AttachmentForm
    template_name = "agreements/attachment_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.agreement = selectors.agreement_get(user=request.user, pk=kwargs["pk"])
        if not access.allows(request.user, self.agreement):
            if self.agreement.is_locked:
                raise AgreementLocked(self.agreement)
            raise PermissionDenied(_("You may not edit this agreement."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, **kwargs)

    def form_valid(self, form):
        try:
            services.attachment_create(
                agreement=self.agreement,
                user=self.request.user,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                kind=form.kind,
                sha256=form.sha256,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The attachment was added."))
        return HttpResponseRedirect(self.agreement.get_absolute_url() + "#attachments")


class AttachmentDownloadView(LoginRequiredMixin, View):
    """An attachment's file, for anyone who may read the agreement; always as a download."""

    def get(self, request, pk):
        attachment = selectors.attachment_get(user=request.user, pk=pk)
        try:
            handle = attachment.file.open("rb")
        except (OSError, ValueError):
            raise Http404 from None
        filename = f"{slugify(attachment.title) or 'bilaga'}.{attachment.extension}"
        response = FileResponse(
            handle, as_attachment=True, filename=filename, content_type=attachment.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class AttachmentDeleteView(LoginRequiredMixin, TemplateView):
    """GET asks for confirmation; POST removes the attachment from the open agreement."""

    template_name = "agreements/attachment_confirm_delete.html"

    def get_attachment(self):
        attachment = selectors.attachment_get(user=self.request.user, pk=self.kwargs["pk"])
        if not access.allows(self.request.user, attachment):
            if attachment.agreement.is_locked:
                raise AgreementLocked(attachment.agreement)
            raise PermissionDenied(_("You may not edit this."))
        return attachment

    def get(self, request, *args, **kwargs):
        attachment = self.get_attachment()
        return self.render_to_response(
            self.get_context_data(
                object=attachment,
                agreement=attachment.agreement,
                verbose_name=Attachment._meta.verbose_name,
                action_url=reverse("agreements:attachment-delete", args=[attachment.pk]),
            )
        )

    def post(self, request, *args, **kwargs):
        attachment = self.get_attachment()
        services.attachment_delete(attachment=attachment, user=request.user)
        messages.success(request, _("%(name)s was removed.") % {"name": str(attachment)[:80]})
        return HttpResponseRedirect(attachment.agreement.get_absolute_url() + "#attachments")


# ---------------------------------------------------------------------------
# Items under an agreement
# ---------------------------------------------------------------------------

#: URL slug -> (model, form, parent model, parent field, anchor prefix)
ITEMS = {
    "fokusomrade": (FocusArea, FocusAreaForm, Agreement, "agreement", "focus"),
    "delmal": (SubGoal, SubGoalForm, FocusArea, "focus_area", "subgoal"),
    "orsak": (Cause, CauseForm, FocusArea, "focus_area", "cause"),
    "atagande": (Commitment, CommitmentForm, Agreement, "agreement", "commitment"),
    "undertecknare": (Signatory, SignatoryForm, Agreement, "agreement", "signatory"),
}


class ItemMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in ITEMS:
            raise Http404
        self.model, self.form_class, self.parent_model, self.parent_field, self.anchor = ITEMS[
            kwargs["kind"]
        ]
        return super().dispatch(request, *args, **kwargs)

    def item_url(self, item) -> str:
        agreement = services.agreement_of(item)
        return f"{agreement.get_absolute_url()}#{self.anchor}-{item.pk}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["verbose_name"] = self.model._meta.verbose_name
        context["agreement"] = self.agreement
        return context


class ItemCreateView(ItemMixin, CreateView):
    template_name = "agreements/item_form.html"

    def get_parent(self):
        parent_model = ITEMS[self.kwargs["kind"]][2]
        parent = access.get_for_user(parent_model, self.request.user, pk=self.kwargs["parent"])
        self.agreement = services.agreement_of(parent)
        access.require(self.request.user, self.agreement)
        return parent

    def get_form_kwargs(self):
        parent = self.get_parent()
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.model(**{self.parent_field: parent})
        return kwargs

    def form_valid(self, form):
        item = form.save(commit=False)
        try:
            with transaction.atomic():
                services.item_create(item=item, user=self.request.user)
                form.save_m2m()  # e.g. a focus area's areas, row by row
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s was added.") % {"name": str(self.model._meta.verbose_name).capitalize()},
        )
        return HttpResponseRedirect(self.item_url(item))


class ItemObjectMixin(ItemMixin):
    def get_object(self, queryset=None):
        item = get_object_or_404(
            self.model.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )
        self.agreement = services.agreement_of(item)
        if not access.allows(self.request.user, item):
            if self.agreement.is_locked:
                raise AgreementLocked(self.agreement)
            raise PermissionDenied(_("You may not edit this."))
        return item


class ItemUpdateView(ItemObjectMixin, VersionedUpdateMixin, UpdateView):
    template_name = "agreements/item_form.html"

    def get_success_url(self):
        messages.success(self.request, _("The change was saved."))
        return self.item_url(self.object)


class ItemDeleteView(ItemObjectMixin, TemplateView):
    """GET asks for confirmation; POST removes the item."""

    template_name = "agreements/item_confirm_delete.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(object=self.object))

    def post(self, request, *args, **kwargs):
        item = self.get_object()
        services.item_delete(item=item, user=request.user)
        messages.success(request, _("%(name)s was removed.") % {"name": str(item)[:80]})
        return HttpResponseRedirect(self.agreement.get_absolute_url())


class ItemMoveView(ItemObjectMixin, View):
    """POST ``direction=up|down``: swap with the neighbour."""

    def post(self, request, *args, **kwargs):
        item = self.get_object()
        direction = request.POST.get("direction")
        if direction not in {"up", "down"}:
            messages.error(request, _("Unknown direction."))
        else:
            services.item_move(item=item, user=request.user, direction=direction)
        return HttpResponseRedirect(self.item_url(item))


# ---------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------


class AgreementHistoryView(LoginRequiredMixin, TemplateView):
    """Every change to the agreement and everything under it, newest first."""

    template_name = "agreements/agreement_history.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = selectors.agreement_get(user=self.request.user, pk=self.kwargs["pk"])
        history = selectors.HistoryPage(agreement)
        paginator = Paginator(history.keys(), self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(
            agreement=agreement,
            page_obj=page,
            entries=history.entries(list(page.object_list)),
            can_restore=Agreement.objects.editable_by(self.request.user)
            .filter(pk=agreement.pk)
            .exists(),
        )
        return context


class HistoryRestoreView(LoginRequiredMixin, View):
    """POST ``record=label:history_id``: restore an item of a draft to that version."""

    def post(self, request, pk):
        agreement = selectors.agreement_get(user=request.user, pk=pk)
        access.require(request.user, agreement)
        record = selectors.history_record(agreement=agreement, token=request.POST.get("record", ""))
        try:
            with transaction.atomic():
                restored = services.history_restore(
                    agreement=agreement, user=request.user, record=record
                )
        except (ValidationError, IntegrityError) as exc:
            text = _error_text(exc) if isinstance(exc, ValidationError) else ""
            messages.error(
                request,
                _("The earlier version could not be restored. %(reason)s") % {"reason": text},
            )
        else:
            messages.success(
                request,
                _("“%(name)s” was restored to the earlier version.") % {"name": str(restored)[:80]},
            )
        return HttpResponseRedirect(reverse("agreements:history", args=[agreement.pk]))


# ---------------------------------------------------------------------------
# Citizen promises (medborgarlöften)
# ---------------------------------------------------------------------------


class PromiseListView(LoginRequiredMixin, ListView):
    template_name = "agreements/citizenpromise_list.html"
    context_object_name = "promises"
    paginate_by = 25

    def get_queryset(self):
        self.agreement = selectors.agreement_get(user=self.request.user, pk=self.kwargs["pk"])
        promises = selectors.promise_list(user=self.request.user, agreement=self.agreement)
        year = self.request.GET.get("year", "")
        self.year = int(year) if year.isdigit() and len(year) == 4 else None
        return promises.filter(year=self.year) if self.year else promises

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            agreement=self.agreement,
            year=self.year,
            years=range(self.agreement.valid_from.year, self.agreement.valid_to.year + 1),
            can_manage=self.agreement.municipality_id in access.edits(self.request.user),
        )
        return context


class PromiseCreateView(LoginRequiredMixin, CreateView):
    form_class = CitizenPromiseForm
    template_name = "agreements/citizenpromise_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.agreement = selectors.agreement_get(user=request.user, pk=kwargs["pk"])
        if self.agreement.municipality_id not in access.edits(request.user):
            raise PermissionDenied(_("Only the municipality's safety coordinator may do this."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = CitizenPromise(agreement=self.agreement)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, **kwargs)

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            if form.errors:  # refused (someone else saved in between): nothing was saved
                return response
            services.promise_set_partners(
                promise=self.object,
                user=self.request.user,
                organisations=form.cleaned_data["partners"],
            )
        messages.success(self.request, _("The citizen promise was saved."))
        return response


class PromiseUpdateView(LoginRequiredMixin, VersionedUpdateMixin, UpdateView):
    form_class = CitizenPromiseForm
    template_name = "agreements/citizenpromise_form.html"

    def get_object(self, queryset=None):
        promise = selectors.promise_get(user=self.request.user, pk=self.kwargs["pk"])
        access.require(self.request.user, promise)
        self.agreement = promise.agreement
        return promise

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, **kwargs)

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            if form.errors:  # refused (someone else saved in between): nothing was saved
                return response
            services.promise_set_partners(
                promise=self.object,
                user=self.request.user,
                organisations=form.cleaned_data["partners"],
            )
        messages.success(self.request, _("The citizen promise was saved."))
        return response


class PromiseDetailView(LoginRequiredMixin, DetailView):
    """A citizen promise, ready to print."""

    template_name = "agreements/citizenpromise_detail.html"
    context_object_name = "promise"

    def get_object(self, queryset=None):
        return selectors.promise_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = self.object.agreement.municipality_id in access.edits(
            self.request.user
        )
        return context


# ---------------------------------------------------------------------------
# Public pages
# ---------------------------------------------------------------------------


class PublicAgreementListView(ListView):
    """Signed agreements marked public, for everyone."""

    paginate_by = 25
    template_name = "public/agreement_list.html"
    context_object_name = "agreements"

    def get_queryset(self):
        return selectors.public_agreements()


class PublicAgreementDetailView(DetailView):
    """A public agreement and its citizen promises."""

    template_name = "public/agreement_detail.html"
    context_object_name = "agreement"

    def get_object(self, queryset=None):
        return selectors.public_agreement_get(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        commitments = selectors.group_commitments(self.object)
        context.update(
            general_commitments=commitments.get(None, []),
            focus_commitments=commitments,
            focus_areas=list(self.object.focus_areas.all()),
        )
        return context
