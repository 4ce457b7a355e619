"""Upload an agreement document, review what was recognised, create the draft."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView

from agreements import access

from . import selectors, services
from .forms import DROP, ReviewForm, UploadForm, assignment_choices
from .readers import ReadError
from .recognise import KINDS, Tree, summary


def import_list_action(request) -> dict | None:
    """The agreement list's "Import an existing agreement", for coordinators."""
    if not access.creates_agreements(request.user):
        return None
    return {"url": reverse("docimport:upload"), "label": _("Import an existing agreement")}


def _require_coordinator(user) -> None:
    if not access.creates_agreements(user):
        raise PermissionDenied(_("Only a safety coordinator may import agreements."))


class UploadView(LoginRequiredMixin, FormView):
    form_class = UploadForm
    template_name = "docimport/upload.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _require_coordinator(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        name, data, field = form.document()
        try:
            record = services.document_import_start(
                user=self.request.user,
                municipality=form.cleaned_data["municipality"],
                police_area=form.cleaned_data["police_area"],
                name=name,
                data=data,
            )
        except ReadError as error:
            form.add_error(field, error.message)
            return self.form_invalid(form)
        return HttpResponseRedirect(record.get_absolute_url())


class ReviewView(LoginRequiredMixin, FormView):
    """The recognised tree beside the source text; the coordinator corrects and creates."""

    form_class = ReviewForm
    template_name = "docimport/review.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.record = selectors.document_import_get(user=request.user, pk=kwargs["pk"])
        if self.record.agreement_id:
            return HttpResponseRedirect(self.record.agreement.get_absolute_url())
        self.tree = Tree.from_dict(self.record.tree)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tree": self.tree}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        tree = self.tree
        owner = {}
        for item in tree.items:
            for number in item.sources:
                owner.setdefault(number, item)
        where = {block["n"]: block["where"] for block in tree.blocks}
        leftovers = set(tree.leftovers)
        noise = set(tree.noise)
        labels = dict(assignment_choices())
        source = []
        for block in tree.blocks:
            item = owner.get(block["n"])
            source.append(
                {
                    "block": block,
                    "item": item,
                    "state": "used"
                    if item
                    else "noise"
                    if block["n"] in noise
                    else "left"
                    if block["n"] in leftovers
                    else "structure",
                }
            )
        rows = []
        for item in tree.items:
            rows.append(
                {
                    "item": item,
                    "kind_field": form[f"kind_{item.id}"],
                    "label_field": form[f"label_{item.id}"],
                    "where": ", ".join(where.get(n, "") for n in item.sources[:4])
                    + (" …" if len(item.sources) > 4 else ""),
                    "child": item.parent is not None,
                }
            )
        context.update(
            record=self.record,
            tree=tree,
            counts=[(kind, n) for kind, n in summary(tree).items() if n],
            kinds=KINDS,
            rows=rows,
            source=source,
            leftover_rows=[
                {"block": b, "field": form[f"block_{b['n']}"]}
                for b in tree.blocks
                if b["n"] in leftovers
            ],
            noise_blocks=[b for b in tree.blocks if b["n"] in noise],
            labels=labels,
            drop=DROP,
        )
        return context

    def form_valid(self, form):
        tree = form.apply()
        try:
            signed_on = form.cleaned_data["signed_on"] if form.cleaned_data["mark_signed"] else None
            report = services.document_import_finish(
                record=self.record, user=self.request.user, tree=tree, signed_on=signed_on
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    target = name if name in form.fields else None
                    if target is None and form.cleaned_data.get("mark_signed"):
                        target = "signed_on"  # the signing service names signatories
                    form.add_error(target, errors)
            else:
                target = "signed_on" if form.cleaned_data.get("mark_signed") else None
                form.add_error(target, error.messages)
            return self.form_invalid(form)
        if report.agreement.is_locked:
            messages.success(self.request, _("The agreement was imported and marked signed."))
        else:
            messages.success(
                self.request,
                _("The agreement was imported as a draft. Check it and go on as with any draft."),
            )
        for name in report.created_organisations:
            messages.info(self.request, _("Created the unit %(name)s.") % {"name": name})
        return HttpResponseRedirect(report.agreement.get_absolute_url())
