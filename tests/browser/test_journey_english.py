"""Journey 7: the coordinator switches the interface to English and goes through the main pages.

The language is chosen with the interface's own selector, kept across pages and reloads,
and every page visited says ``lang="en"``, shows its English headings and buttons, and has
no Swedish interface string left in its navigation, headings, buttons or labels. The page
watch (conftest) has axe check each page.
"""

import datetime

from django.utils import translation
from django.utils.translation import trans_real

from tests.browser.conftest import login
from tests.factories import FocusAreaFactory
from tests.followup.factories import FollowupActivityFactory, FollowupPlanFactory, ReportFactory
from tests.forums.factories import ForumFactory

# The interface's own words: navigation, headings and the controls they label.
# (The language selector names each language in that language: it is left out.)
UI_TEXT = ", ".join(
    f"{tag}:not([lang])"
    for tag in ("nav a", "nav button", "h1", "h2", "h3", "button", "label", "caption", "summary")
)


def _swedish_only() -> set[str]:
    """Every Swedish translation in the catalogue that is not also an English text."""
    entries = [
        (key[0] if isinstance(key, tuple) else key, text)
        for key, text in trans_real.translation("sv")._catalog.items()
    ]
    english = {msgid for msgid, _text in entries}
    return {
        text.strip()
        for msgid, text in entries
        if text and text != msgid and "%" not in text and text not in english
    }


def _assert_english(page, swedish, *expected):
    assert page.locator("html").get_attribute("lang") == "en"
    texts = {" ".join(t.split()).rstrip(" *") for t in page.locator(UI_TEXT).all_inner_texts()}
    for text in expected:
        assert text in texts, f"{text!r} not on {page.url}: {sorted(texts)}"
    left = sorted(texts & swedish)
    assert not left, f"Swedish interface text on {page.url}: {left}"


def test_coordinator_uses_the_interface_in_english(page, world, coordinator):
    area = FocusAreaFactory(agreement=world.agreement, position=1, title="Trygg offentlig miljö")
    plan = FollowupPlanFactory(agreement=world.agreement, title="Åtgärdsplan Ankeby 2025")
    FollowupActivityFactory(plan=plan, focus_area=area, title="Trygghetsvandringar")
    ReportFactory(
        agreement=world.agreement,
        plan=plan,
        title="Delår 1 2025",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 4, 30),
    )
    ForumFactory(municipality=world.municipality, name="Trygghetsrådet")
    swedish = _swedish_only()
    with translation.override("sv"):
        assert translation.gettext("Agreements") in swedish  # the check can find Swedish

    login(page, coordinator.username)
    assert page.locator("html").get_attribute("lang") == "sv"
    page.get_by_role("button", name="English").click()
    page.get_by_role("navigation", name="Main menu").wait_for()
    _assert_english(page, swedish, "Agreements", "Action plan", "Forums", "Follow-up", "Log out")
    page.reload()  # the choice is kept
    _assert_english(page, swedish, "Your organisations")
    assert page.get_by_role("button", name="Svenska").get_attribute("lang") == "sv"
    menu = page.get_by_role("navigation", name="Main menu")

    menu.get_by_role("link", name="Agreements").click()
    page.get_by_role("heading", level=1, name="Agreements").wait_for()
    _assert_english(page, swedish, "Agreements")
    page.get_by_role("link", name=world.agreement.title).click()
    page.get_by_role("heading", level=1, name=world.agreement.title).wait_for()
    _assert_english(page, swedish, "Lifecycle")

    menu.get_by_role("link", name="Action plan").click()  # the current plan
    page.get_by_role("heading", level=1, name="Åtgärdsplan Ankeby 2025").wait_for()
    page.get_by_role("link", name="Add an activity").click()  # the form, fetched in place
    page.locator("section#add").wait_for()
    _assert_english(
        page, swedish, "Add an activity", "Add the activity", "Activities in Trygg offentlig miljö"
    )
    menu.get_by_role("link", name="All activities").click()
    page.get_by_role("heading", level=1, name="Activities in the action plans").wait_for()
    _assert_english(page, swedish, "Activities in the action plans")
    page.get_by_role("link", name="All action plans").click()
    page.get_by_role("link", name="Åtgärdsplan Ankeby 2025").click()
    page.get_by_role("heading", level=1, name="Åtgärdsplan Ankeby 2025").wait_for()

    menu.get_by_role("link", name="Follow-up").click()
    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("heading", level=1, name="Follow-up reports").wait_for()
    _assert_english(page, swedish, "Follow-up reports")
    page.get_by_role("link", name="Delår 1 2025").click()
    page.get_by_role("heading", level=1, name="Delår 1 2025").wait_for()
    _assert_english(page, swedish, "Summary and conclusions", "All activities")

    menu.get_by_role("link", name="Forums").click()
    page.get_by_role("heading", level=1, name="Forums").wait_for()
    _assert_english(page, swedish, "Forums")
    page.get_by_role("link", name="Trygghetsrådet").click()
    page.get_by_role("heading", level=1, name="Trygghetsrådet").wait_for()
    _assert_english(page, swedish)

    # And back to Swedish.
    page.get_by_role("button", name="Svenska").click()
    page.get_by_role("navigation", name="Huvudmeny").wait_for()
    assert page.locator("html").get_attribute("lang") == "sv"
