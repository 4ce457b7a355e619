"""Rendered fragments cached on the version of the data they show (issue 20).

A fragment's key is the data's *version*, read from the database in one cheap query
each time the page is asked for, so that any save, delete or m2m change the fragment
depends on gives a new key — and the old entry is simply never asked for again. No
signals and no invalidation: every web process reads the same version from the same
database, so a per-process cache (the default LocMemCache) is safe with many workers.

What a version is made of (see :func:`stamp`):

* ``count`` and ``max(updated_at)`` of the rows concerned — a save raises
  ``updated_at`` (``auto_now``), a delete lowers the count, an insert raises both;
* for m2m tables without timestamps, ``count`` and ``sum`` of the linked ids;
* for a whole table (a national overview), the newest ``history_id`` of its history
  (:func:`newest`): one index lookup, where a ``count`` would read every row.

Fragments never hold a CSRF token or a message: those are rendered on every request
outside them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import caches
from django.core.cache.backends.base import InvalidCacheBackendError
from django.db.models import Count, Max, QuerySet, Subquery, Value
from django.utils.translation import get_language

#: Cached fragments live this long at most (a version that is no longer asked for ages
#: out; the cache's own size limit drops the least recently used first).
TIMEOUT = 60 * 60


def _cache():
    try:
        return caches["fragments"]
    except InvalidCacheBackendError:  # no alias configured: the default cache
        return caches["default"]


def stamp(queryset: QuerySet, value=None) -> list:
    """Two subquery expressions over ``queryset``'s rows: their count and ``value`` (an
    aggregate; ``Max("updated_at")`` by default, e.g. ``Sum("subgoal_id")`` for an m2m
    table without timestamps)."""
    base = queryset.order_by().annotate(_stamp=Value(1)).values("_stamp")
    value = value if value is not None else Max("updated_at")
    return [
        Subquery(base.annotate(v=Count("pk")).values("v")[:1]),
        Subquery(base.annotate(v=value).values("v")[:1]),
    ]


def newest(queryset: QuerySet, field: str = "pk") -> list:
    """One subquery expression: the greatest ``field`` of ``queryset`` (served by an index
    on ``field``). On a history table (django-simple-history), whose rows are added on every
    save and delete, the newest ``history_id`` changes with every write to the model."""
    return [Subquery(queryset.order_by(f"-{field}").values(field)[:1])]


def version(anchor: QuerySet, stamps: list[list]) -> str:
    """Evaluate ``stamps`` (from :func:`stamp`) in one query, annotated on the first row
    of ``anchor``, and return a short digest of the results."""
    expressions = {f"s{i}": e for i, e in enumerate(e for pair in stamps for e in pair)}
    row = next(iter(anchor.order_by().annotate(**expressions).values_list(*expressions)[:1]), ())
    return hashlib.blake2b("/".join(map(str, row)).encode(), digest_size=12).hexdigest()


def cached(name: str, parts: tuple, build: Callable[[], object]):
    """The value ``build()`` returns, cached under ``name`` and ``parts`` (the data's
    version and whatever else the fragment depends on: the viewer's rights, the date…);
    the active language is always part of the key."""
    raw = "/".join(map(str, (name, get_language(), *parts)))
    key = "fragment:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()
    cache = _cache()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
