"""load_demo fills the three reference action plans, and running it again changes nothing."""

from django.core.management import call_command

from actionplans.models import ActionPlan, Activity, ActivityRole, Review
from core.choices import ReviewState


def _counts():
    return [m.objects.count() for m in (ActionPlan, Activity, ActivityRole, Review)]


def test_load_demo_creates_the_reference_plans_idempotently(db):
    call_command("load_demo", "--force", verbosity=0)
    first = _counts()
    call_command("load_demo", "--force", verbosity=0)
    assert _counts() == first

    eslov = Activity.objects.filter(plan__agreement__municipality__name="Eslövs kommun")
    assert eslov.count() == 14
    assert all(a.effect_goal and a.responsible for a in eslov)
    assert eslov.filter(responsible__parent__parent__name="Eslövs kommun").exists()

    strangnas = Activity.objects.filter(plan__agreement__municipality__name="Strängnäs kommun")
    assert strangnas.count() == 10
    sig = strangnas.get(title__startswith="SIG")
    assert sig.communication == "Polis och kommun"
    assert {r.organisation.kind for r in sig.roles.all()} == {"municipality", "police_area"}

    eskilstuna = Activity.objects.filter(plan__agreement__municipality__name="Eskilstuna kommun")
    states = set(eskilstuna.values_list("review_state", flat=True))
    assert {ReviewState.SUBMITTED, ReviewState.RETURNED, ReviewState.APPROVED} <= states
    assert set(eskilstuna.values_list("focus_area__position", flat=True)) == {1, 2, 3, 4}
    assert Review.objects.filter(activity__in=eskilstuna).exists()
