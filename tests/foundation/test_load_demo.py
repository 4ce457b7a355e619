"""load_demo: idempotent, the contract's users, refuses without DEBUG."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from agreements.access import get_access
from agreements.choices import Role
from agreements.models import Membership


def test_load_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")


def test_load_demo_creates_the_contract_users_and_is_idempotent(db):
    call_command("load_demo", "--force", verbosity=0)
    counts = {m._meta.label: m.objects.count() for m in (Membership, get_user_model())}
    call_command("load_demo", "--force", verbosity=0)
    assert counts == {m._meta.label: m.objects.count() for m in (Membership, get_user_model())}
    expected = {
        "samordnare": ("Eskilstuna kommun", Role.COORDINATOR),
        "kommunpolis": ("Lokalpolisområde Eskilstuna", Role.POLICE),
        "kug": ("Eskilstuna kommun", Role.COUNCIL_MEMBER),
        "samordnare-eslov": ("Eslövs kommun", Role.COORDINATOR),
    }
    for username, (org, role) in expected.items():
        user = authenticate(username=username, password="demo")
        assert user is not None, username
        assert Membership.objects.filter(user=user, organisation__name=org, role=role).exists()
        assert get_access(user).org_ids


def test_load_demo_sends_no_mail_even_with_a_real_mail_server_configured(
    transactional_db, settings
):
    # With production's SMTP settings, the services the demo goes through (remiss, reviews)
    # would write to the made-up addresses — or fail on a closed port, as here, stopping the
    # load (seen in `make bench-load`). The mails are sent on commit: a real one, here.
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    call_command("load_demo", "--force", verbosity=0)
    assert get_user_model().objects.filter(username="kommunpolis").exists()
