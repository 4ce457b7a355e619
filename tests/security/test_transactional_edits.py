"""Every edit form, submitted exactly as rendered, outside a test transaction (PostgreSQL).

Views that lock rows (``select_for_update``) must do so inside their own transaction; the
rest of the suite runs inside one, which hides a lock taken outside. Here each edit page
is opened, its form posted back unchanged as a browser would, and the answer must be the
redirect of a successful save — the follow-up rhythm included, whose edit answered 500 on
PostgreSQL before its version check moved into the service.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from tests.rendered import form_data

EDITS = [
    ("agreements:edit", {"pk": "agreement"}),
    ("agreements:item-edit", {"kind": "fokusomrade", "pk": "focus_area"}),
    ("agreements:item-edit", {"kind": "delmal", "pk": "sub_goal"}),
    ("agreements:item-edit", {"kind": "orsak", "pk": "cause"}),
    ("agreements:item-edit", {"kind": "atagande", "pk": "commitment"}),
    ("agreements:item-edit", {"kind": "undertecknare", "pk": "signatory"}),
    ("agreements:promise-edit", {"pk": "promise"}),
    ("actionplans:plan-edit", {"pk": "plan"}),
    ("actionplans:activity-edit", {"pk": "activity"}),
    ("forums:edit", {"pk": "forum"}),
    ("forums:seat-edit", {"pk": "seat"}),
    ("forums:meeting-edit", {"pk": "meeting"}),
    ("followup:report-edit", {"pk": "report"}),
    ("followup:rhythm", {"agreement_pk": "agreement"}),
    ("followup:indicator-edit", {"pk": "indicator"}),
    ("accounts:unit-edit", {"pk": "municipality", "item_pk": "department"}),
    ("accounts:area-edit", {"pk": "municipality", "item_pk": "area"}),
]


def _kwargs(tree, spec):
    return {k: v if k == "kind" else getattr(tree, v).pk for k, v in spec.items()}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("name", "spec"), EDITS, ids=[f"{n}-{s.get('kind', '')}" for n, s in EDITS]
)
def test_an_edit_form_posted_as_rendered_saves(trees, persona_clients, name, spec):
    assert connection.vendor == "postgresql"
    client = persona_clients["coordinator"]
    url = reverse(name, kwargs=_kwargs(trees.a, spec))
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, form_data(page))
    assert response.status_code == 302, (
        f"{url}: {response.status_code}\n" + response.content.decode()[:2000]
    )
    # Posted without the version it started from: refused, nothing saved.
    from .test_hostile_input import db_checksum

    fresh = client.get(url)
    tokenless = {k: v for k, v in form_data(fresh).items() if not k.endswith("version_token")}
    before = db_checksum()
    refused = client.post(url, tokenless)
    assert refused.status_code == 200, f"{url}: saved without a version token"
    assert db_checksum() == before
    # Posted again from the first (now stale) page, it is refused, not saved over.
    stale = client.post(url, form_data(page))
    assert stale.status_code == 200, f"{url}: a stale form was saved ({stale.status_code})"


@pytest.mark.django_db(transaction=True)
def test_the_plan_row_edited_in_place_saves_as_rendered(trees, persona_clients):
    """The plan page's in-place row form (``?edit=<pk>``) posts to its own URL."""
    from actionplans.models import Activity

    client = persona_clients["coordinator"]
    activity = trees.a.activity
    page = client.get(
        reverse("actionplans:plan-detail", args=[activity.plan_id]), {"edit": activity.pk}
    )
    action = reverse("actionplans:activity-row-edit", args=[activity.pk])
    data = form_data(page, action=action, **{"row-title": "Trygghetsvandring, omgjord"})
    response = client.post(action, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Activity.objects.get(pk=activity.pk).title == "Trygghetsvandring, omgjord"
    # The same row again from the page that is now stale: refused, not saved over.
    stale = client.post(action, form_data(page, action=action, **{"row-title": "Gammal"}))
    assert stale.status_code == 200
    assert Activity.objects.get(pk=activity.pk).title == "Trygghetsvandring, omgjord"


@pytest.mark.django_db(transaction=True)
def test_a_follow_up_update_row_saves_as_rendered(trees, persona_clients):
    """The report's update row (its own page without htmx) for an update still in draft."""
    from core.choices import ReviewState
    from followup.models import ActivityUpdate

    ActivityUpdate.objects.filter(pk=trees.a.update.pk).update(review_state=ReviewState.DRAFT)
    client = persona_clients["coordinator"]
    url = reverse(
        "followup:update-edit", kwargs={"pk": trees.a.report.pk, "activity_pk": trees.a.activity.pk}
    )
    page = client.get(url)
    prefix = f"u{trees.a.activity.pk}"
    # The update is "delayed", which asks for the deviation and what is done about it.
    typed = {
        f"{prefix}-done": "Tre vandringar",
        f"{prefix}-deviation": "Två vandringar ställdes in",
        f"{prefix}-remedy": "De görs i oktober",
    }
    response = client.post(url, form_data(page, **typed))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ActivityUpdate.objects.get(pk=trees.a.update.pk).done == "Tre vandringar"
    stale = client.post(url, form_data(page, **{**typed, f"{prefix}-done": "Gammalt"}))
    assert stale.status_code == 200
    assert ActivityUpdate.objects.get(pk=trees.a.update.pk).done == "Tre vandringar"
