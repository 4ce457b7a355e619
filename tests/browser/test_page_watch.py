"""The page watch of every journey can fail: a CSP violation and an axe violation are caught."""

import pytest

from tests.browser.conftest import PageWatch, assert_accessible


def test_an_inline_style_refused_by_the_csp_is_a_console_error(page):
    page.goto("/login/")
    watch = PageWatch.of(page)
    assert watch.errors == []
    # What htmx did before its indicator styles were turned off (issue #18).
    page.evaluate("document.head.appendChild(document.createElement('style')).textContent = 'p{}'")
    page.get_by_role("button", name="Logga in").wait_for()
    assert any("Content Security Policy" in e for e in watch.errors), watch.errors
    watch.errors.clear()  # seen: the fixture need not fail the test for it


def test_axe_fails_a_page_with_a_serious_violation(page):
    page.goto("/login/")
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page, context="an image without a text alternative")
