"""Journey: a förvaltning's reporter is invited, writes and submits the unit's update, answers
a send-back, and sees it approved (#16). The coordinator and the police act through the
services, as their own journeys test their pages."""

import datetime
import re

from django.core import mail

from accounts import services as accounts_services
from agreements.choices import OrganisationKind, Role
from followup import services
from followup.models import ActivityUpdate
from tests.browser.conftest import assert_accessible, reload_to_confirm
from tests.factories import OrganisationFactory
from tests.followup.factories import FollowupActivityFactory, FollowupPlanFactory, ReportFactory


def test_a_reporter_writes_submits_answers_a_send_back_and_sees_it_approved(
    page, live_server, world, coordinator, police
):
    social = OrganisationFactory(
        name="Socialförvaltningen", kind=OrganisationKind.DEPARTMENT, parent=world.municipality
    )
    plan = FollowupPlanFactory(agreement=world.agreement, title="Åtgärdsplan Ankeby")
    own = FollowupActivityFactory(
        plan=plan, position=1, code="2.1", title="Fältarbete kvällstid", responsible=social
    )
    FollowupActivityFactory(
        plan=plan,
        position=2,
        code="2.2",
        title="Belysning i parker",
        responsible=world.municipality,
    )
    report = ReportFactory(
        agreement=world.agreement,
        plan=plan,
        title="Delår 2 2025",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 8, 31),
        due_date=datetime.date(2025, 9, 30),
    )

    # The coordinator invites the förvaltning's reporter; the link arrives by e-mail.
    accounts_services.invitation_create(
        user=coordinator,
        municipality=world.municipality,
        organisation=social,
        role=Role.REPORTER,
        email="sara.social@ankeby.se",
        base_url=live_server.url,
    )
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_label("Förnamn").fill("Sara")
    page.get_by_label("Efternamn").fill("Social")
    page.get_by_label(re.compile(r"^Lösenord(?! igen)")).fill("Fältarbete-2025!")
    page.get_by_label("Lösenord igen").fill("Fältarbete-2025!")
    page.get_by_role("button", name="Skapa mitt konto").click()
    page.wait_for_load_state()

    # The start page says what the unit owes, and only that.
    page.goto("/")
    queue = page.locator(
        "section", has=page.get_by_role("heading", name="Uppdateringar att skriva")
    )
    assert "Belysning i parker" not in queue.inner_text()
    assert_accessible(page, context="reporter's start page")
    queue.get_by_role("link", name="2.1 Fältarbete kvällstid").click()
    page.get_by_role("heading", name="2.1 Fältarbete kvällstid").first.wait_for()

    page.get_by_label(re.compile(r"^Status")).select_option(label="Enligt plan")
    page.get_by_label("Framdrift (%)").fill("40")
    page.get_by_label("Vad som gjordes").fill("Fältarbete fyra kvällar i veckan.")
    page.get_by_role("button", name="Spara aktivitet 2.1").click()
    page.get_by_role("status").get_by_text("Sparat.").wait_for()  # saved in place (htmx)
    page.get_by_role("button", name="Lämna in för granskning").click()
    page.get_by_text("Uppdateringen har lämnats in för granskning.").wait_for()
    reload_to_confirm(page)
    update = ActivityUpdate.objects.get(report=report, activity=own)
    assert update.review_state == "submitted" and update.author.email == "sara.social@ankeby.se"

    # The police send it back with a comment; the reporter sees it first on the start page.
    services.update_return(update=update, user=police, comment="Ange hur många unga ni mötte.")
    page.goto("/")
    queue = page.locator(
        "section", has=page.get_by_role("heading", name="Uppdateringar att skriva")
    )
    assert "Ange hur många unga ni mötte." in queue.inner_text()
    queue.get_by_role("link", name="2.1 Fältarbete kvällstid").click()
    page.get_by_label("Vad som gjordes").fill(
        "Fältarbete fyra kvällar i veckan; vi mötte 120 unga."
    )
    page.get_by_role("button", name="Spara aktivitet 2.1").click()
    page.get_by_role("status").get_by_text("Sparat.").wait_for()  # saved in place (htmx)
    page.get_by_role("button", name="Lämna in för granskning").click()
    page.get_by_text("Uppdateringen har lämnats in för granskning.").wait_for()
    update.refresh_from_db()
    assert update.review_state == "submitted" and "120 unga" in update.done

    # Approved by the police (four eyes): the start page has nothing left, the report says so.
    services.update_approve(update=update, user=police)
    page.goto("/")
    page.get_by_text("Din enhet har inga uppdateringar kvar att skriva.").wait_for()
    page.goto(report.get_absolute_url())
    assert "Godkänd" in page.locator("main").inner_text()
    assert_accessible(page, context="report as the reporter")
