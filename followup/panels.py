"""The follow-up panel of the start page (registered in :mod:`followup.apps`)."""

from __future__ import annotations

from agreements import access

from . import selectors


def home_panel(request) -> dict | None:
    """Reports due soon and updates waiting for the user's review; only for those who write."""
    user = request.user
    if not (access.edits(user) or access.reviews(user)):
        return None
    return {
        "template": "followup/includes/_home_panel.html",
        "context": {
            "due": list(selectors.reports_due_soon(user)),
            "awaiting": list(selectors.updates_awaiting_review(user)),
            "show_review": True,
        },
        "order": 30,
    }
