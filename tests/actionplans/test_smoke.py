from django.urls import reverse

from .conftest import make_activity


def test_pages_render_for_the_coordinator(pw, coordinator_client):
    a = make_activity(pw.plan, pw.focus_areas[0], [pw.sub_goals[0]])
    for url in [
        reverse("actionplans:plan-detail", args=[pw.plan.pk]),
        reverse("actionplans:plan-detail", args=[pw.plan.pk]) + f"?edit={a.pk}",
        reverse("actionplans:plan-edit", args=[pw.plan.pk]),
        reverse("actionplans:plan-list"),
        reverse("actionplans:plan-create", args=[pw.plan.agreement_id]),
        reverse("actionplans:plan-import", args=[pw.plan.pk]),
        reverse("actionplans:activity-detail", args=[a.pk]),
        reverse("actionplans:activity-edit", args=[a.pk]),
        reverse("actionplans:activity-list"),
        reverse("actionplans:review-queue"),
        reverse("dashboard:home"),
    ]:
        response = coordinator_client.get(url)
        assert response.status_code == 200, url
