"""Journey: the coordinator brings an existing agreement in from a Word file.

Upload on the page linked from the agreement list, review what was recognised beside
the document's text, say that one paragraph is a commitment of the police, create the
draft and see it.
"""

from agreements.choices import AgreementStatus
from agreements.models import Agreement, Commitment
from tests.browser.conftest import assert_accessible, login
from tests.docimport import documents


def test_the_coordinator_imports_reviews_reassigns_and_sees_the_draft(
    page, world, coordinator, tmp_path
):
    original = tmp_path / "eslov-2021-2022.docx"
    original.write_bytes(documents.docx_bytes("eslov"))
    login(page, coordinator.username)

    page.goto("/overenskommelser/")
    page.get_by_role("link", name="Importera befintlig överenskommelse").click()
    page.wait_for_url("**/importera/")
    assert_accessible(page, context="upload")
    page.get_by_label("Fil").set_input_files(str(original))
    page.get_by_role("button", name="Läs in dokumentet").click()
    page.wait_for_url("**/importera/*/")

    page.get_by_role("heading", name="Granska importen").wait_for()
    assert_accessible(page, context="review")
    # The recognised tree beside the document's own text, each item with where it came from.
    tree = page.get_by_role("region", name="Igenkänt")
    source = page.get_by_role("region", name="Dokumentet")
    assert tree.get_by_role("textbox").first.is_visible()
    assert "Trygghet i offentlig miljö" in source.inner_text()
    budget = tree.locator("li.import-item").filter(
        has=page.locator("textarea", has_text="Respektive organisation bekostar")
    )
    assert "st." in budget.locator(".import-where").inner_text()
    budget.get_by_label("Vad det är").select_option(label="Polisens åtagande")
    page.get_by_role("button", name="Skapa utkastet").click()

    page.wait_for_url("**/overenskommelser/*/")
    agreement = Agreement.objects.get(
        municipality=world.municipality, revision_of=None, title__contains="Eslöv"
    )
    assert agreement.status == AgreementStatus.DRAFT
    page.get_by_role("heading", name=agreement.title).wait_for()
    assert "Överenskommelsen importerades som utkast" in page.content()
    commitment = Commitment.objects.get(agreement=agreement)
    assert commitment.party == world.police_area
    assert commitment.text.startswith("Respektive organisation bekostar sina resurser")
    assert "Respektive organisation bekostar" in page.inner_text("main")
    assert agreement.focus_areas.count() == 5
    assert agreement.signatories.count() == 2
