"""Onboarding, the municipality's people, units and areas, and invitations.

Every page of a municipality is reached through :class:`ManagedMunicipalityMixin`: a
municipality the user does not work for answers 404; one they work for but may not
manage answers 403.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from agreements.models import Area, Organisation
from core.views import VersionedUpdateMixin, add_service_error

from . import services
from .forms import (
    AcceptInvitationForm,
    AreaForm,
    InvitationForm,
    OnboardingAreaFormSet,
    OnboardingForm,
    RoleForm,
    UnitForm,
)
from .models import Invitation
from .selectors import municipality_for


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


class ManagedMunicipalityMixin(LoginRequiredMixin):
    """Resolve ``self.municipality`` from the URL's ``pk``: 404 outside it, 403 for non-managers."""

    municipality_kwarg = "pk"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.municipality = self.get_municipality()
        return super().dispatch(request, *args, **kwargs)

    def get_municipality(self) -> Organisation:
        municipality, may_manage = municipality_for(
            self.request.user, self.kwargs[self.municipality_kwarg]
        )
        if not may_manage:
            raise PermissionDenied(_("Only the municipality's safety coordinator may do this."))
        return municipality

    #: For pages drawn with accounts/simple_form.html.
    page_title = ""
    submit_label = ""

    def manage_url(self) -> str:
        return reverse("accounts:manage", args=[self.municipality.pk])

    def get_page_title(self) -> str:
        return str(self.page_title)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "municipality": self.municipality,
            "page_title": self.get_page_title(),
            "submit_label": str(self.submit_label or _("Save")),
            "cancel_url": self.manage_url(),
        }


class ManageView(ManagedMunicipalityMixin, TemplateView):
    """The municipality's organisation: people and their roles, invitations, units, areas."""

    template_name = "accounts/manage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        memberships = services.managed_memberships(self.municipality).order_by(
            "user__last_name", "user__first_name", "user__username", "organisation__name"
        )
        people: dict[int, dict] = {}
        for membership in memberships:
            entry = people.setdefault(
                membership.user_id, {"user": membership.user, "memberships": []}
            )
            entry["memberships"].append(membership)
        context["people"] = list(people.values())
        context["invitations"] = (
            Invitation.objects.pending()
            .filter(municipality=self.municipality)
            .select_related("organisation", "invited_by")
        )
        context["units"] = (
            services.units_of(self.municipality)
            .exclude(pk=self.municipality.pk)
            .select_related("parent")
            .order_by("parent__name", "name")
        )
        context["police_areas"] = services.police_areas_of(self.municipality)
        context["areas"] = Area.objects.filter(municipality=self.municipality).order_by("name")
        return context


class InviteView(ManagedMunicipalityMixin, FormView):
    form_class = InvitationForm
    template_name = "accounts/simple_form.html"
    page_title = gettext_lazy("Invite a person")
    submit_label = gettext_lazy("Send invitation")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "municipality": self.municipality}

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("organisation", "").isdigit():
            initial["organisation"] = int(self.request.GET["organisation"])
        if self.request.GET.get("role"):
            initial["role"] = self.request.GET["role"]
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            invitation = services.invitation_create(
                user=self.request.user,
                municipality=self.municipality,
                organisation=data["organisation"],
                role=data["role"],
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                base_url=_base_url(self.request),
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "An invitation was sent to %(email)s. The link works for %(days)d day.",
                "An invitation was sent to %(email)s. The link works for %(days)d days.",
                settings.SAMVERKAN_INVITATION_DAYS,
            )
            % {"email": invitation.email, "days": settings.SAMVERKAN_INVITATION_DAYS},
        )
        return HttpResponseRedirect(self.manage_url() + "#invitations")


class InvitationRevokeView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        invitation = get_object_or_404(Invitation, pk=pk)
        municipality, may_manage = municipality_for(request.user, invitation.municipality_id)
        if not may_manage:
            raise PermissionDenied(_("Only the municipality's safety coordinator may do this."))
        try:
            services.invitation_revoke(user=request.user, invitation=invitation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email}
            )
        return redirect(reverse("accounts:manage", args=[municipality.pk]) + "#invitations")


class AcceptInvitationView(FormView):
    """Where the e-mail's link lands: set a name and password, or accept as yourself."""

    form_class = AcceptInvitationForm
    template_name = "accounts/invitation_accept.html"

    def dispatch(self, request, *args, **kwargs):
        self.invitation = services.invitation_for_token(kwargs["token"])
        if self.invitation is None:
            raise Http404(_("No such invitation."))
        if not self.invitation.is_pending:
            response = self.response_class(
                request=request,
                template="accounts/invitation_invalid.html",
                context={"invitation": self.invitation},
                status=410,
            )
            return response
        self.account = services.existing_account(self.invitation)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "invitation": self.invitation}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "invitation": self.invitation,
            "account": self.account,
        }

    def post(self, request, *args, **kwargs):
        if self.account is not None:
            # The address already has an account: accept as that account, signed in.
            if not request.user.is_authenticated or request.user.pk != self.account.pk:
                return redirect(f"{reverse('login')}?next={request.path}")
            try:
                services.invitation_accept(invitation=self.invitation, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("dashboard:home")
            messages.success(
                request,
                _("You now have the role %(role)s in %(organisation)s.")
                % {
                    "role": self.invitation.get_role_display(),
                    "organisation": self.invitation.organisation,
                },
            )
            return redirect("dashboard:home")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            account = services.invitation_accept(
                invitation=self.invitation,
                password=data["password1"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        login(self.request, account, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            self.request,
            _("Welcome! Your account is ready. You log in with %(username)s.")
            % {"username": account.username},
        )
        return redirect("dashboard:home")


class MembershipRoleView(ManagedMunicipalityMixin, FormView):
    form_class = RoleForm
    template_name = "accounts/simple_form.html"

    def get_page_title(self):
        return _("Role of %(name)s in %(organisation)s") % {
            "name": self.membership.user.get_full_name() or self.membership.user.username,
            "organisation": self.membership.organisation,
        }

    def get_municipality(self):
        municipality = super().get_municipality()
        self.membership = get_object_or_404(
            services.managed_memberships(municipality), pk=self.kwargs["membership_pk"]
        )
        return municipality

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "membership": self.membership}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "membership": self.membership}

    def form_valid(self, form):
        try:
            services.membership_set_role(
                user=self.request.user,
                municipality=self.municipality,
                membership=self.membership,
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The role of %(name)s was changed.")
            % {"name": self.membership.user.get_full_name() or self.membership.user.username},
        )
        return redirect(self.manage_url() + "#people")


class UserActiveView(ManagedMunicipalityMixin, View):
    """Deactivate or reactivate a person's account (never delete it)."""

    http_method_names = ["post"]

    def post(self, request, pk, user_pk):
        person = get_object_or_404(get_user_model(), pk=user_pk)
        active = request.POST.get("action") == "activate"
        name = person.get_full_name() or person.username
        try:
            services.user_set_active(
                user=request.user, municipality=self.municipality, person=person, active=active
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied:
            raise Http404 from None
        else:
            if active:
                messages.success(request, _("%(name)s can log in again.") % {"name": name})
            else:
                messages.success(
                    request,
                    _("%(name)s can no longer log in. Their history is kept.") % {"name": name},
                )
        return redirect(self.manage_url() + "#people")


class UnitFormMixin(ManagedMunicipalityMixin):
    form_class = UnitForm
    template_name = "accounts/simple_form.html"
    page_title = gettext_lazy("Add a unit")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "municipality": self.municipality}

    def form_valid(self, form):
        try:
            services.unit_save(
                user=self.request.user,
                municipality=self.municipality,
                unit=form.instance,
                version=form.cleaned_data.get("version_token"),
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("“%(name)s” was saved.") % {"name": form.instance.name})
        return redirect(self.manage_url() + "#units")


class UnitCreateView(UnitFormMixin, FormView):
    pass


class ObjectOfMunicipalityMixin:
    """For edit pages of an object (unit, area) of the managed municipality: 404 otherwise."""

    def get_municipality(self):
        municipality = super().get_municipality()
        self.object = get_object_or_404(self.objects_of(municipality), pk=self.kwargs["item_pk"])
        return municipality

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "object": self.object}


class UnitEditView(ObjectOfMunicipalityMixin, VersionedUpdateMixin, UnitFormMixin, FormView):
    def get_page_title(self):
        return _("Edit %(name)s") % {"name": self.object.name}

    def objects_of(self, municipality):
        return services.units_of(municipality).exclude(pk=municipality.pk)


class AreaFormMixin(ManagedMunicipalityMixin):
    form_class = AreaForm
    template_name = "accounts/simple_form.html"
    page_title = gettext_lazy("Add an area")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "municipality": self.municipality}

    def form_valid(self, form):
        try:
            services.area_save(
                user=self.request.user,
                municipality=self.municipality,
                area=form.instance,
                version=form.cleaned_data.get("version_token"),
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("“%(name)s” was saved.") % {"name": form.instance.name})
        return redirect(self.manage_url() + "#areas")


class AreaCreateView(AreaFormMixin, FormView):
    pass


class AreaEditView(ObjectOfMunicipalityMixin, VersionedUpdateMixin, AreaFormMixin, FormView):
    def get_page_title(self):
        return _("Edit %(name)s") % {"name": self.object.name}

    def objects_of(self, municipality):
        return Area.objects.filter(municipality=municipality)


class OnboardingView(LoginRequiredMixin, TemplateView):
    """Staff set up a new customer on one page."""

    template_name = "accounts/onboarding_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            request.user.is_staff or request.user.is_superuser
        ):
            raise PermissionDenied(_("Only staff may set up a new municipality."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", OnboardingForm())
        context.setdefault("areas", OnboardingAreaFormSet(prefix="areas"))
        return context

    def post(self, request, *args, **kwargs):
        form = OnboardingForm(request.POST)
        areas = OnboardingAreaFormSet(request.POST, prefix="areas")
        if not (form.is_valid() and areas.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, areas=areas))
        data = form.cleaned_data
        region = data["police_region"]
        if data["police_region_name"].strip():
            region = Organisation(name=data["police_region_name"].strip())
        police_area = data["police_area"] or Organisation(
            name=data["police_area_name"].strip(),
            short_name=data["police_area_short_name"].strip(),
        )
        units = [Organisation(name=name, kind="department") for name in data["departments"]] + [
            Organisation(name=name, kind="company") for name in data["companies"]
        ]
        area_objects = [
            Area(
                name=row["name"].strip(),
                police_classification=row.get("police_classification") or "none",
                socioeconomic_challenges=row.get("socioeconomic_challenges", False),
            )
            for row in areas.cleaned_data
            if row.get("name", "").strip()
        ]
        try:
            setup = services.customer_create(
                user=request.user,
                municipality=Organisation(
                    name=data["municipality_name"], code=data["municipality_code"]
                ),
                police_area=police_area,
                police_region=region,
                units=units,
                areas=area_objects,
                coordinator_email=data["coordinator_email"],
                coordinator_first_name=data["coordinator_first_name"],
                coordinator_last_name=data["coordinator_last_name"],
                base_url=_base_url(request),
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.render_to_response(self.get_context_data(form=form, areas=areas))
        messages.success(
            request,
            _("%(municipality)s is set up. An invitation was sent to %(email)s.")
            % {"municipality": setup.municipality, "email": setup.invitation.email},
        )
        return redirect("accounts:manage", setup.municipality.pk)
