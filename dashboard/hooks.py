"""Start-page panels contributed by the apps.

Each app may register a callable ``panel(request) -> dict | None`` returning
``{"template": "...", "context": {...}, "order": int}``. The start page shows
them in order. This keeps the start page from knowing each app's internals.
"""

from __future__ import annotations

from collections.abc import Callable

_PANELS: list[Callable] = []


def register_home_panel(func: Callable) -> Callable:
    if func not in _PANELS:
        _PANELS.append(func)
    return func


def home_panels(request) -> list[dict]:
    panels = []
    for func in _PANELS:
        panel = func(request)
        if panel:
            panels.append(panel)
    return sorted(panels, key=lambda p: p.get("order", 100))
