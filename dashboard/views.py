"""The start page, organisation pages and the health check."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, TemplateView

from agreements import access
from agreements.models import Membership, Organisation
from core import hooks


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
