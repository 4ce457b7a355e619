"""The follow-up panels of the start page (registered in :mod:`followup.apps`): each role
sees its own queue first."""

from __future__ import annotations

from agreements import access

from . import selectors


def home_panel(request) -> dict | None:
    """Coordinators and the police: reports due soon (with how much is still owed) and the
    updates waiting for their review."""
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


def reporter_panel(request) -> dict | None:
    """A unit's reporters: the updates they are to write, those sent back first."""
    user = request.user
    if not access.get_access(user).reporter_unit_ids:
        return None
    return {
        "template": "followup/includes/_reporter_panel.html",
        "context": {"owed": selectors.updates_to_write(user)},
        "order": 10,
    }


def reader_panel(request) -> dict | None:
    """Council members and readers (who neither edit nor review): the latest approved
    reports and the deviations."""
    user = request.user
    if access.edits(user) or access.reviews(user) or not access.get_access(user).org_ids:
        return None
    return {
        "template": "followup/includes/_reader_panel.html",
        "context": {"approved": list(selectors.latest_approved_reports(user))},
        "order": 20,
    }
