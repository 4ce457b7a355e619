"""PDF views: the agreement and promise PDFs, the scanned signed copy, verification.

Objects are reached through ``visible_to(user)`` (404 otherwise); signed agreements
that are public, and their promises, can be printed by anyone. A signed
agreement's PDF is always the stored one, never re-rendered.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from core.hooks import verification_matches
from core.pdf import PdfError, pdf_response
from core.pdfjobs import pdf_or_progress

from . import access
from .models import Agreement, CitizenPromise
from .pdf import agreement_pdf_document, promise_pdf_document
from .pdf_forms import ScanUploadForm, VerifyForm
from .signing import (
    SigningError,
    find_matches,
    hash_file,
    read_signed_pdf,
    store_signed_pdf,
    store_signed_scan,
)

logger = logging.getLogger(__name__)


class _NotVisible(Exception):
    pass


def _visible_or_public(request, queryset, public_queryset, pk):
    """The object if the user may read it, or if it is public; else 404 (or log in)."""
    obj = queryset.filter(pk=pk).first() or public_queryset.filter(pk=pk).first()
    if obj is None:
        raise _NotVisible
    return obj


def pdf_error(request, message: str, status: int = 503):
    """A page (not a 500) saying the PDF could not be produced."""
    return render(request, "pdf/error.html", {"message": message}, status=status)


class _ReadableMixin:
    """Resolve the object or answer 404 / a login redirect for anonymous users."""

    def dispatch(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except _NotVisible:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404 from None
        return super().dispatch(request, *args, **kwargs)


class AgreementPdfView(_ReadableMixin, View):
    """The agreement as an A4 PDF; signed agreements get their stored PDF."""

    def get_object(self) -> Agreement:
        return _visible_or_public(
            self.request,
            Agreement.objects.visible_to(self.request.user),
            Agreement.objects.public(),
            self.kwargs["pk"],
        )

    def get(self, request, *args, **kwargs):
        agreement = self.object
        filename = (
            f"{slugify(agreement.identifier) or 'overenskommelse'}-v{agreement.revision_number}.pdf"
        )
        try:
            if agreement.is_locked:
                if not agreement.signed_pdf:
                    # Signed before PDFs were stored: store it now, once.
                    with transaction.atomic():
                        store_signed_pdf(agreement=agreement)
                data = read_signed_pdf(agreement)
                response = pdf_response(data, filename=filename)
                response["ETag"] = f'"{agreement.signed_pdf_sha256}"'
                return response
            # An open agreement is printed by the background worker (core.pdfjobs).
            return pdf_or_progress(request, **agreement_pdf_document(agreement), filename=filename)
        except (PdfError, SigningError, OSError) as exc:
            logger.exception("Agreement PDF %s failed", agreement.pk)
            if isinstance(exc, SigningError):
                return pdf_error(request, str(exc))
            return pdf_error(
                request, _("The PDF could not be produced right now. Try again later.")
            )


class PromisePdfView(_ReadableMixin, View):
    """A citizen promise (medborgarlöfte) as a PDF."""

    def get_object(self) -> CitizenPromise:
        base = CitizenPromise.objects.select_related(
            "agreement__municipality", "agreement__police_area"
        ).prefetch_related("parties", "areas", "partner_rows__organisation")
        return _visible_or_public(
            self.request,
            base.visible_to(self.request.user),
            base.filter(agreement__in=Agreement.objects.public()),
            self.kwargs["pk"],
        )

    def get(self, request, *args, **kwargs):
        promise = self.object
        return pdf_or_progress(
            request,
            **promise_pdf_document(promise),
            filename=f"medborgarlofte-{promise.year}-{promise.pk}.pdf",
        )


class ScanUploadView(LoginRequiredMixin, FormView):
    """The coordinator stores the scanned, signed paper copy (PDF) of a signed agreement."""

    form_class = ScanUploadForm
    template_name = "pdf/scan_upload.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.agreement = access.get_for_user(
            Agreement.objects.select_related("municipality", "police_area"),
            request.user,
            pk=kwargs["pk"],
        )
        if not access.allows(request.user, self.agreement, "manage"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreement"] = self.agreement
        context["can_upload"] = self.agreement.is_locked and not self.agreement.signed_scan
        return context

    def form_valid(self, form):
        try:
            store_signed_scan(
                agreement=self.agreement, upload=form.cleaned_data["file"], user=self.request.user
            )
        except SigningError as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("The scanned signed copy has been stored."))
        return HttpResponseRedirect(self.request.path)


class ScanDownloadView(LoginRequiredMixin, View):
    """The stored scanned copy, for anyone who may read the agreement."""

    def get(self, request, pk):
        agreement = access.get_for_user(Agreement, request.user, pk=pk)
        if not agreement.signed_scan:
            raise Http404
        with agreement.signed_scan.open("rb") as handle:
            data = handle.read()
        filename = f"{slugify(agreement.identifier) or 'overenskommelse'}-skannad.pdf"
        return pdf_response(data, filename=filename)


class VerifyView(LoginRequiredMixin, FormView):
    """Upload a PDF and learn whether it is byte-identical to a stored signed PDF or scan.

    Without ``pk`` every agreement the user can see is searched; with it, that one.
    """

    form_class = VerifyForm
    template_name = "pdf/verify.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.agreements = Agreement.objects.visible_to(request.user)
        self.agreement = None
        if "pk" in kwargs:
            self.agreement = get_object_or_404(self.agreements, pk=kwargs["pk"])
            self.agreements = self.agreements.filter(pk=self.agreement.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreement"] = self.agreement
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        matches = find_matches(upload=upload, agreements=self.agreements)
        # Other stored documents (approved follow-up reports), when not asked about one agreement.
        others = (
            [] if self.agreement else verification_matches(hash_file(upload), self.request.user)
        )
        context = self.get_context_data(form=VerifyForm())
        context.update(
            {"checked": True, "matches": matches, "other_matches": others, "file_name": upload.name}
        )
        return self.render_to_response(context)
