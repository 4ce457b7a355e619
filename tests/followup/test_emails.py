"""The monthly deviation digest and the reminder a week before a report is due."""

import io

from django.core import mail
from django.core.management import call_command

from core.choices import ReviewState

from .factories import UpdateFactory


def test_digest_goes_to_each_coordinator_with_their_deviations(
    coordinator, outsider, police, followup, world
):
    UpdateFactory(
        report=followup.report,
        activity=followup.police_led,
        status="delayed",
        deviation="Väntar på beslut",
        remedy="Lyfts till styrgruppen",
    )
    call_command("send_deviation_digest", "--date", "2025-10-01", stdout=io.StringIO())
    assert len(mail.outbox) == 1  # the outsider sees no deviation, the police are no coordinators
    message = mail.outbox[0]
    assert message.to == [coordinator.email]
    assert message.subject == "Avvikelser i åtgärdsplanerna, oktober 2025"
    assert "1.2 Platssamverkan i centrum" in message.body
    assert "Försenad" in message.body and "sedan Delår 2 2025" in message.body
    assert "Lyfts till styrgruppen" in message.body


def test_digest_dry_run_sends_nothing(coordinator, followup):
    UpdateFactory(
        report=followup.report, activity=followup.municipal, status="at_risk", deviation="x"
    )
    call_command("send_deviation_digest", "--dry-run", stdout=io.StringIO())
    assert mail.outbox == []


def test_reminder_a_week_before_goes_to_those_who_owe_updates(
    coordinator, police, council_member, followup
):
    # The report is due 2025-09-30: the reminder goes on 2025-09-23.
    UpdateFactory(
        report=followup.report,
        activity=followup.municipal,
        review_state=ReviewState.SUBMITTED,
    )
    call_command("send_update_reminders", "--date", "2025-09-22", stdout=io.StringIO())
    assert mail.outbox == []
    call_command("send_update_reminders", "--date", "2025-09-23", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[police.email]]
    body = mail.outbox[0].body
    assert "1.2 Platssamverkan i centrum" in body  # police-led, not yet submitted
    assert "Trygghetsvandringar" not in body  # already submitted
    assert "30 september 2025" in body


def test_reminder_for_municipal_activities_goes_to_the_coordinator(coordinator, police, followup):
    UpdateFactory(
        report=followup.report,
        activity=followup.police_led,
        review_state=ReviewState.APPROVED,
    )
    call_command("send_update_reminders", "--date", "2025-09-23", stdout=io.StringIO())
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "Trygghetsvandringar" in mail.outbox[0].body
    assert mail.outbox[0].subject == "Påminnelse: uppföljningen ska vara klar 30 september 2025"
