"""Journey: a new municipality gets started without the Django admin.

Staff set up Ydre kommun and its local police area; the invited coordinator sets a password
from the e-mail's link, adds a förvaltning, an area and a police colleague by invitation;
the colleague sets a password and sees only Ydre's data — not Ankeby's or Bergsjö's.
"""

import re

from django.core import mail

from tests.browser.conftest import assert_accessible, field, login

PASSWORD = "Trygg-Ydre-2026"


def _link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/organisation/inbjudan/\S+/)", message.body).group(1)


def _set_password(page, link: str) -> None:
    page.goto(link)
    page.get_by_role("heading", level=1, name="Välkommen till Samverkan").wait_for()
    assert_accessible(page, context="invitation")
    field(page, "Lösenord").fill(PASSWORD)
    field(page, "Lösenord igen").fill(PASSWORD)
    page.get_by_role("button", name="Skapa mitt konto").click()
    page.get_by_text("Välkommen! Ditt konto är klart.").wait_for()


def test_staff_set_up_a_municipality_whose_coordinator_then_invites_the_police(
    new_page, world, staff
):
    visited: list[str] = []
    staff_page, coord, cop = new_page(), new_page(), new_page()
    for page in (staff_page, coord, cop):
        page.on("request", lambda request: visited.append(request.url))

    # Staff: one page sets up the kommun, its police area, units, areas and first coordinator.
    login(staff_page, staff.username)
    staff_page.get_by_role("link", name="Lägg upp en ny kommun").click()
    staff_page.get_by_role("heading", level=1, name="Lägg upp en ny kommun").wait_for()
    assert_accessible(staff_page, context="onboarding")
    field(staff_page, "Kommun").fill("Ydre kommun")
    field(staff_page, "Kommunkod").fill("0512")
    field(staff_page, "Nytt lokalpolisområde").fill("Lokalpolisområde Ydre")
    field(staff_page, "Ny polisregion").fill("Polisregion Östergötland")
    field(staff_page, "Kommunala bolag och bostadsbolag").fill("Ydrebostäder AB")
    staff_page.locator("#id_areas-0-name").fill("Österbymo centrum")
    field(staff_page, "Första trygghetssamordnarens e-postadress").fill("ylva@ydre.se")
    staff_page.locator("#id_coordinator_first_name").fill("Ylva")
    staff_page.locator("#id_coordinator_last_name").fill("Ydresson")
    staff_page.get_by_role("button", name="Lägg upp och skicka inbjudan").click()
    staff_page.get_by_text(
        "Ydre kommun är upplagd. En inbjudan skickades till ylva@ydre.se."
    ).wait_for()
    assert "ylva@ydre.se" in staff_page.locator("#invitations").locator("..").inner_text()
    [invitation] = mail.outbox

    # The coordinator: from the e-mail's link to a password, then to the people page.
    _set_password(coord, _link_in(invitation))
    coord.get_by_role("link", name="Personer och organisation för Ydre kommun").click()
    coord.get_by_role(
        "heading", level=1, name="Personer och organisation för Ydre kommun"
    ).wait_for()
    assert_accessible(coord, context="people page")
    people = coord.locator("section", has=coord.get_by_role("heading", name="Personer", exact=True))
    assert "Ylva Ydresson" in people.inner_text()
    coord.set_viewport_size({"width": 390, "height": 800})  # a phone: no sideways scrolling
    assert coord.evaluate("document.documentElement.scrollWidth") <= 390
    coord.set_viewport_size({"width": 1366, "height": 800})

    # A förvaltning.
    coord.get_by_role("link", name="Lägg till en enhet").click()
    coord.get_by_role("button", name="Spara").wait_for()
    assert_accessible(coord, context="unit form")
    field(coord, "Namn").fill("Socialförvaltningen Ydre")
    coord.get_by_role("button", name="Spara").click()
    coord.get_by_text("”Socialförvaltningen Ydre” sparades.").wait_for()
    assert "Socialförvaltningen Ydre" in coord.locator("#units").locator("..").inner_text()

    # An area, with the Police's classification.
    coord.get_by_role("link", name="Lägg till ett område").click()
    field(coord, "Namn").fill("Rimforsa")
    field(coord, "Polisens klassning").select_option(label="Utsatt område")
    coord.get_by_role("button", name="Spara").click()
    coord.get_by_text("”Rimforsa” sparades.").wait_for()
    areas = coord.locator("#areas").locator("..").inner_text()
    assert "Rimforsa – Utsatt område" in areas and "Österbymo centrum" in areas

    # A police colleague, invited into the local police area with the police role.
    coord.get_by_role("link", name="Bjud in en polis").click()
    coord.get_by_role("button", name="Skicka inbjudan").wait_for()
    assert_accessible(coord, context="invitation form")
    assert field(coord, "Roll").input_value() == "police"
    field(coord, "E-postadress").fill("kim.polis@polisen.se")
    field(coord, "Förnamn").fill("Kim")
    field(coord, "Efternamn").fill("Polis")
    coord.get_by_role("button", name="Skicka inbjudan").click()
    coord.get_by_text("En inbjudan skickades till kim.polis@polisen.se.").wait_for()
    assert len(mail.outbox) == 2

    # The colleague: a password from the link, then only Ydre's world.
    _set_password(cop, _link_in(mail.outbox[1]))
    assert "Lokalpolisområde Ydre" in cop.locator("main").inner_text()
    cop.get_by_role("link", name="Överenskommelser", exact=True).click()
    cop.get_by_role("heading", level=1).wait_for()
    listing = cop.locator("main").inner_text()
    assert "Ankeby" not in listing and "Bergsjö" not in listing
    cop.get_by_role("link", name="Forum", exact=True).click()
    cop.get_by_role("heading", level=1).wait_for()
    assert "Ankeby" not in cop.locator("main").inner_text()
    # The police officer does not manage the municipality's people.
    cop.goto(coord.url)
    assert "Personer och organisation för Ydre kommun" not in cop.locator("main").inner_text()

    # And the colleague appears on the coordinator's list with the police role.
    coord.reload()
    assert "Kim Polis" in coord.locator("#people").locator("..").inner_text()
    assert (
        "Kommunpolis, Lokalpolisområde Ydre" in coord.locator("#people").locator("..").inner_text()
    )

    assert not [url for url in visited if "/admin/" in url], "no Django-admin page is needed"
