"""The pages whose query counts must not grow with the data — one line per page.

Each :class:`Page` names a URL, how to find the object to show for a persona
(``None`` for lists), an optional query string, and the most queries it may
run. :mod:`tests.perf.test_query_counts` measures every page at demo size and
again after ``generate_scale``; ``bench/pages.py`` uses the same finders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans.models import ActionPlan
from agreements.choices import AgreementStatus
from agreements.models import Agreement
from followup.models import FollowUpReport
from forums.models import Forum


def agreement_in_force(user) -> int | None:
    """The user's signed agreement (the richest one a coordinator opens)."""
    visible = Agreement.objects.visible_to(user)
    signed = visible.filter(status=AgreementStatus.SIGNED).order_by("-valid_from", "pk")
    return (signed.first() or visible.order_by("pk").first() or Agreement()).pk


def largest_plan(user) -> int | None:
    plans = ActionPlan.objects.visible_to(user).annotate(n=Count("activities"))
    return plans.order_by("-n", "pk").values_list("pk", flat=True).first()


def first_forum(user) -> int | None:
    forums = Forum.objects.visible_to(user).annotate(n=Count("meetings"))
    return forums.order_by("-n", "pk").values_list("pk", flat=True).first()


def largest_report(user) -> int | None:
    reports = FollowUpReport.objects.visible_to(user).annotate(n=Count("updates"))
    return reports.order_by("-n", "pk").values_list("pk", flat=True).first()


def in_progress_in_largest_plan(user) -> str:
    """Two filters: the activities in progress in the user's largest plan."""
    return f"status=in_progress&plan={largest_plan(user)}"


@dataclass(frozen=True)
class Page:
    """A page to measure: URL name, how to find its object and its query string for a user."""

    name: str
    find: Callable[[object], int | None] | None = None
    query: str | Callable[[object], str] = ""
    budget: int = 40

    @property
    def label(self) -> str:
        if callable(self.query):
            return f"{self.name}?{self.query.__name__}"
        return f"{self.name}?{self.query}" if self.query else self.name

    def target(self, user) -> tuple[int | None, str]:
        """The object's pk and the query string for ``user``."""
        pk = self.find(user) if self.find else None
        query = self.query(user) if callable(self.query) else self.query
        return pk, query

    def url(self, pk: int | None, query: str = "") -> str:
        path = reverse(self.name, args=[pk] if self.find else [])
        return f"{path}?{query}" if query else path


PAGES = [
    Page("agreements:list"),
    Page("agreements:list", query="status=signed&in_force=current"),
    Page("agreements:detail", agreement_in_force),
    Page("actionplans:plan-detail", largest_plan, budget=24),
    Page("actionplans:activity-list"),
    Page("actionplans:activity-list", query=in_progress_in_largest_plan),
    Page("forums:list"),
    Page("forums:detail", first_forum),
    Page("followup:report-detail", largest_report),
    Page("followup:deviations"),
]


def count_queries(client: Client, url: str, connection) -> int:
    """Queries of one GET of ``url`` (after a warm-up request); the page must answer 200."""
    warm = client.get(url)
    assert warm.status_code == 200, f"{url} answered {warm.status_code}"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries)
