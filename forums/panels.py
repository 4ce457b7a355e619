"""The start-page panel: forums where a party's attendance fell below the threshold."""

from __future__ import annotations

from . import selectors


def representation_panel(request) -> dict | None:
    if not request.user.is_authenticated:
        return None
    start, end = selectors.default_period()
    warnings = selectors.representation_warnings(user=request.user, start=start, end=end)
    if not warnings:
        return None
    return {
        "template": "forums/includes/_home_panel.html",
        "order": 40,
        "context": {
            "warnings": warnings,
            "start": start,
            "end": end,
            "threshold": selectors.format_percent(selectors.attendance_threshold()),
        },
    }
