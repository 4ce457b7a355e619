"""Demo data for the agreements app: organisations, users and (later) the reference agreements.

Every function is idempotent: it finds objects by their natural names and
creates only what is missing, so ``load_demo`` can run again and again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from .choices import OrganisationKind, Role
from .models import Membership, Organisation

DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo credentials, refused without DEBUG


@dataclass
class DemoContext:
    """What each app's demo loader hands on to the next."""

    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)
    agreements: dict[str, object] = field(default_factory=dict)
    plans: dict[str, object] = field(default_factory=dict)
    forums: dict[str, object] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)


def org(name: str, kind: str, parent: Organisation | None = None, **extra) -> Organisation:
    obj, _created = Organisation.objects.get_or_create(
        name=name, defaults={"kind": kind, "parent": parent, **extra}
    )
    return obj


def load_organisations(ctx: DemoContext) -> None:
    o = ctx.orgs
    o["region_ost"] = org("Polisregion Öst", OrganisationKind.POLICE_REGION)
    o["region_syd"] = org("Polisregion Syd", OrganisationKind.POLICE_REGION)
    o["eskilstuna"] = org("Eskilstuna kommun", OrganisationKind.MUNICIPALITY, code="0484")
    o["lpo_eskilstuna"] = org(
        "Lokalpolisområde Eskilstuna",
        OrganisationKind.POLICE_AREA,
        o["region_ost"],
        short_name="LPO Eskilstuna",
    )
    o["eslov"] = org("Eslövs kommun", OrganisationKind.MUNICIPALITY, code="1285")
    o["lpo_eslov"] = org(
        "Lokalpolisområde Eslöv",
        OrganisationKind.POLICE_AREA,
        o["region_syd"],
        short_name="LPO Eslöv",
    )
    o["strangnas"] = org("Strängnäs kommun", OrganisationKind.MUNICIPALITY, code="0486")
    o["lpo_strangnas"] = org(
        "Lokalpolisområde Strängnäs",
        OrganisationKind.POLICE_AREA,
        o["region_ost"],
        short_name="LPO Strängnäs",
    )


def user(username: str, first: str, last: str, memberships: list[tuple[Organisation, str]]):
    User = get_user_model()
    obj, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.se"},
    )
    if created:
        obj.set_password(DEMO_PASSWORD)
        obj.save()
    for organisation, role in memberships:
        Membership.objects.get_or_create(user=obj, organisation=organisation, role=role)
    return obj


def load_users(ctx: DemoContext) -> None:
    o, u = ctx.orgs, ctx.users
    u["samordnare"] = user(
        "samordnare", "Sara", "Samordnare", [(o["eskilstuna"], Role.COORDINATOR)]
    )
    u["kommunpolis"] = user(
        "kommunpolis", "Kim", "Kommunpolis", [(o["lpo_eskilstuna"], Role.POLICE)]
    )
    u["kug"] = user("kug", "Karin", "Rådsledamot", [(o["eskilstuna"], Role.COUNCIL_MEMBER)])
    u["samordnare-eslov"] = user(
        "samordnare-eslov", "Erik", "Samordnare", [(o["eslov"], Role.COORDINATOR)]
    )
    u["kommunpolis-eslov"] = user(
        "kommunpolis-eslov", "Elin", "Kommunpolis", [(o["lpo_eslov"], Role.POLICE)]
    )
    u["samordnare-strangnas"] = user(
        "samordnare-strangnas", "Stina", "Samordnare", [(o["strangnas"], Role.COORDINATOR)]
    )
    User = get_user_model()
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.se"},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    u["admin"] = admin


def load(ctx: DemoContext) -> None:
    load_organisations(ctx)
    load_users(ctx)
