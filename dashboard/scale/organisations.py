"""Municipalities, police areas, units, users and areas."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from agreements.choices import (
    OrganisationKind,
    PoliceClassification,
    Role,
)
from agreements.models import (
    Area,
    Membership,
    Organisation,
)

from .base import Municipality, _aware, _text
from .vocabulary import AREA_NAMES, DEPARTMENTS


class OrganisationsMixin:
    """Municipalities, police areas, units, users with memberships, areas."""

    def organisations(self, ms: list[Municipality], staff) -> None:
        when = _aware(self.prev_start - datetime.timedelta(days=30))
        tops = []
        for m in ms:
            m.org = self.stamp(
                Organisation(name=m.name, kind=OrganisationKind.MUNICIPALITY, code=m.code),
                when,
                staff,
            )
            tops.append(m.org)
            if (m.index - 1) % 3 == 0:
                m.police = self.stamp(
                    Organisation(
                        name=f"Lokalpolisområde {m.base}",
                        short_name=f"LPO {m.base}"[:40],
                        kind=OrganisationKind.POLICE_AREA,
                        parent=m.region,
                    ),
                    when,
                    staff,
                )
                tops.append(m.police)
        self.create(Organisation, tops)
        children = []
        lpo = None
        for m in ms:
            lpo = m.police or lpo
            m.police = lpo
            for name, short in DEPARTMENTS:
                dep = Organisation(
                    name=f"{name}, {m.base}", short_name=short, kind=OrganisationKind.DEPARTMENT
                )
                dep.parent = m.org
                m.departments.append(self.stamp(dep, when, staff))
            m.company = self.stamp(
                Organisation(name=f"{m.base}hem AB", kind=OrganisationKind.COMPANY, parent=m.org),
                when,
                staff,
            )
            children += [*m.departments, m.company]
        self.create(Organisation, children)

    def users(self, ms: list[Municipality]) -> None:
        User = get_user_model()
        users = []
        for m in ms:
            n = f"{m.index:04d}"
            m.coordinator = User(
                username=f"samordnare-{n}",
                first_name="Samordnare",
                last_name=m.base,
                email=f"samordnare-{n}@example.se",
                password=self.password,
            )
            m.officer = User(
                username=f"kommunpolis-{n}",
                first_name="Kommunpolis",
                last_name=m.base,
                email=f"kommunpolis-{n}@example.se",
                password=self.password,
            )
            m.council = User(
                username=f"kug-{n}",
                first_name="Ledamot",
                last_name=m.base,
                email=f"kug-{n}@example.se",
                password=self.password,
            )
            users += [m.coordinator, m.officer, m.council]
        self.create(User, users)
        when = _aware(self.prev_start - datetime.timedelta(days=20))
        memberships = []
        for m in ms:
            for user, org, role in (
                (m.coordinator, m.org, Role.COORDINATOR),
                (m.officer, m.police, Role.POLICE),
                (m.council, m.org, Role.COUNCIL_MEMBER),
            ):
                memberships.append(
                    self.stamp(Membership(user=user, organisation=org, role=role), when)
                )
        self.create(Membership, memberships)

    def areas(self, ms: list[Municipality]) -> None:
        when = _aware(self.prev_start - datetime.timedelta(days=10))
        areas = []
        for m in ms:
            for k, name in enumerate(AREA_NAMES[:4]):
                label = name if k == 0 else f"{m.base} {name.lower()}"
                classification = PoliceClassification.NONE
                if k == 1 and m.index % 4 == 0:
                    classification = PoliceClassification.VULNERABLE
                elif k == 2 and m.index % 7 == 0:
                    classification = PoliceClassification.RISK
                area = Area(
                    municipality=m.org,
                    name=label,
                    police_classification=classification,
                    socioeconomic_challenges=classification != PoliceClassification.NONE,
                    description=_text(m.rng, 1),
                )
                m.areas.append(self.stamp(area, when, m.coordinator))
                areas.append(area)
        self.create(Area, areas)

    # -- agreements -----------------------------------------------------------
