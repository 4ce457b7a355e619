"""Importing creates the draft and its tree; bad files are refused with a Swedish message
and nothing is created; only the municipality's coordinator may import."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from actionplans.choices import PartyRole
from actionplans.models import Activity, ActivityRole
from agreements.choices import AgreementStatus, Role
from agreements.models import Agreement, Commitment, FocusArea, Organisation, Signatory, SubGoal
from docimport import readers
from docimport.models import DocumentImport
from forums.models import Forum
from tests.factories import MembershipFactory
from tests.rendered import form_data

from . import documents
from .conftest import document, person


def _upload(client, municipality, police_area, name, data):
    return client.post(
        reverse("docimport:upload"),
        {
            "municipality": municipality.pk,
            "police_area": police_area.pk,
            "file": SimpleUploadedFile(name, data),
        },
    )


def _error_beside(response, field: str) -> str:
    html = response.content.decode()
    match = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</div>', html, re.S)
    assert match, f"no error shown beside {field}"
    return unescape(re.sub(r"<[^>]+>", " ", match[1])).strip()


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------


def test_the_command_creates_the_draft_and_prints_its_pk_last(parties, tmp_path):
    kommun, lpo, coordinator = parties["eslov"]
    path = tmp_path / "eslov.txt"
    path.write_bytes(document("eslov", "txt")[1])
    out = io.StringIO()
    call_command(
        "import_document",
        str(path),
        municipality="Eslövs kommun",
        police_area="Lokalpolisområde Eslöv",
        stdout=out,
    )
    lines = out.getvalue().strip().splitlines()
    agreement = Agreement.objects.get()
    assert lines[-1] == f"agreement {agreement.pk}"
    assert "focus_area: 3" in lines and "activity: 14" in lines and "signatory: 2" in lines
    assert "left over: 0" in lines
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.title.endswith("Eslövs kommun 2021–2022")
    assert (str(agreement.valid_from), str(agreement.valid_to)) == ("2021-05-01", "2022-12-31")
    assert list(agreement.focus_areas.values_list("title", flat=True)) == [
        "Trygghet i offentlig miljö",
        "Tidig upptäckt av barn och unga vuxna i riskmiljöer",
        "Våld i nära relationer",
    ]
    assert agreement.history.count() == 1  # created through the model layer, with history
    signatories = list(agreement.signatories.order_by("position"))
    assert [(s.name, s.title, s.organisation, s.place, str(s.signed_on)) for s in signatories] == [
        ("Anna-Karin Boije", "Lokalpolisområdeschef Eslöv", lpo, "Eslöv", "2021-06-18"),
        ("Johan Andersson", "Kommunstyrelsens ordförande", kommun, "Eslöv", "2021-06-18"),
    ]
    plan = agreement.plans.get()
    assert plan.activities.count() == 14
    tunnels = plan.activities.get(title="Förbättra tryggheten i tunnlar och andra miljöer")
    assert tunnels.focus_area.title == "Trygghet i offentlig miljö"
    # "Gata-trafik-park inom Miljö och Samhällsbyggnad": a unit inside its förvaltning,
    # both created under the municipality.
    assert tunnels.responsible.name == "Gata-trafik-park"
    assert tunnels.responsible.parent.name == "Miljö och Samhällsbyggnad"
    assert tunnels.responsible.parent.parent == kommun
    assert "created organisation: Gata-trafik-park (Miljö och Samhällsbyggnad)" in lines
    # "Skolan samt polisen": the school is responsible, the police take part.
    extremism = plan.activities.get(title__startswith="Förhindra rekrytering")
    assert extremism.responsible.name == "Skolan"
    assert extremism.roles.get(organisation=lpo).role == PartyRole.PARTICIPATES
    forums = Forum.objects.filter(agreements=agreement)
    assert {f.name for f in forums} == {
        "Lagstadgad tillsynsverksamhet i samverkan",
        "Örat mot marken",
        "SSPE – Samverkan skola, socialtjänst, polis, Eslövs Bostads AB",
    }
    assert "lokalpolischef" in agreement.decision_body


def test_the_command_imports_a_pdf_with_its_action_plan_table(parties, tmp_path):
    kommun, lpo, coordinator = parties["strangnas"]
    path = tmp_path / "strangnas.pdf"
    path.write_bytes(document("strangnas", "pdf")[1])
    out = io.StringIO()
    call_command(
        "import_document",
        str(path),
        municipality="Strängnäs kommun",
        police_area="Lokalpolisområde Strängnäs",
        user=coordinator.username,
        stdout=out,
    )
    agreement = Agreement.objects.get(pk=int(out.getvalue().strip().splitlines()[-1].split()[1]))
    assert FocusArea.objects.filter(agreement=agreement).count() == 4
    (commitment,) = Commitment.objects.filter(agreement=agreement)
    assert commitment.party is None  # "Polisen och Strängnäs kommun åtar sig att …": joint
    assert commitment.text.startswith("Samverka kring de framtagna samverkansområdena")
    assert Signatory.objects.filter(agreement=agreement, organisation=kommun).get().name == (
        "Lars Ekström"
    )
    sig = Activity.objects.get(plan__agreement=agreement, title="SIG Sociala insatsgrupper")
    roles = {r.organisation: (r.role, r.text) for r in ActivityRole.objects.filter(activity=sig)}
    assert roles == {
        kommun: (PartyRole.LEADS, "Socialtjänsten är samordnande"),
        lpo: (PartyRole.PARTICIPATES, "Deltagande"),
    }
    assert sig.communication == "Polis och kommun"
    bra = Forum.objects.get(agreements=agreement)
    assert (bra.abbreviation, bra.chair, bra.frequency) == (
        "BRÅ",
        "Samordnare för brottsförebyggande frågor",
        "quarterly",
    )
    # The plan's SSPF and EST rows name no forum of this municipality: no link is invented.
    assert Activity.objects.get(plan__agreement=agreement, title="SSPF").forum is None


def test_the_command_refuses_an_unreadable_file_and_creates_nothing(parties, tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.7\n garbage that is no PDF")
    with pytest.raises(Exception, match="skadad|damaged"):
        call_command(
            "import_document",
            str(path),
            municipality="Eslövs kommun",
            police_area="Lokalpolisområde Eslöv",
            stdout=io.StringIO(),
        )
    assert not Agreement.objects.exists()


# ---------------------------------------------------------------------------
# The web flow
# ---------------------------------------------------------------------------


def test_the_agreement_list_offers_the_import_to_coordinators_only(parties, client):
    kommun, lpo, coordinator = parties["eskilstuna"]
    police = person("polis")
    MembershipFactory(user=police, organisation=lpo, role=Role.POLICE)
    client.force_login(coordinator)
    assert "Importera befintlig överenskommelse" in client.get(reverse("agreements:list")).text
    client.force_login(police)
    assert "Importera befintlig överenskommelse" not in client.get(reverse("agreements:list")).text


def test_a_coordinator_uploads_reviews_corrects_and_creates_the_draft(parties, client):
    kommun, lpo, coordinator = parties["eskilstuna"]
    client.force_login(coordinator)
    page = client.get(reverse("docimport:upload"))
    assert page.status_code == 200
    name, data = document("eskilstuna", "docx")
    response = _upload(client, kommun, lpo, name, data)
    record = DocumentImport.objects.get()
    assert response.url == reverse("docimport:review", args=[record.pk])
    assert record.uploaded_by == coordinator and record.original_name == "eskilstuna.docx"
    # The original is kept under a name nobody can guess, byte for byte.
    assert "eskilstuna" not in record.original.name and record.original.name.endswith(".docx")
    with record.original.open("rb") as stored:
        assert stored.read() == data
    assert not Agreement.objects.exists()  # nothing is created before the review

    review = client.get(response.url)
    text = review.text
    assert "Stoppa skjutningar och grovt våld" in text
    assert "Blev över" in text and "Utifrån fokusområdena tas en gemensam åtgärdsplan" in text
    tree = record.tree
    by_title = {i["title"] or i["text"][:40]: i for i in tree["items"]}
    third = next(i for i in tree["items"] if i["text"].startswith("Utveckla gemensam"))
    beredning = by_title["Trygghetsberedningen"]
    first_area = by_title["Stoppa skjutningar och grovt våld"]
    leftover = next(b for b in tree["blocks"] if b["text"].startswith("Utifrån fokusområdena"))
    post = form_data(
        review,
        **{
            f"kind_{third['id']}": "commitment:police",  # re-assign to a party
            f"kind_{beredning['id']}": "drop",
            f"label_{first_area['id']}": "Stoppa skjutningarna och det grova våldet",
            f"block_{leftover['n']}": "section:purpose",
        },
    )
    created = client.post(response.url, post)
    agreement = Agreement.objects.get()
    assert created.url == agreement.get_absolute_url()
    assert agreement.status == AgreementStatus.DRAFT
    assert list(agreement.focus_areas.values_list("title", flat=True))[0] == (
        "Stoppa skjutningarna och det grova våldet"
    )
    assert SubGoal.objects.filter(focus_area__agreement=agreement).count() == 15
    parties_of = list(
        Commitment.objects.filter(agreement=agreement)
        .order_by("pk")
        .values_list("party", flat=True)
    )
    assert parties_of == [None, None, lpo.pk]
    assert not Forum.objects.filter(name="Trygghetsberedningen").exists()
    assert Forum.objects.filter(agreements=agreement).count() == 5
    assert "Utifrån fokusområdena" in agreement.purpose
    record.refresh_from_db()
    assert record.agreement == agreement
    # The review page of a finished import leads to the draft; it cannot be created twice.
    again = client.post(response.url, post)
    assert again.url == agreement.get_absolute_url()
    assert Agreement.objects.count() == 1
    detail = client.get(agreement.get_absolute_url())
    assert "Stoppa skjutningarna och det grova våldet" in detail.text


def test_pasted_text_is_imported_like_a_file(parties, client):
    kommun, lpo, coordinator = parties["strangnas"]
    client.force_login(coordinator)
    response = client.post(
        reverse("docimport:upload"),
        {
            "municipality": kommun.pk,
            "police_area": lpo.pk,
            "text": documents.reference_text("strangnas"),
        },
    )
    record = DocumentImport.objects.get()
    assert response.url == record.get_absolute_url()
    assert sum(1 for i in record.tree["items"] if i["kind"] == "focus_area") == 4


def test_a_sub_goal_moved_above_every_focus_area_is_refused_beside_its_field(parties, client):
    kommun, lpo, coordinator = parties["eskilstuna"]
    client.force_login(coordinator)
    response = _upload(client, kommun, lpo, *document("eskilstuna", "txt"))
    review = client.get(response.url)
    tree = DocumentImport.objects.get().tree
    first_block = tree["blocks"][1]  # a background paragraph, before any focus area
    background = next(i for i in tree["items"] if first_block["n"] in i["sources"])
    post = form_data(review, **{f"kind_{background['id']}": "sub_goal"})
    refused = client.post(response.url, post)
    assert refused.status_code == 200
    assert "Ett delmål behöver ett fokusområde ovanför sig" in _error_beside(
        refused, f"kind_{background['id']}"
    )
    assert not Agreement.objects.exists()


# ---------------------------------------------------------------------------
# Bad input: a Swedish message beside the field, nothing created
# ---------------------------------------------------------------------------


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(document("eskilstuna", "pdf")[1])).pages:
        writer.add_page(page)
    writer.encrypt(user_password="hemligt", owner_password="hemligare")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _scanned_pdf() -> bytes:
    # A page that is only a picture, as a scanner makes it.
    import base64

    png = base64.b64encode(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a1b0d1a0"
            "0000000049454e44ae426082"
        )
    ).decode()
    return documents.pdf_from_html(
        f'<html><body><img src="data:image/png;base64,{png}" width="400" height="600">'
        "</body></html>"
    )


BAD_FILES = {
    "too-large": ("avtal.txt", lambda: b"a" * (50 * 1024 * 1024), "större än 20 MB"),
    "encrypted-pdf": ("avtal.pdf", _encrypted_pdf, "krypterad eller lösenordsskyddad"),
    "scanned-pdf": ("avtal.pdf", _scanned_pdf, "inskannad bild — ingen text att läsa"),
    "corrupt-pdf": ("avtal.pdf", lambda: b"%PDF-1.4\n\x00\x01 trasig", "PDF:en är skadad"),
    "password-docx": (
        "avtal.docx",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        "lösenordsskyddad",
    ),
    "macro-docx": (
        "avtal.docx",
        lambda: documents.docx_bytes("eslov", macro=True),
        "innehåller makron",
    ),
    "docm": ("avtal.docm", lambda: documents.docx_bytes("eslov", macro=True), "makron"),
    "corrupt-docx": ("avtal.docx", lambda: b"PK\x03\x04 inte en zip", "Word-filen är skadad"),
    "empty": ("avtal.txt", lambda: b"", "tom"),
    "blank": ("avtal.txt", lambda: b"   \n\n  ", "Filen är tom"),
    "no-structure": (
        "recept.txt",
        lambda: "Kanelbullar\nRör ner jästen i degvätskan.\nBaka i 8 minuter.".encode(),
        "Ingen överenskommelse kändes igen",
    ),
    "other-type": ("avtal.exe", lambda: b"MZ\x90\x00", ".docx, .pdf eller .txt"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_with_a_swedish_message_and_nothing_is_created(case, parties, client):
    kommun, lpo, coordinator = parties["eslov"]
    client.force_login(coordinator)
    name, make, message = BAD_FILES[case]
    response = _upload(client, kommun, lpo, name, make())
    assert response.status_code == 200
    assert message in _error_beside(response, "file")
    assert not DocumentImport.objects.exists()
    assert not Agreement.objects.exists()


def test_parsing_that_takes_too_long_is_stopped(parties, client, monkeypatch):
    kommun, lpo, coordinator = parties["eslov"]
    monkeypatch.setattr(readers, "PARSE_SECONDS", -1.0)
    client.force_login(coordinator)
    response = _upload(client, kommun, lpo, *document("eslov", "docx"))
    assert "tog för lång tid" in _error_beside(response, "file")
    assert not DocumentImport.objects.exists()


def test_the_form_asks_for_a_file_or_text(parties, client):
    kommun, lpo, coordinator = parties["eslov"]
    client.force_login(coordinator)
    response = client.post(
        reverse("docimport:upload"), {"municipality": kommun.pk, "police_area": lpo.pk}
    )
    assert "Välj en fil eller klistra in" in _error_beside(response, "file")


# ---------------------------------------------------------------------------
# Access
# ---------------------------------------------------------------------------


@pytest.fixture
def an_import(parties, client):
    kommun, lpo, coordinator = parties["eslov"]
    client.force_login(coordinator)
    _upload(client, kommun, lpo, *document("eslov", "txt"))
    client.logout()
    return DocumentImport.objects.get()


def test_another_municipalitys_coordinator_gets_404_for_the_review(an_import, parties, client):
    _kommun, _lpo, outsider = parties["strangnas"]
    client.force_login(outsider)
    url = reverse("docimport:review", args=[an_import.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "x"}).status_code == 404
    assert not Agreement.objects.exists()


def test_the_police_may_not_import_nor_see_an_import(an_import, parties, client):
    _kommun, lpo, _coordinator = parties["eslov"]
    police = person("kommunpolis-eslov")
    MembershipFactory(user=police, organisation=lpo, role=Role.POLICE)
    client.force_login(police)
    assert client.get(reverse("docimport:upload")).status_code == 403
    assert client.get(reverse("docimport:review", args=[an_import.pk])).status_code == 404


def test_a_coordinator_cannot_import_into_another_municipality(parties, client):
    other, lpo, _ = parties["strangnas"]
    _kommun, _lpo, coordinator = parties["eslov"]
    client.force_login(coordinator)
    response = _upload(client, other, lpo, *document("strangnas", "txt"))
    assert response.status_code == 200
    assert _error_beside(response, "municipality")
    assert not DocumentImport.objects.exists()


def test_signed_out_visitors_are_sent_to_the_login(an_import, client):
    response = client.get(reverse("docimport:review", args=[an_import.pk]))
    assert response.status_code == 302 and "login" in response.url
    assert client.get(reverse("docimport:upload")).status_code == 302


def test_the_import_creates_missing_units_under_the_municipality_only(parties, tmp_path):
    kommun, _lpo, _coordinator = parties["eslov"]
    path = tmp_path / "eslov.docx"
    path.write_bytes(document("eslov", "docx")[1])
    call_command(
        "import_document",
        str(path),
        municipality="Eslövs kommun",
        police_area="Lokalpolisområde Eslöv",
        stdout=io.StringIO(),
    )
    created = Organisation.objects.exclude(kind__in=["municipality", "police_area"])
    assert created.exists()
    assert all(org.root == kommun for org in created)
    # With heading levels the last two themes are focus areas of their own.
    assert Agreement.objects.get().focus_areas.count() == 5


# ---------------------------------------------------------------------------
# An imported signed agreement
# ---------------------------------------------------------------------------


def test_a_signed_pdf_is_imported_signed_with_its_date_and_kept_as_the_scan(parties, client):
    import hashlib

    kommun, lpo, coordinator = parties["strangnas"]
    client.force_login(coordinator)
    name, data = document("strangnas", "pdf")
    response = _upload(client, kommun, lpo, name, data)
    review = client.get(response.url)
    post = form_data(review, mark_signed="on")
    assert post["signed_on"] == "2019-12-20"  # the date of the signature block
    created = client.post(response.url, post)
    agreement = Agreement.objects.get()
    assert created.url == agreement.get_absolute_url()
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.signed_scan_sha256 == hashlib.sha256(data).hexdigest()
    assert agreement.signed_pdf_sha256  # signed as any agreement is: its PDF is stored
    assert {str(s.signed_on) for s in agreement.signatories.all()} == {"2019-12-20"}


def test_marking_signed_without_signatories_is_refused_and_nothing_is_created(parties, client):
    kommun, lpo, coordinator = parties["eskilstuna"]
    client.force_login(coordinator)
    response = _upload(client, kommun, lpo, *document("eskilstuna", "txt"))
    review = client.get(response.url)
    refused = client.post(response.url, form_data(review, mark_signed="on", signed_on="2023-12-15"))
    assert refused.status_code == 200
    assert "Lägg till undertecknarna" in _error_beside(refused, "signed_on")
    assert not Agreement.objects.exists()
    assert DocumentImport.objects.get().agreement is None


def test_a_further_party_named_in_a_commitment_becomes_a_party_of_the_draft(parties, tmp_path):
    kommun, lpo, _coordinator = parties["eslov"]
    path = tmp_path / "avtal.txt"
    path.write_text(
        "\n".join(
            [
                "Samverkansöverenskommelse mellan Eslövs kommun och Polisen 2025–2026",
                "Fokusområden",
                "Fokusområde 1 – Trygg skolväg",
                "Räddningstjänsten åtar sig att hålla brandskyddsutbildningar i skolorna.",
                "Eslövs kommun förbinder sig att bemanna fältgruppen på helger.",
            ]
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command(
        "import_document",
        str(path),
        municipality="Eslövs kommun",
        police_area="Lokalpolisområde Eslöv",
        stdout=out,
    )
    agreement = Agreement.objects.get()
    rescue = Organisation.objects.get(name="Räddningstjänsten")
    assert rescue.kind == "rescue"
    assert list(agreement.other_parties.all()) == [rescue]
    by_party = {c.party: c.text for c in agreement.commitments.all()}
    assert by_party == {
        rescue: "Hålla brandskyddsutbildningar i skolorna.",
        kommun: "Bemanna fältgruppen på helger.",
    }
    assert all(c.focus_area.title == "Trygg skolväg" for c in agreement.commitments.all())
    assert "created organisation: Räddningstjänsten" in out.getvalue()
