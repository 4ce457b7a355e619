"""Reporting by the responsible unit: a förvaltning's reporter writes its own updates (#16)."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from agreements import access
from agreements.choices import Role
from core.choices import ReviewState
from followup import selectors, services
from followup.models import ActivityUpdate, ReportReminder
from tests.rendered import form_data


@pytest.fixture
def reporter_client(units, client):
    client.force_login(units.reporter)
    return client


def test_a_reporter_reports_on_the_activities_of_the_unit_and_the_units_below(units, followup):
    reporter = units.reporter
    agreement = followup.report.agreement
    assert access.reports(reporter, agreement, units.own)  # its avdelning is responsible
    assert access.reports(reporter, agreement, followup.municipal)  # it has a role in it
    assert not access.reports(reporter, agreement, units.other)
    assert not access.reports(reporter, agreement, followup.police_led)
    assert not access.approves_updates(reporter, agreement)


def test_the_fill_page_shows_a_reporter_only_the_units_activities(units, followup, reporter_client):
    page = reporter_client.get(reverse("followup:report-fill", args=[followup.report.pk]))
    html = page.content.decode()
    assert "Fältarbete kvällstid" in html and "Trygghetsvandringar" in html
    assert "Belysning i parker" not in html and "Platssamverkan i centrum" not in html


def test_a_reporter_writes_and_submits_an_update_through_the_forms_as_rendered(
    units, followup, reporter_client
):
    url = reverse("followup:update-edit", args=[followup.report.pk, units.own.pk])
    page = reporter_client.get(url)
    prefix = f"u{units.own.pk}"
    response = reporter_client.post(
        url,
        form_data(
            page,
            **{
                f"{prefix}-status": "on_track",
                f"{prefix}-progress": "40",
                f"{prefix}-done": "Fältarbete fyra kvällar i veckan",
            },
        ),
    )
    assert response.status_code == 302
    update = ActivityUpdate.objects.get(report=followup.report, activity=units.own)
    assert (update.author, update.progress, update.review_state) == (
        units.reporter,
        40,
        ReviewState.DRAFT,
    )
    assert update.history.filter(history_user=units.reporter).exists()
    reporter_client.post(reverse("followup:update-action", args=[update.pk]), {"action": "submit"})
    update.refresh_from_db()
    assert update.review_state == ReviewState.SUBMITTED


def test_another_units_activity_is_not_found_for_a_reporter(units, followup, reporter_client):
    for activity in (units.other, followup.police_led):
        url = reverse("followup:update-edit", args=[followup.report.pk, activity.pk])
        assert reporter_client.get(url).status_code == 404
        assert reporter_client.post(url, {}).status_code == 404
    assert not ActivityUpdate.objects.exists()


def test_a_reporter_does_not_review(units, followup, reporter_client, coordinator):
    update = ActivityUpdate.objects.create(
        report=followup.report,
        activity=units.other,
        author=coordinator,
        review_state=ReviewState.SUBMITTED,
    )
    assert (
        reporter_client.get(
            reverse("followup:report-review", args=[followup.report.pk])
        ).status_code
        == 403
    )
    response = reporter_client.post(
        reverse("followup:update-action", args=[update.pk]), {"action": "approve"}
    )
    assert response.status_code == 403
    update.refresh_from_db()
    assert update.review_state == ReviewState.SUBMITTED


def test_the_reporter_role_is_given_on_a_unit_not_on_the_municipality(world, coordinator, units):
    from accounts import services as accounts_services

    with pytest.raises(ValidationError) as exc_info:
        accounts_services.invitation_create(
            user=coordinator,
            municipality=world.municipality,
            email="ny@example.se",
            organisation=world.municipality,
            role=Role.REPORTER,
            base_url="http://testserver",
        )
    assert "välj enheten, inte kommunen" in " ".join(exc_info.value.messages)
    invitation = accounts_services.invitation_create(
        user=coordinator,
        municipality=world.municipality,
        email="ny@example.se",
        organisation=units.technical,
        role=Role.REPORTER,
        base_url="http://testserver",
    )
    assert invitation.role == Role.REPORTER


def test_the_coordinator_sees_who_has_reported_and_reminds_the_unit(
    units, followup, coordinator, coordinator_client
):
    ActivityUpdate.objects.create(
        report=followup.report,
        activity=units.other,
        author=coordinator,
        review_state=ReviewState.SUBMITTED,
    )
    page = coordinator_client.get(followup.report.get_absolute_url()).content.decode()
    assert "Rapportering per enhet" in page and "Sara Social" in page
    assert "Påminn Fältgruppen" in page
    assert "Påminn Tekniska förvaltningen" not in page  # it has handed in

    response = coordinator_client.post(
        reverse("followup:report-remind", args=[followup.report.pk]),
        {"unit": units.own.responsible_id},
        follow=True,
    )
    assert "En påminnelse skickades till 1 rapportör." in response.content.decode()
    assert [m.to for m in mail.outbox] == [[units.reporter.email]]
    body = mail.outbox[0].body
    deep_link = reverse("followup:update-edit", args=[followup.report.pk, units.own.pk])
    assert "Fältarbete kvällstid" in body and deep_link in body
    assert "Belysning i parker" not in body
    reminder = ReportReminder.objects.get()
    assert (reminder.unit_id, reminder.sent_by, reminder.recipients) == (
        units.own.responsible_id,
        coordinator,
        1,
    )
    assert "Påmind" in coordinator_client.get(followup.report.get_absolute_url()).content.decode()


def test_a_reminder_the_mail_server_refuses_says_so_and_is_not_logged_as_sent(
    units, followup, coordinator_client, settings
):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed, 2
    response = coordinator_client.post(
        reverse("followup:report-remind", args=[followup.report.pk]),
        {"unit": units.own.responsible_id},
        follow=True,
    )
    assert response.status_code == 200
    assert "Påminnelsen kunde inte skickas" in response.content.decode()
    assert not ReportReminder.objects.exists()


def test_a_unit_without_reporters_is_not_reminded(units, followup, coordinator):
    with pytest.raises(ValidationError) as exc_info:
        services.report_remind(report=followup.report, unit_id=units.technical.pk, user=coordinator)
    assert "inga rapportörer" in " ".join(exc_info.value.messages)
    assert not mail.outbox and not ReportReminder.objects.exists()


def test_the_weekly_reminder_goes_to_the_units_reporter_not_the_coordinator(
    units, followup, coordinator
):
    due = followup.report.due_date
    call_command(
        "send_update_reminders",
        "--date",
        (due - datetime.timedelta(days=7)).isoformat(),
        stdout=io.StringIO(),
    )
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    reporter_mail = by_recipient[units.reporter.email]
    assert "Fältarbete kvällstid" in reporter_mail and "Trygghetsvandringar" in reporter_mail
    assert "Fältarbete kvällstid" not in by_recipient.get(coordinator.email, "")


def test_the_reporters_queue_lists_what_is_owed_and_what_was_sent_back(units, followup, police):
    returned = ActivityUpdate.objects.create(
        report=followup.report,
        activity=units.own,
        author=units.reporter,
        review_state=ReviewState.RETURNED,
        review_comment="Komplettera med antal kvällar",
    )
    owed = selectors.updates_to_write(units.reporter)
    assert [(o.activity, o.is_returned) for o in owed][:1] == [(units.own, True)]
    assert {o.activity for o in owed} == {units.own, followup.municipal}
    returned.review_state = ReviewState.SUBMITTED
    returned.save()
    owed = {(o.report.pk, o.activity.pk) for o in selectors.updates_to_write(units.reporter)}
    assert (followup.report.pk, units.own.pk) not in owed
    assert (followup.report.pk, followup.municipal.pk) in owed
    assert selectors.updates_to_write(police) == []


def test_each_role_lands_on_its_own_queue(units, followup, reporter_client, council_member):
    from django.test import Client

    home = reverse("dashboard:home")
    page = reporter_client.get(home).content.decode()
    deep_link = reverse("followup:update-edit", args=[followup.report.pk, units.own.pk])
    assert "Uppdateringar att skriva" in page and deep_link in page
    assert "Belysning i parker" not in page

    council = Client()
    council.force_login(council_member)
    page = council.get(home).content.decode()
    assert "Senaste godkända uppföljningsrapporterna" in page
    assert reverse("followup:report-list") in page
    assert "Uppdateringar att skriva" not in page
