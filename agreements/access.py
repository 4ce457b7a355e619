"""Who may see and edit what — the one place where access is decided.

Access follows memberships (DESIGN.md, *Access*):

* a member of any of an agreement's parties (in any role) reads the agreement
  and everything below it; membership of a förvaltning counts for the kommun
  above it;
* a ``coordinator`` of the municipality edits the agreement, its plan, forums
  and reports;
* ``police`` of the police area review activities and write updates for the
  activities the police lead;
* staff read everything; superusers also edit.

Each model's manager has ``visible_to(user)`` / ``editable_by(user)`` built on
:class:`Access`. The access facts are computed once per user object (one query)
and cached on it, so a page asks the database for them only once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from .choices import Role

_CACHE_ATTR = "_samverkan_access"


@dataclass(frozen=True)
class Access:
    """The organisations a user belongs to, per role, with ancestors resolved."""

    is_authenticated: bool = False
    is_staff: bool = False
    is_superuser: bool = False
    # organisation id -> roles held there (membership org and all its ancestors)
    roles_by_org: dict[int, frozenset[str]] = field(default_factory=dict)

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

    def is_coordinator_of(self, org_id: int | None) -> bool:
        return self.edits_everything or (org_id is not None and org_id in self.coordinator_org_ids)

    def is_police_of(self, org_id: int | None) -> bool:
        return self.edits_everything or (org_id is not None and org_id in self.police_org_ids)

    def is_member_of(self, org_id: int | None) -> bool:
        return self.sees_everything or (org_id is not None and org_id in self.roles_by_org)


def get_access(user) -> Access:
    """Return the (cached) :class:`Access` of ``user``."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return Access()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from .models import Membership, Organisation

    roles: dict[int, set[str]] = {}
    rows = Membership.objects.filter(user=user, organisation__is_active=True).values_list(
        "organisation_id",
        "organisation__parent_id",
        "organisation__parent__parent_id",
        "role",
    )
    deeper: set[int] = set()
    for org_id, parent_id, grandparent_id, role in rows:
        for ancestor in (org_id, parent_id, grandparent_id):
            if ancestor is not None:
                roles.setdefault(ancestor, set()).add(role)
        if grandparent_id is not None:
            deeper.add(grandparent_id)
    # Organisation trees are shallow (kommun > förvaltning > avdelning); resolve
    # anything deeper with one more query only when needed.
    while deeper:
        parents = dict(
            Organisation.objects.filter(pk__in=deeper, parent__isnull=False).values_list(
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
    )
    setattr(user, _CACHE_ATTR, access)
    return access


def forget_access(user) -> None:
    """Drop the cached access facts (after memberships change)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
