"""Shared fixtures: two municipalities and the personas of STYLE.md.

``world`` is municipality A (Ankeby) with its police area, and municipality B
(Bergsjö) with its own. Personas: coordinator, kommunpolis, council member and
viewer of A; an outsider who is B's coordinator; and a staff user.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client, override_settings
from hypothesis import settings as hypothesis_settings

from agreements.choices import Role

from .factories import (
    AgreementFactory,
    MembershipFactory,
    MunicipalityFactory,
    PoliceAreaFactory,
    UserFactory,
)

# Hypothesis profiles, chosen by HYPOTHESIS_PROFILE: "ci" (the default: a fixed seed and a few
# examples, so `make test` stays fast and repeatable) and "fuzz" (`make fuzz`: many examples,
# random seeds, the failures Hypothesis found before tried first).
hypothesis_settings.register_profile("ci", derandomize=True, max_examples=5, database=None)
hypothesis_settings.register_profile(
    "fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), derandomize=False
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Every persona is made with a password, and PBKDF2's deliberate slowness costs 0.6 s a
    password here: minutes over the suite. Tests hash with MD5; the settings are untouched."""
    hashers = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # a hash made elsewhere still checks
    ]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield


_mutant_slot = None


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Under `make mutants MUTANT_CHILDREN=N`, one test database per running child.

    mutmut forks a pytest per mutant, N at a time; with one shared `test_samverkan` their
    test transactions insert the same fixture rows (user names are unique) and wait on each
    other's locks. Each child claims a free slot (a lock file that the kernel releases when
    the child exits) and uses `test_samverkan_mutN`, created once per slot (--reuse-db).
    """
    slots_dir = os.environ.get("SAMVERKAN_MUTANT_SLOTS")
    if not slots_dir:
        return
    import fcntl

    from pytest_django.fixtures import _set_suffix_to_test_databases

    global _mutant_slot
    slots = int(os.environ.get("SAMVERKAN_MUTANT_CHILDREN", "1"))
    for slot in range(slots):
        lock = os.open(os.path.join(slots_dir, f"slot-{slot}.lock"), os.O_CREAT | os.O_WRONLY)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(lock)
            continue
        _mutant_slot = (slot, lock)  # the lock is held until this process exits
        _set_suffix_to_test_databases(f"mut{slot}")
        return
    pytest.fail("no free mutation-test database slot")


if os.environ.get("SAMVERKAN_MUTANT_SLOTS"):
    # mutmut's fork server imports this file once; a PDF printed here leaves WeasyPrint and
    # its fonts loaded in every mutant's process forked from it.
    import weasyprint

    weasyprint.HTML(string="<p>Samverkan</p>").write_pdf()

    @pytest.fixture(autouse=True, scope="session")
    def _pdfs_rendered_in_the_mutants_process():
        """Each mutant's pytest is a new process, and the PDF pool would start a new Python
        (Django and WeasyPrint imported again, seconds) for its first PDF; the pool's time limit
        and isolation are tested in tests/pdf, which mutation runs leave out."""
        import core.pdf

        class InProcess:
            def render(self, job, timeout):
                return core.pdf.render_in_process(**job)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(core.pdf, "_get_pool", InProcess)
            yield

    @pytest.fixture(scope="session")
    def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings):
        """A mutant's pytest uses its slot's database as it is: the first child of each slot
        migrates it, the others skip Django's migration check (a second per mutant)."""
        from django.conf import settings
        from django.db import connections
        from django.test.utils import setup_databases

        ready = os.path.join(os.environ["SAMVERKAN_MUTANT_SLOTS"], f"slot-{_mutant_slot[0]}.ready")
        with django_db_blocker.unblock():
            if not os.path.exists(ready):
                setup_databases(verbosity=0, interactive=False, keepdb=True)
                Path(ready).touch()
            else:
                for connection in connections.all():
                    name = connection.creation._get_test_db_name()
                    connection.close()
                    settings.DATABASES[connection.alias]["NAME"] = name
                    connection.settings_dict["NAME"] = name
        yield


@dataclass
class World:
    municipality: object
    police_area: object
    other_municipality: object
    other_police_area: object
    agreement: object
    other_agreement: object


@pytest.fixture
def world(db):
    a = MunicipalityFactory(name="Ankeby kommun")
    lpo_a = PoliceAreaFactory(name="Lokalpolisområde Ankeby")
    b = MunicipalityFactory(name="Bergsjö kommun")
    lpo_b = PoliceAreaFactory(name="Lokalpolisområde Bergsjö")
    return World(
        municipality=a,
        police_area=lpo_a,
        other_municipality=b,
        other_police_area=lpo_b,
        agreement=AgreementFactory(
            municipality=a, police_area=lpo_a, title="Överenskommelse Ankeby 2024–2027"
        ),
        other_agreement=AgreementFactory(
            municipality=b, police_area=lpo_b, title="Överenskommelse Bergsjö 2024–2027"
        ),
    )


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches (core.fragments keeps rendered fragments there)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Stored files (signed and approved PDFs, scans, uploads) go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _member(username, organisation, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def coordinator(world):
    return _member("samordnare-a", world.municipality, Role.COORDINATOR)


@pytest.fixture
def police(world):
    return _member("kommunpolis-a", world.police_area, Role.POLICE)


@pytest.fixture
def council_member(world):
    return _member("kug-a", world.municipality, Role.COUNCIL_MEMBER)


@pytest.fixture
def viewer(world):
    return _member("lasare-a", world.municipality, Role.VIEWER)


@pytest.fixture
def outsider(world):
    """The coordinator of another municipality."""
    return _member("samordnare-b", world.other_municipality, Role.COORDINATOR)


@pytest.fixture
def staff(db):
    return UserFactory(username="personal", is_staff=True)


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator_client(coordinator):
    return _client_for(coordinator)


@pytest.fixture
def police_client(police):
    return _client_for(police)


@pytest.fixture
def council_client(council_member):
    return _client_for(council_member)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def staff_client(staff):
    return _client_for(staff)
