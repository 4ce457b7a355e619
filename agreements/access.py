"""Who may see and do what — the one module where access is decided.

Access follows memberships (DESIGN.md, *Access*):

* a member of any of an agreement's parties (in any role) reads the agreement
  and everything below it; membership of a förvaltning counts for the kommun
  above it;
* a ``coordinator`` of the municipality edits the agreement, its plan, forums
  and reports;
* ``police`` of the police area review activities and write updates for the
  activities the police lead;
* a ``reporter`` of a unit (förvaltning, avdelning, bolag) writes and submits the updates
  of the activities that unit (or a unit below it) is responsible for or has a role in,
  and otherwise reads what a reader reads;
* staff read everything (and set up municipalities and their people); superusers
  also edit.

The module has three layers, each rule written once:

1. :class:`Access` — the facts: the organisations a user belongs to, per role, computed
   once per user object (one query) and cached on it.
2. The rules, by name: :func:`sees` (agreements, as a ``Q``), :func:`edits`,
   :func:`reviews`, :func:`reports` and :func:`manages` answer with a :class:`Scope`
   (the municipalities or police areas the rule lets the user act on), which serves as a
   ``Q`` for querysets (``scope.q("plan__agreement__municipality_id")``) and as a set for
   one object (``agreement.municipality_id in edits(user)``) — so a list and a button never
   disagree.
3. The door: every model's manager has ``visible_to(user)`` / ``editable_by(user)`` (and
   ``reviewable_by``, ``managed_by`` where they exist) built on the rules, and views reach
   one object through :func:`get_for_user`, which answers 404 for what the user may not
   reach. Views never read the facts themselves.

This module imports no models (it looks them up through the app registry), so the
models may build their querysets on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .choices import EDITABLE_STATUSES, Role

_CACHE_ATTR = "_samverkan_access"

#: How deep an organisation tree may go below its root (kommun › förvaltning › avdelning ›
#: enhet). The rules that follow a tree in one query look this far down, and
#: ``Organisation.clean`` refuses a deeper tree, so no unit can fall outside them.
TREE_DEPTH = 3


def in_subtrees_q(ids, prefix: str = "") -> Q:
    """A ``Q`` for organisations (through ``prefix``, e.g. ``"responsible__"``) that are one
    of ``ids`` or lie below one, down to :data:`TREE_DEPTH` levels."""
    ids = list(ids)
    q = Q(**{f"{prefix}pk__in": ids})
    for level in range(1, TREE_DEPTH + 1):
        q |= Q(**{f"{prefix}{'parent__' * (level - 1)}parent_id__in": ids})
    return q


_REPORTED_ATTR = "_samverkan_reported"


@dataclass(frozen=True)
class Scope:
    """The organisations (municipalities or police areas) a rule lets a user act on.

    ``everything`` for those the rule does not limit (superusers, and staff where they
    may). ``id in scope`` answers for one object, ``scope.q(lookup)`` for a queryset.
    """

    ids: frozenset[int] = frozenset()
    everything: bool = False

    def __contains__(self, org_id) -> bool:
        return self.everything or (org_id is not None and org_id in self.ids)

    def __bool__(self) -> bool:
        return self.everything or bool(self.ids)

    def q(self, lookup: str) -> Q:
        if self.everything:
            return Q()
        return Q(**{f"{lookup}__in": sorted(self.ids)})


@dataclass(frozen=True)
class Access:
    """The organisations a user belongs to, per role, with ancestors resolved."""

    is_authenticated: bool = False
    is_staff: bool = False
    is_superuser: bool = False
    # organisation id -> roles held there (membership org and all its ancestors)
    roles_by_org: dict[int, frozenset[str]] = field(default_factory=dict)
    # the units a user reports for (the membership's own organisation, not its ancestors)
    reporter_unit_ids: frozenset[int] = frozenset()

    @property
    def org_ids(self) -> frozenset[int]:
        return frozenset(self.roles_by_org)

    def orgs_with_role(self, *roles: str) -> frozenset[int]:
        wanted = set(roles)
        return frozenset(org for org, held in self.roles_by_org.items() if held & wanted)

    @property
    def coordinator_org_ids(self) -> frozenset[int]:
        return self.orgs_with_role(Role.COORDINATOR)

    @property
    def police_org_ids(self) -> frozenset[int]:
        return self.orgs_with_role(Role.POLICE)

    @property
    def sees_everything(self) -> bool:
        return self.is_staff or self.is_superuser

    @property
    def edits_everything(self) -> bool:
        return self.is_superuser

    @property
    def edit_scope(self) -> Scope:
        """Municipalities whose content this user edits (see :func:`edits`)."""
        return Scope(self.coordinator_org_ids, everything=self.edits_everything)

    @property
    def review_scope(self) -> Scope:
        """Police areas whose activities this user reviews (see :func:`reviews`)."""
        return Scope(self.police_org_ids, everything=self.edits_everything)

    @property
    def manage_scope(self) -> Scope:
        """Municipalities whose people this user manages (see :func:`manages`)."""
        return Scope(self.coordinator_org_ids, everything=self.sees_everything)

    def is_coordinator_of(self, org_id: int | None) -> bool:
        return org_id in self.edit_scope

    def is_police_of(self, org_id: int | None) -> bool:
        return org_id in self.review_scope


def get_access(user) -> Access:
    """Return the (cached) :class:`Access` of ``user``."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return Access()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    organisation = apps.get_model("agreements", "Organisation")
    roles: dict[int, set[str]] = {}
    rows = user.memberships.filter(organisation__is_active=True).values_list(
        "organisation_id",
        "organisation__parent_id",
        "organisation__parent__parent_id",
        "role",
    )
    deeper: set[int] = set()
    reporter_units: set[int] = set()
    for org_id, parent_id, grandparent_id, role in rows:
        if role == Role.REPORTER:
            reporter_units.add(org_id)
        for ancestor in (org_id, parent_id, grandparent_id):
            if ancestor is not None:
                roles.setdefault(ancestor, set()).add(role)
        if grandparent_id is not None:
            deeper.add(grandparent_id)
    # Organisation trees are shallow (kommun > förvaltning > avdelning); resolve
    # anything deeper with one more query only when needed.
    while deeper:
        parents = dict(
            organisation.objects.filter(pk__in=deeper, parent__isnull=False).values_list(
                "pk", "parent_id"
            )
        )
        deeper = set()
        for child, parent in parents.items():
            if parent not in roles or not roles[child] <= roles[parent]:
                roles.setdefault(parent, set()).update(roles[child])
                deeper.add(parent)
    access = Access(
        is_authenticated=True,
        is_staff=user.is_staff,
        is_superuser=user.is_superuser,
        roles_by_org={org: frozenset(held) for org, held in roles.items()},
        reporter_unit_ids=frozenset(reporter_units),
    )
    setattr(user, _CACHE_ATTR, access)
    return access


def forget_access(user) -> None:
    """Drop the cached access facts (after memberships change)."""
    for attr in (_CACHE_ATTR, _REPORTED_ATTR):
        if user is not None and hasattr(user, attr):
            delattr(user, attr)


# ---------------------------------------------------------------------------
# The rules
# ---------------------------------------------------------------------------


def edits(user) -> Scope:
    """The municipalities whose agreements, plans, forums, indicators and reports ``user``
    edits: its coordinators (superusers: all)."""
    return get_access(user).edit_scope


def reviews(user) -> Scope:
    """The police areas whose activities ``user`` reviews: their police (superusers: all)."""
    return get_access(user).review_scope


def manages(user) -> Scope:
    """The municipalities whose organisation, areas and people ``user`` manages: their
    coordinators, and staff (who set new customers up)."""
    return get_access(user).manage_scope


def approves_updates(user, agreement) -> bool:
    """Follow-up updates of an agreement are approved by its coordinator or its police."""
    return agreement.municipality_id in edits(user) or agreement.police_area_id in reviews(user)


def approves_update(user, update) -> bool:
    """Four eyes on one follow-up update: someone who approves the agreement's updates and
    did not write or last change this one (its author is whoever saved it last)."""
    return approves_updates(user, update.report.agreement) and (
        update.author_id is None or update.author_id != getattr(user, "pk", None)
    )


def approves_updates_q(user, prefix: str = "") -> Q:
    """:func:`approves_updates` for a queryset (agreements through ``prefix``)."""
    editing, reviewing = edits(user), reviews(user)
    if editing.everything:
        return Q()
    return editing.q(f"{prefix}municipality_id") | reviewing.q(f"{prefix}police_area_id")


def reports(user, agreement, activity) -> bool:
    """Who writes the follow-up of an activity: the coordinator for every activity, the
    police for the activities the police lead, and a unit's reporters for the activities
    their unit is responsible for or has a role in (:func:`reported_activities_q`)."""
    if agreement.municipality_id in edits(user):
        return True
    access = get_access(user)
    if agreement.police_area_id in reviews(user) and (
        access.edits_everything or activity.responsible_id in access.police_org_ids
    ):
        return True
    return bool(access.reporter_unit_ids) and activity.pk in reported_activity_ids(user, agreement)


def is_reporter_only(user, agreement) -> bool:
    """A reporter who neither edits nor reviews ``agreement``: sees only their own rows of
    its follow-up (other activities are not found for them)."""
    return bool(get_access(user).reporter_unit_ids) and not (
        agreement.municipality_id in edits(user) or agreement.police_area_id in reviews(user)
    )


def _in_units(path: str, units: list[int]) -> Q:
    """Organisations (through ``path``) that are one of ``units`` or lie below one."""
    return in_subtrees_q(units, f"{path}__")


def reported_activities_q(user, prefix: str = "") -> Q:
    """A ``Q`` selecting activities (through ``prefix``) that ``user`` reports on as a
    unit's reporter: the unit (or a unit below it) is responsible, or has a role in it."""
    units = sorted(get_access(user).reporter_unit_ids)
    if not units:
        return Q(pk__in=[])
    role = apps.get_model("actionplans", "ActivityRole")
    has_role = role._base_manager.filter(
        _in_units("organisation", units), activity_id=OuterRef(f"{prefix}pk")
    )
    return _in_units(f"{prefix}responsible", units) | Q(Exists(has_role))


def reported_activity_ids(user, agreement) -> frozenset[int]:
    """The activities of ``agreement`` that ``user`` reports on as a reporter (one query per
    agreement, cached on the user object)."""
    cache = getattr(user, _REPORTED_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _REPORTED_ATTR, cache)
    if agreement.pk not in cache:
        activity = apps.get_model("actionplans", "Activity")
        cache[agreement.pk] = frozenset(
            activity._base_manager.filter(reported_activities_q(user), plan__agreement=agreement)
            .filter(Exists(_visible_agreement(user)))
            .values_list("pk", flat=True)
        )
    return cache[agreement.pk]


def _visible_agreement(user):
    agreement = apps.get_model("agreements", "Agreement")
    return agreement._base_manager.filter(sees(user), pk=OuterRef("plan__agreement_id"))


def sees(user, prefix: str = "") -> Q:
    """A ``Q`` selecting agreements (reached through ``prefix``) that ``user`` may read:
    those where one of the user's organisations is a party."""
    access = get_access(user)
    if access.sees_everything:
        return Q()
    if not access.org_ids:
        return Q(pk__in=[])
    orgs = sorted(access.org_ids)
    party = apps.get_model("agreements", "AgreementParty")
    is_party = party._base_manager.filter(
        agreement_id=OuterRef(f"{prefix}pk" if prefix else "pk"), organisation_id__in=orgs
    )
    return (
        Q(**{f"{prefix}municipality_id__in": orgs})
        | Q(**{f"{prefix}police_area_id__in": orgs})
        | Q(Exists(is_party))
    )


def works_on(user, prefix: str = "") -> Q:
    """A ``Q`` selecting agreements (through ``prefix``) that are the user's own work: one
    of the user's organisations (or the kommun above their unit) is the agreement's
    municipality or police area. Narrower than :func:`sees`: not the agreements a further
    party's members read, and for staff only their own memberships' (staff read all)."""
    orgs = sorted(get_access(user).org_ids)
    if not orgs:
        return Q(pk__in=[])
    return Q(**{f"{prefix}municipality_id__in": orgs}) | Q(**{f"{prefix}police_area_id__in": orgs})


def edits_agreements(user, prefix: str = "", *, any_status: bool = False) -> Q:
    """A ``Q`` selecting agreements (through ``prefix``) whose content ``user`` may edit:
    :func:`edits`, and (unless ``any_status``) only while the agreement is open."""
    status_q = Q() if any_status else Q(**{f"{prefix}status__in": EDITABLE_STATUSES})
    scope = edits(user)
    if not scope:
        return Q(pk__in=[])
    return status_q & scope.q(f"{prefix}municipality_id")


def takes_part_in_remiss(user, prefix: str = "") -> Q:
    """A ``Q`` selecting agreements (through ``prefix``) whose remiss ``user`` takes part in:
    the municipality's coordinators and the police of the agreement's police area comment
    on the draft; the police record their area's approval. Others who read the agreement
    (council members, further parties) read it but do not comment."""
    editing, reviewing = edits(user), reviews(user)
    if editing.everything:
        return Q()
    if not editing and not reviewing:
        return Q(pk__in=[])
    return editing.q(f"{prefix}municipality_id") | reviewing.q(f"{prefix}police_area_id")


def creates_agreements(user) -> bool:
    """Coordinators (of any municipality) and superusers start agreements."""
    return bool(edits(user))


def sees_everything(user) -> bool:
    """Staff and superusers read every municipality's data (no rule to narrow by)."""
    return get_access(user).sees_everything


# ---------------------------------------------------------------------------
# The door
# ---------------------------------------------------------------------------

#: ``action`` of :func:`get_for_user` → the manager method that scopes it.
ACTIONS = {
    "view": "visible_to",
    "change": "editable_by",
    "review": "reviewable_by",
    "manage": "managed_by",
    "serve": "served_by",  # municipalities a user works for (Organisation)
    "remiss": "remiss_open_to",  # the coordinator and the police area comment on a draft
}


def get_for_user(queryset, user, *, action: str = "view", **lookup):
    """The one object ``user`` may reach for ``action``, or 404 (never revealing that it
    exists). ``queryset`` is a model or a queryset (e.g. with ``select_related``)::

        agreement = get_for_user(Agreement, request.user, pk=pk)
        activity = get_for_user(Activity, request.user, action="change", pk=pk)
    """
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    return get_object_or_404(getattr(queryset, ACTIONS[action])(user), **lookup)


def allows(user, obj, action: str = "change") -> bool:
    """Whether ``user`` may do ``action`` with ``obj`` — by the same queryset rule that
    builds the lists, so a button and a list never disagree."""
    manager = type(obj)._default_manager
    return getattr(manager, ACTIONS[action])(user).filter(pk=obj.pk).exists()


def require(user, obj, action: str = "change") -> None:
    """403 unless ``user`` may do ``action`` with ``obj`` (which the user may already read;
    what they may not read answers 404 through :func:`get_for_user`)."""
    if not allows(user, obj, action):
        raise PermissionDenied(_("You may read this but not change it."))
