"""Writes of the accounts app: set up a customer, invite, accept, change roles, deactivate.

Every service is keyword-only and atomic, checks the acting user's right through
``Organisation.objects.managed_by`` and validates before it writes. What it refuses
comes back as a ``ValidationError`` keyed by the form field it concerns, so the view
can show the message beside the field and nothing is changed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agreements.access import forget_access
from agreements.choices import OrganisationKind, Role
from agreements.models import Area, Membership, Organisation
from core.mail import send_on_commit
from core.models import check_version

from .models import Invitation, hash_token

#: Kinds a coordinator may add to the municipality's own tree.
UNIT_KINDS = (
    OrganisationKind.DEPARTMENT,
    OrganisationKind.COMPANY,
    OrganisationKind.RESCUE,
    OrganisationKind.REGION,
    OrganisationKind.OTHER,
)
#: Roles that belong to the municipality's tree; the police role belongs to the police area.
MUNICIPAL_ROLES = (Role.COORDINATOR, Role.COUNCIL_MEMBER, Role.VIEWER)
#: A unit (förvaltning, avdelning, bolag) also has reporters for its own activities.
UNIT_ROLES = (*MUNICIPAL_ROLES, Role.REPORTER)
POLICE_ROLES = (Role.POLICE,)


def _require_manager(*, user, municipality: Organisation) -> None:
    if not Organisation.objects.managed_by(user).filter(pk=municipality.pk).exists():
        raise PermissionDenied(_("Only the municipality's safety coordinator may do this."))


def _save(instance: models.Model) -> None:
    instance.full_clean()
    instance.save()


# ---------------------------------------------------------------------------
# What a municipality's coordinator manages
# ---------------------------------------------------------------------------


def police_areas_of(municipality: Organisation) -> models.QuerySet:
    """The local police area(s) a municipality works with: its own link and its agreements'."""
    from agreements.models import Agreement

    return Organisation.objects.police_areas().filter(
        models.Q(pk=municipality.police_area_id or 0)
        | models.Q(pk__in=Agreement.objects.filter(municipality=municipality).values("police_area"))
    )


def units_of(municipality: Organisation) -> models.QuerySet:
    """The municipality and its units, active or not."""
    return Organisation.objects.in_trees_of([municipality.pk])


def invitable_organisations(municipality: Organisation) -> models.QuerySet:
    """Where the coordinator may give people a role: the active tree and the police area."""
    return (
        Organisation.objects.filter(is_active=True)
        .filter(
            models.Q(pk__in=units_of(municipality).values("pk"))
            | models.Q(pk__in=police_areas_of(municipality).values("pk"))
        )
        .select_related("parent")
        .order_by("kind", "name")
    )


def managed_memberships(municipality: Organisation) -> models.QuerySet:
    """The memberships a coordinator of ``municipality`` sees and manages."""
    scope = models.Q(organisation__in=units_of(municipality).values("pk")) | models.Q(
        organisation__in=police_areas_of(municipality).values("pk")
    )
    return Membership.objects.filter(scope).select_related("user", "organisation")


def roles_for(organisation: Organisation) -> tuple[str, ...]:
    if organisation.kind == OrganisationKind.POLICE_AREA:
        return POLICE_ROLES
    if organisation.kind == OrganisationKind.MUNICIPALITY:
        return MUNICIPAL_ROLES
    return UNIT_ROLES


def _check_role(organisation: Organisation, role: str, field: str = "role") -> None:
    if role not in Role.values:
        raise ValidationError({field: _("Choose one of the roles offered.")})
    if role not in roles_for(organisation):
        if organisation.kind == OrganisationKind.POLICE_AREA:
            message = _("People of the local police area have the police role.")
        elif role == Role.REPORTER:
            message = _(
                "Reporters belong to the unit that reports (a förvaltning, an avdelning or a "
                "company): choose the unit, not the municipality."
            )
        else:
            message = _(
                "The police role is given in the local police area, not in the municipality."
            )
        raise ValidationError({field: message})


# ---------------------------------------------------------------------------
# Invitations
# ---------------------------------------------------------------------------


def _send_invitation(invitation: Invitation, link: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "link": link,
            "days": settings.SAMVERKAN_INVITATION_DAYS,
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_on_commit(EmailMessage(subject=subject, body=body, to=[invitation.email]))


def invitation_link(token: str, *, base_url: str) -> str:
    return base_url.rstrip("/") + reverse("accounts:accept", args=[token])


@transaction.atomic
def invitation_create(
    *,
    user,
    municipality: Organisation,
    organisation: Organisation,
    role: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    base_url: str,
) -> Invitation:
    """Invite ``email`` to ``role`` in ``organisation`` and send the link by e-mail."""
    _require_manager(user=user, municipality=municipality)
    if not invitable_organisations(municipality).filter(pk=organisation.pk).exists():
        raise ValidationError(
            {"organisation": _("Choose one of your municipality's organisations.")}
        )
    _check_role(organisation, role)
    email = get_user_model().objects.normalize_email(email).strip()
    existing = managed_memberships(municipality).filter(user__email__iexact=email)
    if existing.exists():
        raise ValidationError(
            {
                "email": _(
                    "%(email)s already has access here. Change their role in the list instead."
                )
                % {"email": email}
            }
        )
    waiting = Invitation.objects.pending().filter(municipality=municipality, email__iexact=email)
    if waiting.exists():
        raise ValidationError(
            {
                "email": _(
                    "An invitation to %(email)s is already waiting. Revoke it first to send a new one."
                )
                % {"email": email}
            }
        )
    token = Invitation.new_token()
    invitation = Invitation(
        municipality=municipality,
        organisation=organisation,
        role=role,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        invited_by=user,
        token_hash=hash_token(token),
        expires_at=timezone.now() + datetime.timedelta(days=settings.SAMVERKAN_INVITATION_DAYS),
    )
    _save(invitation)
    link = invitation_link(token, base_url=settings.SAMVERKAN_BASE_URL or base_url)
    _send_invitation(invitation, link)
    return invitation


@transaction.atomic
def invitation_revoke(*, user, invitation: Invitation) -> None:
    _require_manager(user=user, municipality=invitation.municipality)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_pending:
        raise ValidationError(_("This invitation can no longer be revoked."))
    locked.revoked_at = timezone.now()
    locked.save()


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.by_token(token)
        .select_related("organisation", "municipality", "invited_by")
        .first()
    )


def existing_account(invitation: Invitation):
    """An active account that already has the invited address, if any."""
    return (
        get_user_model()
        .objects.filter(email__iexact=invitation.email, is_active=True)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user=None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
):
    """Accept an invitation: as the signed-in owner of the address, or as a new account.

    A new account's user name is the e-mail address. The invitation works once.
    """
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_pending:
        raise ValidationError(_("This invitation link has already been used or has expired."))
    User = get_user_model()
    if user is not None and user.is_authenticated:
        if user.email.lower() != locked.email.lower():
            raise ValidationError(
                _("The invitation is for %(email)s. Log out and open the link again.")
                % {"email": locked.email}
            )
        account = user
    else:
        if (
            existing_account(locked) is not None
            or User.objects.filter(username__iexact=locked.email).exists()
        ):
            raise ValidationError(
                _("An account with this address already exists. Log in to accept the invitation.")
            )
        account = User(
            username=locked.email.lower(),
            email=locked.email,
            first_name=first_name.strip() or locked.first_name,
            last_name=last_name.strip() or locked.last_name,
        )
        account.set_password(password)
        account.full_clean()
        account.save()
    Membership.objects.get_or_create(
        user=account, organisation=locked.organisation, role=locked.role
    )
    forget_access(account)
    locked.accepted_at = timezone.now()
    locked.accepted_by = account
    locked.save()
    return account


# ---------------------------------------------------------------------------
# Roles and accounts
# ---------------------------------------------------------------------------


@transaction.atomic
def membership_set_role(*, user, municipality: Organisation, membership: Membership, role: str):
    _require_manager(user=user, municipality=municipality)
    locked = managed_memberships(municipality).select_for_update(of=("self",)).get(pk=membership.pk)
    _check_role(locked.organisation, role)
    if locked.role == role:
        return locked
    if Membership.objects.filter(
        user_id=locked.user_id, organisation_id=locked.organisation_id, role=role
    ).exists():
        raise ValidationError({"role": _("The person already has this role here.")})
    if (
        locked.user_id == user.pk
        and locked.role == Role.COORDINATOR
        and not user.is_staff
        and not user.is_superuser
    ):
        raise ValidationError({"role": _("You cannot take away your own coordinator role.")})
    locked.role = role
    _save(locked)
    # No forget_access here: the access facts are cached on a request's user object, and the
    # person's next request loads them afresh from the memberships.
    return locked


@transaction.atomic
def user_set_active(*, user, municipality: Organisation, person, active: bool):
    """Deactivate (or reactivate) an account. Accounts are never deleted: their history,
    and everything they wrote, stays."""
    _require_manager(user=user, municipality=municipality)
    memberships = Membership.objects.filter(user=person)
    managed = managed_memberships(municipality).filter(user=person)
    if not managed.exists():
        raise PermissionDenied(_("This person has no role in your municipality."))
    if person.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if person.is_staff or person.is_superuser:
        raise ValidationError(_("Staff accounts are managed by the system administrators."))
    if memberships.exclude(pk__in=managed.values("pk")).exists():
        raise ValidationError(
            _(
                "%(name)s also has roles in other organisations. Ask the system administrators "
                "to deactivate the account."
            )
            % {"name": person.get_full_name() or person.username}
        )
    locked = get_user_model().objects.select_for_update().get(pk=person.pk)
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    return locked


# ---------------------------------------------------------------------------
# Units and areas
# ---------------------------------------------------------------------------


@transaction.atomic
def unit_save(
    *, user, municipality: Organisation, unit: Organisation, version: int | None = None
) -> Organisation:
    _require_manager(user=user, municipality=municipality)
    check_version(unit, version)
    if unit.pk == municipality.pk:
        raise ValidationError(_("Edit the municipality itself with the system administrators."))
    if unit.kind not in UNIT_KINDS:
        raise ValidationError({"kind": _("Choose one of the kinds offered.")})
    if unit.parent_id is None or not units_of(municipality).filter(pk=unit.parent_id).exists():
        raise ValidationError({"parent": _("Choose the municipality or one of its units.")})
    if unit.pk and units_of(municipality).filter(pk=unit.parent_id, parent_id=unit.pk).exists():
        raise ValidationError({"parent": _("The organisation tree must not loop.")})
    _save(unit)
    return unit


@transaction.atomic
def area_save(*, user, municipality: Organisation, area: Area, version: int | None = None) -> Area:
    _require_manager(user=user, municipality=municipality)
    check_version(area, version)
    area.municipality = municipality
    _save(area)
    return area


# ---------------------------------------------------------------------------
# A new customer
# ---------------------------------------------------------------------------


@dataclass
class CustomerSetup:
    municipality: Organisation
    police_area: Organisation
    invitation: Invitation


@transaction.atomic
def customer_create(
    *,
    user,
    municipality: Organisation,
    police_area: Organisation,
    police_region: Organisation | None,
    units: list[Organisation],
    areas: list[Area],
    coordinator_email: str,
    coordinator_first_name: str = "",
    coordinator_last_name: str = "",
    base_url: str,
) -> CustomerSetup:
    """Set a new municipality up in one go: the kommun, its local police area (and region),
    its units and areas, and an invitation for its first coordinator. Staff only."""
    if not (user.is_staff or user.is_superuser):
        raise PermissionDenied(_("Only staff may set up a new municipality."))
    if police_region is not None and police_region.pk is None:
        police_region.kind = OrganisationKind.POLICE_REGION
        _save(police_region)
    if police_area.pk is None:
        police_area.kind = OrganisationKind.POLICE_AREA
        police_area.parent = police_region
        _save(police_area)
    municipality.kind = OrganisationKind.MUNICIPALITY
    municipality.police_area = police_area
    _save(municipality)
    for unit in units:
        unit.parent = unit.parent or municipality
        _save(unit)
    for area in areas:
        area.municipality = municipality
        _save(area)
    invitation = invitation_create(
        user=user,
        municipality=municipality,
        organisation=municipality,
        role=Role.COORDINATOR,
        email=coordinator_email,
        first_name=coordinator_first_name,
        last_name=coordinator_last_name,
        base_url=base_url,
    )
    return CustomerSetup(municipality=municipality, police_area=police_area, invitation=invitation)
