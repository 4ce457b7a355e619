"""Hooks that apps downstream of agreements register with (dependencies point one way).

* History sources: the agreement's history page shows every change to the
  agreement and everything under it, including rows that live in other apps
  (activities of its action plans). Such an app registers a callable
  ``source(agreement) -> Iterable[HistoricalRecord]`` in its ``AppConfig.ready()``.
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
