"""The reference agreements in every format the importer reads, built once per session."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from agreements.choices import Role
from tests.factories import MembershipFactory, MunicipalityFactory, PoliceAreaFactory

from . import documents

PARTIES = {
    "eskilstuna": ("Eskilstuna kommun", "Lokalpolisområde Eskilstuna"),
    "eslov": ("Eslövs kommun", "Lokalpolisområde Eslöv"),
    "strangnas": ("Strängnäs kommun", "Lokalpolisområde Strängnäs"),
}

FORMATS = ("txt", "docx", "docx-plain", "pdf")

_CACHE: dict[tuple[str, str], tuple[str, bytes]] = {}


def document(name: str, fmt: str) -> tuple[str, bytes]:
    """(file name, bytes) of reference ``name`` written as ``fmt``."""
    key = (name, fmt)
    if key not in _CACHE:
        if fmt == "txt":
            built = (f"{name}.txt", documents.reference_text(name).encode("utf-8"))
        elif fmt == "docx":
            built = (f"{name}.docx", documents.docx_bytes(name))
        elif fmt == "docx-plain":
            built = (f"{name}.docx", documents.docx_bytes(name, styled=False))
        else:
            built = (f"{name}.pdf", documents.pdf_bytes(name))
        _CACHE[key] = built
    return _CACHE[key]


def person(username: str):
    """A user who signs in with ``force_login`` (no password: hashing is slow)."""
    user = get_user_model()(username=username, email=f"{username}@example.se")
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def parties(db):
    """The three reference municipalities with their police areas and coordinators."""
    made = {}
    for key, (kommun, lpo) in PARTIES.items():
        police_area = PoliceAreaFactory(name=lpo)
        municipality = MunicipalityFactory(name=kommun, police_area=police_area)
        user = person(f"samordnare-{key}")
        MembershipFactory(user=user, organisation=municipality, role=Role.COORDINATOR)
        made[key] = (municipality, police_area, user)
    return made
