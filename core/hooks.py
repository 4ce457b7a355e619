"""Hooks that apps downstream of agreements register with (dependencies point one way).

* History sources: the agreement's history page shows every change to the
  agreement and everything under it, including rows that live in other apps
  (activities of its action plans). Such an app registers a callable
  ``source(agreement) -> Iterable[HistoricalRecord]`` in its ``AppConfig.ready()``.
* Start-page panels: an app registers ``panel(request) -> dict | None`` returning
  ``{"template": "...", "context": {...}, "order": int}``; the start page (``dashboard``,
  the top floor) shows them in order. The registry lives here, on the ground floor, so
  that no app has to import the one above it to register.
* List actions and verification sources: see below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

_HISTORY_SOURCES: list[Callable] = []


def register_history_source(func: Callable) -> Callable:
    if func not in _HISTORY_SOURCES:
        _HISTORY_SOURCES.append(func)
    return func


def history_sources() -> Iterable[Callable]:
    return tuple(_HISTORY_SOURCES)


_PANELS: list[Callable] = []


def register_home_panel(func: Callable) -> Callable:
    if func not in _PANELS:
        _PANELS.append(func)
    return func


def home_panels(request) -> list[dict]:
    panels = [panel for panel in (func(request) for func in _PANELS) if panel]
    return sorted(panels, key=lambda p: p.get("order", 100))


# Actions on the agreement list: an app upstream registers ``action(request) -> dict | None``
# returning ``{"url": ..., "label": ...}`` (the document import offers "Import an existing
# agreement" to coordinators this way, so agreements need not know it exists).
_LIST_ACTIONS: list[Callable] = []


def register_list_action(func: Callable) -> Callable:
    if func not in _LIST_ACTIONS:
        _LIST_ACTIONS.append(func)
    return func


def list_actions(request) -> list[dict]:
    return [action for action in (func(request) for func in _LIST_ACTIONS) if action]


# Documents the verification page checks besides signed agreements: an app registers
# ``source(digest, user) -> list[dict]`` returning ``{"label": ..., "title": ..., "url": ...}``
# for each stored document the user may see whose SHA-256 is ``digest`` (the approved
# follow-up reports do, so that agreements need not know them).
_VERIFICATION_SOURCES: list[Callable] = []


def register_verification_source(func: Callable) -> Callable:
    if func not in _VERIFICATION_SOURCES:
        _VERIFICATION_SOURCES.append(func)
    return func


def verification_matches(digest: str, user) -> list[dict]:
    return [match for func in _VERIFICATION_SOURCES for match in func(digest, user)]
