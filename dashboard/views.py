"""The start page, organisation pages and the health check."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, TemplateView

from agreements import access
from agreements.models import Membership, Organisation
from core import fragments, hooks

from . import lawcheck


@never_cache
def healthz(request):
    """200 "ok" when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


class HomeView(LoginRequiredMixin, TemplateView):
    """The user's organisations and what needs their attention."""

    template_name = "dashboard/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = (
            Membership.objects.filter(user=self.request.user)
            .select_related("organisation", "organisation__parent")
            .order_by("organisation__name", "role")
        )
        context["panels"] = hooks.home_panels(self.request)
        context["law_check_municipalities"] = list(
            Organisation.objects.served_by(self.request.user).filter(is_active=True)[:6]
        )
        user = self.request.user
        context["may_onboard"] = user.is_staff or user.is_superuser
        if not context["may_onboard"]:
            context["managed_municipalities"] = Organisation.objects.managed_by(user)
        return context


class OrganisationDetailView(LoginRequiredMixin, DetailView):
    """An organisation, its units and its members' roles."""

    template_name = "dashboard/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user).select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["children"] = self.object.children.filter(is_active=True)
        context["may_manage"] = access.allows(self.request.user, self.object, "manage")
        return context


# ---------------------------------------------------------------------------
# Does the municipality meet the law? (dashboard.lawcheck)
# ---------------------------------------------------------------------------


def _law_check_context(municipality) -> dict:
    facts = lawcheck.gather([municipality])[municipality.pk]
    rows = lawcheck.check(facts)
    counts = {
        state: sum(1 for _r, res in rows if res.state == state) for state in lawcheck.STATE_LABELS
    }
    return {"municipality": municipality, "rows": rows, "counts": counts, "today": facts.today}


class LawCheckView(LoginRequiredMixin, TemplateView):
    """One municipality against Lag (2023:196) and Brå's guidance, from its own data."""

    template_name = "dashboard/law_check.html"

    def get_context_data(self, **kwargs):
        municipality = access.get_for_user(
            Organisation, self.request.user, action="serve", pk=self.kwargs["pk"]
        )
        return super().get_context_data(**kwargs, **_law_check_context(municipality))


class LawCheckPdfView(LoginRequiredMixin, View):
    """The checklist as a PDF for the council."""

    def get(self, request, pk):
        from core.pdfjobs import pdf_or_progress

        municipality = access.get_for_user(Organisation, request.user, action="serve", pk=pk)
        return pdf_or_progress(
            request,
            template_name="dashboard/law_check_pdf.html",
            context=_law_check_context(municipality),
            title=_("Law checklist – %(name)s") % {"name": municipality},
            author=str(municipality),
            filename=f"lagkontroll-{municipality.pk}.pdf",
        )


class LawCheckNationalView(LoginRequiredMixin, TemplateView):
    """Staff: every municipality × requirement, sortable, with CSV export."""

    template_name = "dashboard/law_check_national.html"
    STATE_ORDER = {lawcheck.MISSING: 0, lawcheck.PARTLY: 1, lawcheck.MET: 2}

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.sees_everything(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def sort(self) -> str:
        sort = self.request.GET.get("sort", "")
        return sort if sort in {r.key for r in lawcheck.REQUIREMENTS} | {"met"} else ""

    def rows(self):
        municipalities = Organisation.objects.served_by(self.request.user).filter(is_active=True)
        rows = [
            {
                "municipality": municipality,
                "results": results,
                "met": sum(res.state == lawcheck.MET for _r, res in results),
            }
            for municipality, results in lawcheck.check_municipalities(
                municipalities.order_by("name", "pk")
            )
        ]
        sort = self.sort()
        keys = [r.key for r in lawcheck.REQUIREMENTS]
        if sort in keys:
            index = keys.index(sort)
            rows.sort(
                key=lambda row: (
                    self.STATE_ORDER[row["results"][index][1].state],
                    row["municipality"].name,
                )
            )
        elif sort == "met":
            rows.sort(key=lambda row: (row["met"], row["municipality"].name))
        return rows, sort

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return self.csv()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        """The table is computed and rendered once per version of the data it reads, day
        and sort (core.fragments): 290 municipalities × 7 rules read most of the database."""
        sort = self.sort()

        def build() -> str:
            rows, _sort = self.rows()
            context = {"rows": rows, "sort": sort, "requirements": lawcheck.REQUIREMENTS}
            return render_to_string(
                "dashboard/includes/_law_national_table.html", context, request=self.request
            )

        parts = (lawcheck.national_version(), timezone.localdate(), lawcheck.thresholds(), sort)
        table_html = fragments.cached("law-check-national", parts, build)
        return super().get_context_data(**kwargs, table_html=table_html, sort=sort)

    def csv(self):
        import csv

        rows, _sort = self.rows()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="lagkontroll-nationell.csv"'
        response.write("\ufeff")  # Excel reads UTF-8 with a byte-order mark
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [_("Municipality"), *(str(r.title) for r in lawcheck.REQUIREMENTS), _("Met")]
        )
        for row in rows:
            writer.writerow(
                [
                    row["municipality"].name,
                    *(f"{res.state_label}: {res.reason}" for _r, res in row["results"]),
                    row["met"],
                ]
            )
        return response
