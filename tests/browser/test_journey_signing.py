"""Journey 4: the coordinator takes the agreement to signed, downloads its PDF; edits are refused."""

import io
import re

from pypdf import PdfWriter

from agreements.choices import AgreementStatus
from tests.browser.conftest import assert_accessible, download_pdf, field, login, pdf_text, squeeze
from tests.factories import (
    CommitmentFactory,
    FocusAreaFactory,
    SubGoalFactory,
    chair_and_police_chief,
)

EDIT_FOCUS_AREA = re.compile(r"^Ändra\s*: Trygg offentlig miljö$")  # hidden text: own line
LOCKED = "Överenskommelsen är undertecknad och kan inte ändras"


def _scan() -> bytes:
    """A one-page PDF standing in for the scanned paper copy."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _written_agreement(world):
    agreement = world.agreement
    area = FocusAreaFactory(agreement=agreement, position=1, title="Trygg offentlig miljö")
    SubGoalFactory(focus_area=area, position=1, text="Fler vuxna ute kvällstid")
    CommitmentFactory(agreement=agreement, party=agreement.municipality, text="Ordna vandringar")
    CommitmentFactory(agreement=agreement, party=agreement.police_area, text="Delta i vandringar")
    chair_and_police_chief(agreement)
    return agreement


def test_coordinator_signs_the_agreement_downloads_the_pdf_and_cannot_edit_it_again(
    page, new_page, world, coordinator, police
):
    agreement = _written_agreement(world)
    title = agreement.title
    login(page, coordinator.username)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Överenskommelser"
    ).click()
    page.get_by_role("link", name=title).click()
    page.get_by_role("heading", level=1, name=title).wait_for()
    assert_accessible(page, context="draft agreement")

    # A second tab with the focus area's edit form open, as a user might leave it.
    other_tab = page.context.new_page()
    other_tab.goto(page.url)
    other_tab.get_by_role("link", name=EDIT_FOCUS_AREA).click()
    other_tab.get_by_role("heading", level=1).wait_for()
    assert_accessible(other_tab, context="focus area edit form")

    lifecycle = page.locator("section.lifecycle")
    lifecycle.get_by_role("button", name="Skicka på remiss").click()
    page.get_by_text("Överenskommelsen är nu: På remiss.").wait_for()

    # The remiss: the kommunpolis comments on the focus area and approves the draft.
    police_page = new_page()
    login(police_page, police.username)
    police_page.goto(agreement.get_absolute_url())
    focus = police_page.locator("article.focus-area").first
    focus.locator("summary", has_text="Lämna synpunkt").first.click()
    focus.get_by_label("Din synpunkt").first.fill("Nämn kvällstid i centrum <b>tydligt</b>.")
    focus.get_by_role("button", name="Spara synpunkten").first.click()
    police_page.get_by_text("Din synpunkt har sparats.").wait_for()
    assert_accessible(police_page, context="remiss comment saved")
    police_page.get_by_role("button", name=re.compile("^Godkänn utkastet för")).click()
    police_page.get_by_text("Lokalpolisområdets godkännande av utkastet är registrerat.").wait_for()

    # The coordinator sees the comment beside the focus area, and the approval.
    page.reload()
    focus = page.locator("article.focus-area").first
    assert "Nämn kvällstid i centrum <b>tydligt</b>." in focus.inner_text()
    assert "godkände utkastet" in page.locator("#remiss").inner_text()
    focus.locator("summary", has_text="Svara och markera som hanterad").click()
    focus.get_by_label("Svar").fill("Tillagt i beskrivningen.")
    focus.get_by_role("button", name="Spara", exact=True).click()
    page.get_by_text("Synpunkten har uppdaterats.").wait_for()
    assert_accessible(page, context="remiss comment handled")
    assert "Hanterad" in page.locator("article.focus-area").first.inner_text()

    page.locator("section.lifecycle").get_by_role("button", name="Markera som beslutad").click()
    page.get_by_text("Överenskommelsen är nu: Beslutad.").wait_for()
    page.get_by_role("link", name="Registrera undertecknande").click()
    page.get_by_role("heading", level=1, name="Registrera undertecknande").wait_for()
    assert_accessible(page, context="sign form")
    assert page.locator("#remiss-approved").count() == 1  # the police approved this version
    # Each signatory's date is filled in with today's date; the coordinator confirms.
    assert field(
        page, "Anna Andersson, Kommunstyrelsens ordförande, undertecknade den"
    ).input_value()
    page.get_by_role("button", name="Gå vidare: granska vad som låses").click()
    # The confirmation: exactly what will be locked, before the irreversible step.
    page.get_by_role("heading", level=1, name="Bekräfta undertecknandet").wait_for()
    assert_accessible(page, context="sign confirmation")
    locked = page.locator("#locked-focus-areas").inner_text()
    assert "Trygg offentlig miljö" in locked
    assert "Anna Andersson" in page.locator("#locked-signatories").inner_text()
    page.get_by_role("button", name="Underteckna överenskommelsen").click()
    page.get_by_text("Överenskommelsen är undertecknad.").wait_for()
    assert_accessible(page, context="signed agreement")
    main = page.locator("main")
    assert "Undertecknad" in main.locator(".agreement-status").inner_text()
    # Nothing on the page offers to change it any more.
    assert main.get_by_role("link", name="Ändra överenskommelsens text").count() == 0
    assert main.get_by_role("link", name=EDIT_FOCUS_AREA).count() == 0

    data, filename = download_pdf(page, main.get_by_role("link", name="PDF", exact=True))
    assert filename.endswith(".pdf")
    text = pdf_text(data)
    assert squeeze(title) in text
    assert squeeze("Anna Andersson") in text and squeeze("Bertil Berg") in text
    assert squeeze("Trygg offentlig miljö") in text

    # The edit form left open in the other tab: saving it is refused, nothing changes.
    field(other_tab, "Titel").fill("Ändrad efter undertecknandet")
    other_tab.get_by_role("button", name="Spara").click()
    other_tab.get_by_text(LOCKED).first.wait_for()
    assert other_tab.locator("html").get_attribute("lang") == "sv"
    assert_accessible(other_tab, context="refused edit")

    # Opening the agreement's edit page again is refused too.
    page.goto(f"/overenskommelser/{agreement.pk}/andra/")
    page.get_by_text(LOCKED).first.wait_for()
    assert_accessible(page, context="refused agreement edit")

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.focus_areas.get().title == "Trygg offentlig miljö"
    assert agreement.signed_pdf_sha256

    # The proof, reached from the signed agreement's page: store the scan, verify the PDF.
    page.goto(agreement.get_absolute_url())
    page.get_by_role("link", name="Ladda upp den skannade undertecknade kopian").click()
    field(page, "Skannad undertecknad kopia (PDF)").set_input_files(
        {"name": "skannad.pdf", "mimeType": "application/pdf", "buffer": _scan()}
    )
    page.get_by_role("button", name="Spara den skannade kopian").click()
    page.get_by_text("Den skannade undertecknade kopian har sparats.").wait_for()
    page.goto(agreement.get_absolute_url())
    assert page.get_by_role("link", name="Ladda upp den skannade undertecknade kopian").count() == 0
    page.get_by_role("link", name="Verifiera en kopia").click()
    field(page, "PDF-fil").set_input_files(
        {"name": "fran-mejlet.pdf", "mimeType": "application/pdf", "buffer": data}
    )
    page.get_by_role("button", name="Verifiera").click()
    page.get_by_text("Överensstämmer:").wait_for()
    assert_accessible(page, context="verification result")
