"""Areas (utsatta / särskilt utsatta områden) linked to the agreement and its focus areas,
with the police's classification and Boverket's flag, on its page and in its PDF; locked
with the agreement once signed."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from agreements import services
from agreements.choices import AgreementStatus, PoliceClassification
from agreements.locking import AgreementLocked
from agreements.models import AgreementArea, FocusAreaArea
from agreements.pdf import render_agreement_pdf
from tests.factories import AreaFactory
from tests.rendered import form_data

from .conftest import fill_agreement, pdf_pages, pdf_text


@pytest.fixture
def areas(world):
    return {
        "centrum": AreaFactory(municipality=world.municipality, name="Centrum"),
        "norr": AreaFactory(
            municipality=world.municipality,
            name="Norrby",
            police_classification=PoliceClassification.ESPECIALLY_VULNERABLE,
            socioeconomic_challenges=True,
        ),
        "theirs": AreaFactory(municipality=world.other_municipality, name="Bergsjö centrum"),
    }


@pytest.fixture
def linked(coordinator_client, world, areas):
    """Areas ticked in the browser: the agreement's edit form, then a focus area's."""
    focus = fill_agreement(world.agreement, focus_areas=1, sub_goals=1)[0]
    url = reverse("agreements:edit", args=[world.agreement.pk])
    data = form_data(
        coordinator_client.get(url), values={"areas": [str(a.pk) for a in areas.values()][:2]}
    )
    assert coordinator_client.post(url, data).status_code == 302
    url = reverse("agreements:item-edit", args=["fokusomrade", focus.pk])
    data = form_data(coordinator_client.get(url), values={"areas": [str(areas["norr"].pk)]})
    assert coordinator_client.post(url, data).status_code == 302
    return world.agreement, focus


def test_areas_reach_the_agreement_page_and_pdf(coordinator_client, linked, areas):
    agreement, focus = linked
    label = "Norrby (särskilt utsatt område; socioekonomiska utmaningar enligt Boverket)"
    page = coordinator_client.get(agreement.get_absolute_url()).content.decode()
    assert "Centrum" in page and label in page
    pages = pdf_pages(render_agreement_pdf(agreement))
    body = " ".join(pages[1:])
    assert f"Områden Centrum {label}" in body  # the agreement's own section
    focus_part = body[body.index(focus.title) :]
    assert f"Områden: {label}" in focus_part
    assert "Bergsjö" not in body


def test_each_link_is_kept_in_the_history(linked):
    agreement, focus = linked
    assert AgreementArea.history.filter(agreement_id=agreement.pk).count() == 2
    assert FocusAreaArea.history.filter(focus_area_id=focus.pk).count() == 1


def test_another_municipalitys_area_is_not_offered_nor_accepted(coordinator_client, world, areas):
    url = reverse("agreements:edit", args=[world.agreement.pk])
    page = coordinator_client.get(url)
    assert "Bergsjö centrum" not in page.content.decode()
    data = form_data(page, values={"areas": [str(areas["theirs"].pk)]})
    assert coordinator_client.post(url, data).status_code == 200
    assert not world.agreement.areas.exists()


def test_a_signed_agreements_areas_cannot_change_by_any_path(linked, areas):
    agreement, focus = linked
    agreement.status = AgreementStatus.SIGNED
    agreement.save()
    with pytest.raises(AgreementLocked):
        AgreementArea.objects.create(agreement=agreement, area=areas["norr"])
    with pytest.raises(AgreementLocked):
        AgreementArea.objects.filter(agreement=agreement).delete()
    with pytest.raises(AgreementLocked):
        FocusAreaArea.objects.set_for(focus, [])
    with (
        pytest.raises(DatabaseError, match="samverkan"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM agreements_focusareaarea WHERE focus_area_id = %s", [focus.pk])
    assert sorted(agreement.areas.values_list("name", flat=True)) == ["Centrum", "Norrby"]
    assert list(focus.areas.values_list("name", flat=True)) == ["Norrby"]


def test_a_revision_keeps_the_areas(linked, coordinator):
    agreement, focus = linked
    agreement.status = AgreementStatus.SIGNED
    agreement.save()
    revision = services.agreement_create_revision(agreement=agreement, user=coordinator)
    assert sorted(revision.areas.values_list("name", flat=True)) == ["Centrum", "Norrby"]
    copied = revision.focus_areas.get()
    assert list(copied.areas.values_list("name", flat=True)) == ["Norrby"]
    assert "Norrby" in pdf_text(render_agreement_pdf(revision))
