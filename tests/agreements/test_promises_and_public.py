"""Citizen promises per agreement and year; public pages for signed, public agreements."""

from django.urls import reverse

from agreements.choices import AgreementStatus
from agreements.models import CitizenPromise
from tests.factories import AreaFactory, CitizenPromiseFactory

from .conftest import set_status


def test_coordinator_makes_a_promise_under_a_signed_agreement(coordinator_client, world, signed):
    area = AreaFactory(municipality=world.municipality, name="Centrum")
    r = coordinator_client.post(
        reverse("agreements:promise-create", args=[signed.pk]),
        {
            "year": 2025,
            "title": "Synas i centrum",
            "text": "Polis och kommun är på plats fredagskvällar.",
            "areas": [area.pk],
            "parties": [world.municipality.pk, world.police_area.pk],
            "status": "planned",
        },
    )
    promise = CitizenPromise.objects.get(title="Synas i centrum")
    assert r["Location"] == promise.get_absolute_url()
    html = coordinator_client.get(promise.get_absolute_url()).content.decode()
    assert "Centrum" in html and "Medborgarlöfte 2025" in html


def test_promise_year_outside_the_period_is_refused(coordinator_client, signed):
    r = coordinator_client.post(
        reverse("agreements:promise-create", args=[signed.pk]),
        {"year": 2031, "title": "Fel år", "text": "x", "status": "planned"},
    )
    assert r.status_code == 200
    assert "inom överenskommelsens period" in r.content.decode()
    assert not CitizenPromise.objects.exists()


def test_promises_are_listed_per_year(council_client, world):
    CitizenPromiseFactory(agreement=world.agreement, year=2024, title="Löfte 2024")
    CitizenPromiseFactory(agreement=world.agreement, year=2025, title="Löfte 2025")
    url = reverse("agreements:promise-list", args=[world.agreement.pk])
    html = council_client.get(url, {"year": 2025}).content.decode()
    assert "Löfte 2025" in html and "Löfte 2024" not in html
    assert "Nytt medborgarlöfte" not in html


def test_public_pages_show_only_signed_public_agreements(client, world, signed):
    CitizenPromiseFactory(agreement=signed, title="Offentligt löfte")
    url = reverse("public:agreement-detail", args=[signed.pk])
    assert client.get(url).status_code == 404
    signed.is_public = True
    signed.save()
    assert signed.title in client.get(reverse("public:agreement-list")).content.decode()
    html = client.get(url).content.decode()
    assert "Offentligt löfte" in html and "Fokus 1" in html
    assert "add-item" not in html
    # A public draft is not public.
    draft = world.other_agreement
    draft.is_public = True
    draft.save()
    assert client.get(reverse("public:agreement-detail", args=[draft.pk])).status_code == 404
    set_status(signed, AgreementStatus.SUPERSEDED)
    assert client.get(url).status_code == 404


def test_promise_forms_render_for_the_coordinator(coordinator_client, world):
    promise = CitizenPromiseFactory(agreement=world.agreement)
    assert (
        coordinator_client.get(
            reverse("agreements:promise-create", args=[world.agreement.pk])
        ).status_code
        == 200
    )
    r = coordinator_client.get(reverse("agreements:promise-edit", args=[promise.pk]))
    assert r.status_code == 200
    assert promise.title in r.content.decode()


def test_a_signed_public_agreement_without_recorded_signatories_says_when_it_was_signed(
    client, world
):
    from django.utils import timezone

    from tests.factories import AgreementFactory

    # Signed on paper before the product: the signatories were never entered.
    signed = AgreementFactory(
        municipality=world.municipality,
        police_area=world.police_area,
        status=AgreementStatus.SIGNED,
        signed_at=timezone.now(),
        is_public=True,
    )
    html = client.get(reverse("public:agreement-detail", args=[signed.pk])).content.decode()
    assert "Inga undertecknare ännu" not in html
    assert "undertecknarnas namn är inte registrerade här" in html


def test_the_login_page_leads_citizens_to_the_public_agreements(client):
    html = client.get(reverse("login")).content.decode()
    assert reverse("public:agreement-list") in html
