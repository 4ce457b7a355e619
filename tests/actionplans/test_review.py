"""The kommunpolis review: submit, approve, request changes, comment — with emails."""

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from actionplans.hooks import HISTORY_SOURCES, home_panel
from actionplans.models import Review
from core.choices import ReviewDecision, ReviewState

from .conftest import make_activity


@pytest.fixture
def activity(pw):
    return make_activity(pw.plan, pw.focus_areas[0])


def _submit(client, activity):
    return client.post(reverse("actionplans:activity-submit", args=[activity.pk]))


def _review(client, activity, decision, comment=""):
    return client.post(
        reverse("actionplans:activity-review", args=[activity.pk]),
        {"decision": decision, "comment": comment},
    )


def test_the_full_review_round_with_emails(
    activity,
    coordinator,
    police,
    coordinator_client,
    police_client,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _submit(coordinator_client, activity).status_code == 302
    activity.refresh_from_db()
    assert activity.review_state == ReviewState.SUBMITTED
    assert [m.to for m in mail.outbox] == [[police.email]]
    assert mail.outbox[0].subject.startswith("För granskning:")

    queue = police_client.get(reverse("actionplans:review-queue"))
    assert activity in list(queue.context["activities"])

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _review(
            police_client,
            activity,
            ReviewDecision.RETURNED,
            "Ange vilka skolor som ingår.",
        )
    activity.refresh_from_db()
    assert activity.review_state == ReviewState.RETURNED
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "Återremitterad" in mail.outbox[0].subject
    assert "Ange vilka skolor som ingår." in mail.outbox[0].body

    plan_page = coordinator_client.get(reverse("actionplans:plan-detail", args=[activity.plan_id]))
    assert "Återremitterade av polisen" in plan_page.content.decode()
    assert "Ange vilka skolor som ingår." in plan_page.content.decode()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _submit(coordinator_client, activity)
    assert [m.to for m in mail.outbox] == [[police.email]]
    assert mail.outbox[0].subject.startswith("Skickad för granskning igen:")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _review(police_client, activity, ReviewDecision.APPROVED)
    activity.refresh_from_db()
    assert activity.review_state == ReviewState.APPROVED
    assert [m.to for m in mail.outbox] == [[coordinator.email]]

    detail = coordinator_client.get(reverse("actionplans:activity-detail", args=[activity.pk]))
    history = detail.context["history"]
    assert [e["label"] for e in history if e["kind"] == "review"] == ["Godkänd", "Återremitterad"]


def test_changes_need_a_comment(activity, police_client, django_capture_on_commit_callbacks):
    activity.review_state = ReviewState.SUBMITTED
    activity.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = _review(police_client, activity, ReviewDecision.RETURNED, "  ")
    assert response.status_code == 200
    assert "Skriv vad som ska ändras." in response.content.decode()
    activity.refresh_from_db()
    assert activity.review_state == ReviewState.SUBMITTED
    assert not Review.objects.exists()
    assert mail.outbox == []


def test_a_comment_leaves_the_review_state(
    activity, police_client, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _review(police_client, activity, ReviewDecision.COMMENT, "Polisen kan delta i maj.")
    activity.refresh_from_db()
    assert activity.review_state == ReviewState.DRAFT
    assert Review.objects.get().comment == "Polisen kan delta i maj."
    assert [m.to for m in mail.outbox] == [[coordinator.email]]


@pytest.mark.parametrize(
    ("client_name", "status"),
    [
        ("coordinator_client", 403),
        ("council_client", 403),
        ("outsider_client", 404),
    ],
)
def test_only_the_police_review(activity, request, client_name, status):
    client = request.getfixturevalue(client_name)
    assert _review(client, activity, ReviewDecision.APPROVED).status_code == status
    assert not Review.objects.exists()


def test_police_cannot_submit_and_outsiders_see_nothing(activity, police_client, outsider_client):
    assert _submit(police_client, activity).status_code == 403
    assert _submit(outsider_client, activity).status_code == 404
    activity.refresh_from_db()
    assert activity.review_state == ReviewState.DRAFT


def test_the_start_page_panel(activity, coordinator, police, pw):
    activity.review_state = ReviewState.RETURNED
    activity.save()
    other = make_activity(pw.plan, pw.focus_areas[0], review_state=ReviewState.SUBMITTED)
    rf = RequestFactory()
    request = rf.get("/")
    request.user = coordinator
    panel = home_panel(request)
    assert panel["context"]["change_requests"] == [activity]
    request.user = police
    panel = home_panel(request)
    assert panel["context"]["queue_count"] == 1
    assert other.pk


def test_the_start_page_shows_the_panel(activity, coordinator_client):
    activity.review_state = ReviewState.RETURNED
    activity.save()
    page = coordinator_client.get(reverse("dashboard:home")).content.decode()
    assert "Polisen har begärt ändringar i 1 aktivitet" in page


def test_the_agreement_history_includes_activities_roles_and_reviews(activity, police, world):
    Review.objects.create(
        activity=activity, reviewer=police, decision=ReviewDecision.COMMENT, comment="Ok"
    )
    agreement = activity.plan.agreement
    models = {
        qs.model.instance_type.__name__
        for qs in (s(agreement) for s in HISTORY_SOURCES)
        if qs.exists()
    }
    assert models == {"ActionPlan", "Activity", "ActivityRole", "Review"}
    assert not any(source(world.other_agreement).exists() for source in HISTORY_SOURCES[1:])


def test_a_refused_decision_is_read_out_with_the_radio_buttons(activity, police_client):
    """The decision's radios name their error text (aria-describedby); the text must carry
    that id, or a screen reader announces nothing beside the invalid choice."""
    import re

    response = _review(police_client, activity, "not-a-decision")
    html = response.content.decode()
    assert response.status_code == 200
    described = set(re.findall(r'name="decision"[^>]*aria-describedby="([^"]+)"', html))
    assert described == {"id_decision_error"}
    error = re.search(
        r'<div class="errors" id="id_decision_error" role="alert">(.*?)</div>', html, re.S
    )
    assert error is not None, "no error text with the id the radios point to"
    assert "not-a-decision" in error.group(1)
