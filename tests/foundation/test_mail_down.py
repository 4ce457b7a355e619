"""A mail server that is down never costs the user their work: the remiss, the review request
and the invitation are saved and the page answers as usual (the failed mail is logged for the
administrators); the coordinator's reminder, whose whole point is the mail, says it was not
sent and logs nothing as sent."""

import socket

import pytest
from django.urls import reverse

from agreements.choices import AgreementStatus
from tests.rendered import form_data


@pytest.fixture
def mail_server_down(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed, 2


def test_sending_on_remiss_is_saved_when_the_mail_cannot_be_sent(
    world, coordinator_client, police, mail_server_down, django_capture_on_commit_callbacks, caplog
):
    police.email = "polis@example.se"
    police.save()
    agreement = world.agreement
    page = coordinator_client.get(agreement.get_absolute_url())
    data = form_data(page, action=reverse("agreements:transition", args=[agreement.pk]))
    assert data["to"] == "review"
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("agreements:transition", args=[agreement.pk]), data
        )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.REVIEW
    assert "E-mail not sent" in caplog.text and "polis@example.se" in caplog.text


def test_an_invitation_is_kept_when_the_mail_cannot_be_sent(
    world, coordinator, mail_server_down, django_capture_on_commit_callbacks, caplog
):
    from accounts import services
    from accounts.models import Invitation
    from agreements.choices import Role

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            municipality=world.municipality,
            organisation=world.municipality,
            user=coordinator,
            email="ny@example.se",
            role=Role.VIEWER,
            base_url="http://testserver",
        )
    assert Invitation.objects.filter(email="ny@example.se").exists()
    assert "ny@example.se" in caplog.text
