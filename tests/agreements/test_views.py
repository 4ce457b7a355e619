"""The agreement pages: who sees what, who may change what, and what bad input does."""

import datetime

import pytest
from django.urls import resolve, reverse

from agreements.choices import AgreementStatus
from agreements.models import Agreement, Commitment, FocusArea, SubGoal
from tests.factories import CitizenPromiseFactory
from tests.rendered import form_data

from .conftest import build_tree, set_status


def item_urls(agreement):
    """Every write URL of every item under the agreement."""
    area = agreement.focus_areas.first()
    items = {
        "fokusomrade": area,
        "delmal": area.sub_goals.first(),
        "orsak": area.causes.first(),
        "atagande": agreement.commitments.first(),
        "undertecknare": agreement.signatories.first(),
    }
    urls = []
    for kind, item in items.items():
        for name in ("item-edit", "item-delete", "item-move"):
            urls.append(reverse(f"agreements:{name}", args=[kind, item.pk]))
    for kind, parent in [
        ("fokusomrade", agreement),
        ("delmal", area),
        ("orsak", area),
        ("atagande", agreement),
        ("undertecknare", agreement),
    ]:
        urls.append(reverse("agreements:item-create", args=[kind, parent.pk]))
    return urls


def all_urls(agreement):
    promise = CitizenPromiseFactory(agreement=agreement)
    pk = agreement.pk
    return [
        reverse("agreements:detail", args=[pk]),
        reverse("agreements:edit", args=[pk]),
        reverse("agreements:history", args=[pk]),
        reverse("agreements:history-restore", args=[pk]),
        reverse("agreements:transition", args=[pk]),
        reverse("agreements:sign", args=[pk]),
        reverse("agreements:revise", args=[pk]),
        reverse("agreements:promise-list", args=[pk]),
        reverse("agreements:promise-create", args=[pk]),
        reverse("agreements:promise-detail", args=[promise.pk]),
        reverse("agreements:promise-edit", args=[promise.pk]),
        *item_urls(agreement),
    ]


def snapshot(agreement):
    return (
        Agreement.objects.filter(pk=agreement.pk).values_list("title", "status", "version").get(),
        list(FocusArea.objects.filter(agreement=agreement).values_list("pk", "title", "position")),
        list(
            SubGoal.objects.filter(focus_area__agreement=agreement).values_list(
                "pk", "text", "position"
            )
        ),
        list(Commitment.objects.filter(agreement=agreement).values_list("pk", "text", "position")),
    )


POST_DATA = {
    "to": "review",
    "title": "Hackat",
    "text": "Hackat",
    "name": "Hackat",
    "direction": "up",
    "record": "agreements.agreement:1",
}


def test_outsider_gets_404_on_every_agreement_url(outsider_client, tree):
    before = snapshot(tree)
    read_only = {"detail", "history", "promise-list", "promise-detail"}
    post_only = {"history-restore", "transition", "revise", "item-move"}
    for url in all_urls(tree):
        if resolve(url).url_name not in post_only:
            assert outsider_client.get(url).status_code == 404, url
        if resolve(url).url_name not in read_only:
            assert outsider_client.post(url, POST_DATA).status_code == 404, url
    assert snapshot(tree) == before


def test_anonymous_is_sent_to_log_in(client, tree):
    for url in all_urls(tree):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


@pytest.mark.parametrize("persona", ["police_client", "council_client"])
def test_police_and_council_read_but_cannot_change(request, tree, persona):
    client = request.getfixturevalue(persona)
    response = client.get(tree.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fokus 1" in html and "Delmål 1.1" in html
    assert "add-item" not in html
    assert (
        reverse("agreements:item-edit", args=["fokusomrade", tree.focus_areas.first().pk])
        not in html
    )
    assert reverse("agreements:edit", args=[tree.pk]) not in html
    assert reverse("agreements:transition", args=[tree.pk]) not in html
    before = snapshot(tree)
    write_urls = [
        u for u in all_urls(tree) if "medborgarloften/" not in u or "andra" in u or "nytt" in u
    ]
    for url in write_urls:
        if url in (tree.get_absolute_url(), reverse("agreements:history", args=[tree.pk])):
            continue
        assert client.post(url, POST_DATA).status_code == 403, url
    assert snapshot(tree) == before


def test_the_document_reads_like_the_agreement(coordinator_client, tree):
    html = coordinator_client.get(tree.get_absolute_url()).content.decode()
    for text in [
        "Ankeby kommun",
        "Lokalpolisområde Ankeby",
        "Bostadsbolaget",
        "Fokusområde 1 – Fokus 1",
        "Delmål 2.2",
        "Orsak 1.2",
        "Ankeby kommun förbinder sig att",
        "Lokalpolisområde Ankeby förbinder sig att",
        "Vi åtar oss att",
        "Kim Ordförande",
        "2024-01-01 – 2027-12-31",
    ]:
        assert text in html, text
    assert html.index("Fokus 1") < html.index("Fokus 2")


def test_coordinator_sees_edit_controls(coordinator_client, tree):
    html = coordinator_client.get(tree.get_absolute_url()).content.decode()
    assert "add-item" in html
    assert (
        reverse("agreements:item-edit", args=["fokusomrade", tree.focus_areas.first().pk]) in html
    )
    assert reverse("agreements:transition", args=[tree.pk]) in html


def test_signed_agreement_has_no_edit_controls_and_refuses_edits(coordinator_client, signed):
    html = coordinator_client.get(signed.get_absolute_url()).content.decode()
    assert "add-item" not in html
    assert reverse("agreements:revise", args=[signed.pk]) in html
    before = snapshot(signed)
    for url in item_urls(signed) + [reverse("agreements:edit", args=[signed.pk])]:
        assert coordinator_client.post(url, POST_DATA).status_code == 403, url
    assert snapshot(signed) == before


def test_coordinator_builds_the_tree_from_the_page(coordinator_client, world):
    agreement = world.agreement
    c = coordinator_client
    r = c.post(
        reverse("agreements:item-create", args=["fokusomrade", agreement.pk]),
        {"title": "Trygga det offentliga rummet", "kind": "safety", "description": ""},
    )
    area = agreement.focus_areas.get()
    assert r.status_code == 302 and r["Location"].endswith(f"#focus-{area.pk}")
    c.post(reverse("agreements:item-create", args=["delmal", area.pk]), {"text": "Ökad tillit"})
    c.post(
        reverse("agreements:item-create", args=["delmal", area.pk]), {"text": "Analyserade platser"}
    )
    c.post(reverse("agreements:item-create", args=["orsak", area.pk]), {"text": "Mörka platser"})
    c.post(
        reverse("agreements:item-create", args=["atagande", agreement.pk]),
        {"party": world.police_area.pk, "focus_area": "", "text": "delta i trygghetsvandringar"},
    )
    c.post(
        reverse("agreements:item-create", args=["undertecknare", agreement.pk]),
        {
            "name": "Anna",
            "title": "Kommunstyrelsens ordförande",
            "organisation": world.municipality.pk,
            "place": "Ankeby",
        },
    )
    assert [g.text for g in area.sub_goals.order_by("position")] == [
        "Ökad tillit",
        "Analyserade platser",
    ]
    assert area.causes.get().text == "Mörka platser"
    assert agreement.commitments.get().party == world.police_area
    assert agreement.signatories.get().place == "Ankeby"

    second = area.sub_goals.get(text="Analyserade platser")
    c.post(reverse("agreements:item-move", args=["delmal", second.pk]), {"direction": "up"})
    assert [g.text for g in area.sub_goals.order_by("position")] == [
        "Analyserade platser",
        "Ökad tillit",
    ]

    goal = area.sub_goals.get(text="Ökad tillit")
    edit_url = reverse("agreements:item-edit", args=["delmal", goal.pk])
    r = c.post(
        edit_url,
        {"text": "Ökad tillit till polisen", "measured_by": "NTU", "version_token": goal.version},
    )
    assert r.status_code == 302
    goal.refresh_from_db()
    assert goal.text == "Ökad tillit till polisen"

    assert c.get(reverse("agreements:item-delete", args=["delmal", goal.pk])).status_code == 200
    c.post(reverse("agreements:item-delete", args=["delmal", goal.pk]))
    assert not SubGoal.objects.filter(pk=goal.pk).exists()


def test_lifecycle_through_the_page(coordinator_client, tree, stored_pdfs):
    c = coordinator_client
    url = reverse("agreements:transition", args=[tree.pk])
    c.post(url, {"to": "review"})
    c.post(url, {"to": "approved"})
    tree.refresh_from_db()
    assert tree.status == AgreementStatus.APPROVED
    url = reverse("agreements:sign", args=[tree.pk])
    dates = {f"signed_on_{s.pk}": "2024-01-15" for s in tree.signatories.all()}
    confirmation = c.post(url, form_data(c.get(url), values=dates))
    assert confirmation.status_code == 200  # what will be locked, nothing signed yet
    r = c.post(url, form_data(confirmation))
    assert r.status_code == 302
    tree.refresh_from_db()
    assert tree.status == AgreementStatus.SIGNED
    assert stored_pdfs == [tree.pk]
    r = c.post(reverse("agreements:revise", args=[tree.pk]))
    revision = Agreement.objects.get(revision_of=tree)
    assert r["Location"] == revision.get_absolute_url()


def test_a_refused_transition_shows_a_swedish_message(coordinator_client, tree):
    r = coordinator_client.post(
        reverse("agreements:transition", args=[tree.pk]), {"to": "signed"}, follow=True
    )
    assert "kan inte gå från" in r.content.decode()
    tree.refresh_from_db()
    assert tree.status == AgreementStatus.DRAFT


def test_signing_with_a_future_date_is_refused_beside_the_field(coordinator_client, tree):
    set_status(tree, AgreementStatus.APPROVED)
    future = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    data = {f"signed_on_{s.pk}": future for s in tree.signatories.all()}
    r = coordinator_client.post(reverse("agreements:sign", args=[tree.pk]), data)
    assert r.status_code == 200
    assert "framtiden" in r.content.decode()
    assert Agreement.objects.get(pk=tree.pk).status == AgreementStatus.APPROVED


def test_user_text_is_escaped(coordinator_client, police_client, world):
    evil = '<script>alert("x")</script>'
    coordinator_client.post(
        reverse("agreements:item-create", args=["fokusomrade", world.agreement.pk]),
        {"title": evil, "kind": "both", "description": evil},
    )
    area = world.agreement.focus_areas.get()
    coordinator_client.post(
        reverse("agreements:item-create", args=["delmal", area.pk]), {"text": evil}
    )
    for client in (coordinator_client, police_client):
        for url in (
            world.agreement.get_absolute_url(),
            reverse("agreements:history", args=[world.agreement.pk]),
        ):
            html = client.get(url).content.decode()
            assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
            assert evil not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "Detta fält måste fyllas i."),
        ({"title": "x" * 301}, "tecken"),
        ({"title": "Noll\x00tecken"}, "Null-tecken är inte tillåtna."),
        ({"valid_to": "2023-01-01"}, "Perioden måste sluta efter att den börjar."),
        ({"valid_from": "0001-01-01"}, "Ange ett datum mellan"),
        ({"valid_to": "99999-01-01"}, "Fyll i ett giltigt datum."),
        ({"purpose": "x" * 20_001}, "tecken"),
    ],
)
def test_bad_agreement_input_gives_swedish_errors_and_saves_nothing(
    coordinator_client, world, data, message
):
    agreement = world.agreement
    before = snapshot(agreement)
    form = {
        "title": "Giltig titel",
        "municipality": world.municipality.pk,
        "police_area": world.police_area.pk,
        "valid_from": "2024-01-01",
        "valid_to": "2027-12-31",
        "version_token": agreement.version,
        **data,
    }
    r = coordinator_client.post(reverse("agreements:edit", args=[agreement.pk]), form)
    assert r.status_code == 200
    html = r.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert snapshot(agreement) == before


@pytest.mark.parametrize(
    "text",
    ["", "   ", "x" * 20_001, "a\x00b"],
)
def test_bad_item_input_is_refused(coordinator_client, tree, text):
    area = tree.focus_areas.first()
    before = snapshot(tree)
    r = coordinator_client.post(
        reverse("agreements:item-create", args=["delmal", area.pk]), {"text": text}
    )
    assert r.status_code == 200
    assert "aria-invalid" in r.content.decode()
    assert snapshot(tree) == before


def test_odd_unicode_is_kept_as_written(coordinator_client, world):
    text = "Trygghet för alla 🚓 – ÅÄÖ åäö ‮RTL‬ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u200b"
    r = coordinator_client.post(
        reverse("agreements:item-create", args=["fokusomrade", world.agreement.pk]),
        {"title": text, "kind": "both"},
    )
    assert r.status_code == 302
    assert world.agreement.focus_areas.get().title == text


def test_commitment_party_must_be_a_party(coordinator_client, world):
    r = coordinator_client.post(
        reverse("agreements:item-create", args=["atagande", world.agreement.pk]),
        {"party": world.other_municipality.pk, "text": "något"},
    )
    assert r.status_code == 200
    assert not world.agreement.commitments.exists()


def test_stale_edit_is_refused_with_a_diff(coordinator_client, world):
    agreement = world.agreement
    url = reverse("agreements:edit", args=[agreement.pk])
    page = coordinator_client.get(url)
    assert f'value="{agreement.version}"' in page.content.decode()
    stale = agreement.version
    # Someone else saves in between.
    other = Agreement.objects.get(pk=agreement.pk)
    other.purpose = "Deras syfte"
    other.save()
    r = coordinator_client.post(
        url,
        {
            "title": agreement.title,
            "municipality": world.municipality.pk,
            "police_area": world.police_area.pk,
            "valid_from": "2024-01-01",
            "valid_to": "2027-12-31",
            "purpose": "Mitt syfte",
            "version_token": stale,
        },
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert "Någon annan har sparat under tiden" in html
    assert "Deras syfte" in html and "Mitt syfte" in html
    assert Agreement.objects.get(pk=agreement.pk).purpose == "Deras syfte"


def test_stale_item_edit_is_refused(coordinator_client, tree):
    area = tree.focus_areas.first()
    stale = area.version
    area.title = "Deras titel"
    area.save()
    r = coordinator_client.post(
        reverse("agreements:item-edit", args=["fokusomrade", area.pk]),
        {"title": "Min titel", "kind": "both", "version_token": stale},
    )
    assert r.status_code == 200
    assert "Deras titel" in r.content.decode()
    assert FocusArea.objects.get(pk=area.pk).title == "Deras titel"


def test_create_agreement(coordinator_client, world):
    r = coordinator_client.post(
        reverse("agreements:create"),
        {
            "title": "Ny överenskommelse",
            "municipality": world.municipality.pk,
            "police_area": world.police_area.pk,
            "valid_from": "2028-01-01",
            "valid_to": "2031-12-31",
        },
    )
    created = Agreement.objects.get(title="Ny överenskommelse")
    assert r["Location"] == created.get_absolute_url()
    assert created.status == AgreementStatus.DRAFT


def test_coordinator_cannot_create_for_another_municipality(coordinator_client, world):
    r = coordinator_client.post(
        reverse("agreements:create"),
        {
            "title": "Fel kommun",
            "municipality": world.other_municipality.pk,
            "police_area": world.police_area.pk,
            "valid_from": "2028-01-01",
            "valid_to": "2031-12-31",
        },
    )
    assert r.status_code == 200
    assert not Agreement.objects.filter(title="Fel kommun").exists()


@pytest.mark.parametrize("persona", ["police_client", "council_client"])
def test_only_coordinators_create(request, persona):
    assert request.getfixturevalue(persona).get(reverse("agreements:create")).status_code == 403


def test_list_filters_and_is_scoped(coordinator_client, world):
    build_tree(world.agreement)
    html = coordinator_client.get(reverse("agreements:list")).content.decode()
    assert world.agreement.title in html
    assert world.other_agreement.title not in html
    assert world.other_municipality.name not in html  # not even in the dropdowns
    html = coordinator_client.get(reverse("agreements:list"), {"status": "signed"}).content.decode()
    assert world.agreement.title not in html
    html = coordinator_client.get(
        reverse("agreements:list"), {"q": "ankeby", "year": "2025"}
    ).content.decode()
    assert world.agreement.title in html
    html = coordinator_client.get(reverse("agreements:list"), {"year": "2030"}).content.decode()
    assert world.agreement.title not in html


@pytest.mark.parametrize(
    "query", [{"year": "abc"}, {"status": "<b>"}, {"in_force": "x"}, {"page": "999"}, {"q": "\x00"}]
)
def test_list_survives_odd_filters(coordinator_client, world, query):
    assert coordinator_client.get(reverse("agreements:list"), query).status_code in (200, 404)


def test_every_page_renders_for_the_coordinator_without_inline_code(coordinator_client, tree):
    post_only = {"history-restore", "transition", "revise", "item-move"}
    urls = all_urls(tree) + [reverse("agreements:list"), reverse("agreements:create")]
    for url in urls:
        name = resolve(url).url_name
        if name == "sign":
            set_status(tree, AgreementStatus.APPROVED)  # the signing page opens once approved
        response = coordinator_client.get(url)
        if name == "sign":
            set_status(tree, AgreementStatus.DRAFT)
        if name in post_only:
            assert response.status_code == 405, url
            continue
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "style=" not in html and "onclick" not in html, url
        assert "<script>" not in html, url
