"""Walk the URL resolver: every pattern of the project with its full name and parameters."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

#: Namespaces the matrix does not cover: Django's admin has its own permission system.
EXCLUDED_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Route:
    name: str | None  # "namespace:name"
    route: str  # the pattern as written, for messages
    params: frozenset[str]
    callback: object

    @property
    def view_class(self):
        return getattr(self.callback, "view_class", None)


def _params(pattern) -> set[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters is not None:
        return set(converters)
    regex = pattern.pattern.regex
    return set(regex.groupindex)


def walk(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "", params=None):
    resolver = resolver or get_resolver()
    params = params or set()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in EXCLUDED_NAMESPACES:
                continue
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from walk(pattern, route, full_ns, params | _params(pattern))
        elif isinstance(pattern, URLPattern):
            if _is_static(route):
                continue
            name = pattern.name
            full = f"{namespace}:{name}" if namespace and name else name
            yield Route(full, route, frozenset(params | _params(pattern)), pattern.callback)


def _is_static(route: str) -> bool:
    """Static and media files served by Django in debug mode (``static()``)."""
    route = route.lstrip("^")
    prefixes = [settings.STATIC_URL, settings.MEDIA_URL]
    return any(p and route.startswith(p.lstrip("/")) for p in prefixes)


def named_routes() -> dict[str, Route]:
    """All routes by full name; unnamed routes are returned under ``None``-less keys as errors."""
    return {r.name: r for r in walk() if r.name}


def unnamed_routes() -> list[str]:
    return [r.route for r in walk() if not r.name]
