"""The login page and the start page in a real browser: Swedish, accessible, keyboard-usable."""

from tests.browser.conftest import assert_accessible, login
from tests.conftest import _member


def test_login_page_is_swedish_and_accessible(page):
    page.goto("/login/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert_accessible(page, context="login")


def test_failed_login_is_announced_and_accessible(page, world):
    page.goto("/login/")
    page.get_by_label("Användarnamn").fill("ingen")
    page.get_by_label("Lösenord").fill("fel")
    page.get_by_role("button", name="Logga in").click()
    alert = page.get_by_role("alert").first
    assert "korrekt användarnamn" in alert.inner_text()
    assert_accessible(page, context="login error")


def test_coordinator_logs_in_with_the_keyboard_and_reaches_content_by_skip_link(page, world):
    from agreements.choices import Role

    _member("tangent", world.municipality, Role.COORDINATOR)
    page.goto("/login/")
    # The username field has focus when the page opens.
    assert page.evaluate("document.activeElement.name") == "username"
    page.keyboard.type("tangent")
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    assert "Ankeby kommun" in page.inner_text("main")
    page.keyboard.press("Tab")  # the skip link is the first stop
    assert page.evaluate("document.activeElement.textContent.trim()") == "Hoppa till innehållet"
    assert page.locator(".skip-link").is_visible()  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert_accessible(page, context="start page")


def test_language_can_be_switched_to_english(page, world, coordinator):
    login(page, coordinator.username)
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Agreements").is_visible()
