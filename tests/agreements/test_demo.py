"""load_demo models the three reference agreements and stays idempotent."""

from django.core.management import call_command

from agreements.choices import AgreementStatus
from agreements.models import Agreement, Area, FocusArea, SubGoal


def test_demo_models_the_reference_agreements(db):
    call_command("load_demo", "--force", verbosity=0)
    counts = (Agreement.objects.count(), FocusArea.objects.count(), SubGoal.objects.count())
    call_command("load_demo", "--force", verbosity=0)
    assert counts == (Agreement.objects.count(), FocusArea.objects.count(), SubGoal.objects.count())

    eskilstuna = Agreement.objects.get(title__contains="Eskilstuna kommun och lokalpolisområde")
    assert eskilstuna.status == AgreementStatus.SIGNED
    assert [a.sub_goals.count() for a in eskilstuna.focus_areas.order_by("position")] == [
        2,
        5,
        2,
        6,
    ]
    assert eskilstuna.commitments.filter(party__isnull=True).count() == 3
    assert "KUG" in eskilstuna.organisation_text and "KSG" in eskilstuna.organisation_text
    assert "kommunfullmäktige" in eskilstuna.decision_condition
    assert set(
        Area.objects.filter(municipality=eskilstuna.municipality).values_list("name", flat=True)
    ) >= {
        "Lagersberg",
        "Fröslunda",
        "Skiftinge",
    }

    eslov = Agreement.objects.get(title__contains="Eslöv")
    assert eslov.status == AgreementStatus.SIGNED
    assert {(s.name, s.place) for s in eslov.signatories.all()} == {
        ("Anna-Karin Boije", "Eslöv"),
        ("Johan Andersson", "Eslöv"),
    }
    assert eslov.focus_areas.filter(title="Trygghet i offentlig miljö").exists()

    strangnas = Agreement.objects.get(title__contains="Strängnäs")
    assert {a.kind for a in strangnas.focus_areas.all()} == {"crime_prevention", "safety"}
    assert "Liv & hälsa ung" in strangnas.situation_sources
    assert strangnas.signatories.count() == 2

    draft = Agreement.objects.get(revision_of=eskilstuna)
    assert draft.status == AgreementStatus.DRAFT
    assert draft.focus_areas.count() == 4
