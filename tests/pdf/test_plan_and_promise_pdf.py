"""The action plan as a landscape table, and the citizen promise PDF."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from actionplans.choices import PartyRole, PlanStatus
from actionplans.models import ActionPlan, Activity, ActivityRole

from .conftest import pdf_pages, pdf_text

COLUMNS = [
    "Aktivitet",
    "Ansvarig",
    "Kommun",
    "Polis",
    "Kommunikation",
    "Effektmål",
    "Tidplan",
    "Status",
]


def _plan(agreement, *, activities_per_area: int = 2, status=PlanStatus.ADOPTED):
    plan = ActionPlan.objects.create(
        agreement=agreement,
        title="Åtgärdsplan 2025",
        valid_from=agreement.valid_from,
        valid_to=agreement.valid_to,
        status=status,
    )
    for area in agreement.focus_areas.all():
        for index in range(1, activities_per_area + 1):
            activity = Activity.objects.create(
                plan=plan,
                position=area.position * 100 + index,
                code=f"{area.position}.{index}",
                title=f"Aktivitet {area.position}.{index} trygghetsvandring",
                focus_area=area,
                responsible=agreement.municipality,
                effect_goal=f"Effektmål {area.position}.{index}",
                communication="Gemensamt pressmeddelande",
                schedule="Varje vår",
            )
            ActivityRole.objects.create(
                activity=activity,
                organisation=agreement.municipality,
                role=PartyRole.LEADS,
                text="Kallar till möte",
            )
            ActivityRole.objects.create(
                activity=activity,
                organisation=agreement.police_area,
                role=PartyRole.PARTICIPATES,
                text="Deltar med kommunpolis",
            )
    Activity.objects.create(plan=plan, position=999, title="Aktivitet utan fokusområde")
    return plan


def test_the_plan_pdf_is_a_landscape_table_grouped_by_focus_area(council_client, full_agreement):
    plan = _plan(full_agreement)
    response = council_client.get(reverse("actionplans:plan-pdf", args=[plan.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    text = pdf_text(response.content)
    for column in COLUMNS:
        assert column in text
    body = text
    for area in full_agreement.focus_areas.order_by("position"):
        assert area.title in body
    assert body.find("Fokusområde nummer 1") < body.find("Fokusområde nummer 2")
    assert body.find("Fokusområde nummer 2") < body.find("Övriga aktiviteter")
    for activity in plan.activities.all():
        assert activity.title in text
    assert "Kallar till möte" in text and "Deltar med kommunpolis" in text
    assert "Varje vår" in text and "Effektmål 2.2" in text
    assert "UTKAST" not in text
    pages = pdf_pages(response.content)
    assert all(f"av {len(pages)}" in page for page in pages)


def test_a_draft_plan_is_watermarked(coordinator_client, full_agreement):
    plan = _plan(full_agreement, status=PlanStatus.DRAFT)
    response = coordinator_client.get(reverse("actionplans:plan-pdf", args=[plan.pk]))
    assert all("UTKAST" in page for page in pdf_pages(response.content))


def test_the_plan_pdf_runs_a_bounded_number_of_queries(
    coordinator_client, full_agreement, django_assert_max_num_queries
):
    small = _plan(full_agreement, activities_per_area=1)
    # 12 to gather the plan, 8 for its print job (see the agreement PDF's query test).
    with django_assert_max_num_queries(20):
        coordinator_client.get(reverse("actionplans:plan-pdf", args=[small.pk]))
    large = _plan(full_agreement, activities_per_area=8)
    with django_assert_max_num_queries(20):
        coordinator_client.get(reverse("actionplans:plan-pdf", args=[large.pk]))


def test_outsiders_get_404_for_plan_and_promise(outsider_client, full_agreement, promise):
    plan = _plan(full_agreement)
    assert outsider_client.get(reverse("actionplans:plan-pdf", args=[plan.pk])).status_code == 404
    url = reverse("agreements:promise-pdf", args=[promise.pk])
    assert outsider_client.get(url).status_code == 404


def test_the_promise_pdf_prints_the_promise(viewer, client, promise):
    client.force_login(viewer)
    response = client.get(reverse("agreements:promise-pdf", args=[promise.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    for expected in (
        "Medborgarlöfte 2025",
        "Tryggare torg",
        "Vi lovar kvällsvandringar.",
        "Vårt löfte",
    ):
        assert expected in text


@pytest.mark.parametrize("public", [True, False])
def test_anonymous_visitors_get_only_public_promises(client, promise, public):
    agreement = promise.agreement
    from .conftest import sign

    sign(agreement)
    agreement.is_public = public
    agreement.save()
    response = client.get(reverse("agreements:promise-pdf", args=[promise.pk]))
    assert response.status_code == (200 if public else 302)
