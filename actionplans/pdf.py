"""The action plan as a landscape A4 PDF table (rendered by :mod:`core.pdf`)."""

from __future__ import annotations

import logging
from itertools import groupby

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.views import View

from agreements.choices import OrganisationKind
from core.pdf import render_template_to_pdf
from core.pdfjobs import pdf_or_progress

from .choices import PlanStatus
from .models import ActionPlan, ActivityRole

logger = logging.getLogger(__name__)

POLICE_KINDS = (OrganisationKind.POLICE_AREA, OrganisationKind.POLICE_REGION)


def plan_for_print(queryset, pk: int) -> ActionPlan:
    """The plan with its activities, roles and focus areas, in a fixed number of queries."""
    return get_object_or_404(
        queryset.select_related("agreement__municipality", "agreement__police_area"), pk=pk
    )


def plan_pdf_context(plan: ActionPlan) -> dict:
    activities = list(
        plan.activities.select_related("responsible", "focus_area")
        .prefetch_related(
            Prefetch("roles", queryset=ActivityRole.objects.select_related("organisation"))
        )
        .order_by(F("focus_area__position").asc(nulls_last=True), "position", "pk")
    )
    for activity in activities:
        roles = list(activity.roles.all())
        activity.police_roles = [r for r in roles if r.organisation.kind in POLICE_KINDS]
        activity.municipality_roles = [r for r in roles if r.organisation.kind not in POLICE_KINDS]
    groups = [
        {"focus_area": focus_area, "activities": list(items)}
        for focus_area, items in groupby(activities, key=lambda a: a.focus_area)
    ]
    agreement = plan.agreement
    return {
        "plan": plan,
        "agreement": agreement,
        "groups": groups,
        "parties": agreement.parties,
        "document_date": plan.adopted_on or timezone.localtime(plan.updated_at).date(),
        "pdf_watermark": plan.status == PlanStatus.DRAFT,
    }


def plan_pdf_document(plan: ActionPlan) -> dict:
    """What the plan's PDF prints: template, context, title and author."""
    context = plan_pdf_context(plan)
    return {
        "template_name": "pdf/action_plan.html",
        "context": context,
        "title": plan.title,
        "author": ", ".join(party.name for party in context["parties"]),
    }


def render_plan_pdf(plan: ActionPlan, *, lang: str = "sv") -> bytes:
    document = plan_pdf_document(plan)
    return render_template_to_pdf(
        document["template_name"],
        document["context"],
        title=document["title"],
        author=document["author"],
        lang=lang,
    )


class PlanPdfView(LoginRequiredMixin, View):
    """``actionplans:plan-pdf`` — the plan as a landscape table, grouped by focus area,
    printed by the background worker (``core.pdfjobs``)."""

    def get(self, request, pk):
        plan = plan_for_print(ActionPlan.objects.visible_to(request.user), pk)
        return pdf_or_progress(
            request,
            **plan_pdf_document(plan),
            filename=f"{slugify(plan.title) or 'atgardsplan'}.pdf",
        )
