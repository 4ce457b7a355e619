"""The follow-up demo: two years of Eskilstuna reports, every status, indicators; idempotent."""

from django.core.management import call_command

from agreements.demo import DemoContext
from agreements.models import Agreement
from core.choices import ReviewState
from followup import demo, selectors
from followup.choices import UpdateStatus
from followup.models import ActivityUpdate, FollowUpReport, Indicator, IndicatorValue

from .factories import FollowupActivityFactory, FollowupPlanFactory


def _counts():
    return (
        FollowUpReport.objects.count(),
        ActivityUpdate.objects.count(),
        Indicator.objects.count(),
        IndicatorValue.objects.count(),
    )


def test_demo_reports_updates_in_every_state_and_is_idempotent(db):
    call_command("load_demo", "--force", verbosity=0)
    agreement = Agreement.objects.filter(
        municipality__name="Eskilstuna kommun", revision_of__isnull=True
    ).earliest("valid_from")
    plan = agreement.plans.order_by("-valid_from").first() or FollowupPlanFactory(
        agreement=agreement, valid_from=agreement.valid_from, valid_to=agreement.valid_to
    )
    if plan.activities.count() < 8:
        for _ in range(8):
            FollowupActivityFactory(plan=plan)
    demo.load(DemoContext())
    reports = FollowUpReport.objects.filter(agreement=agreement, plan=plan)
    assert reports.count() >= 4
    updates = ActivityUpdate.objects.filter(report__agreement=agreement)
    assert set(updates.values_list("status", flat=True)) == set(UpdateStatus.values)
    assert set(updates.values_list("review_state", flat=True)) == set(ReviewState.values)
    assert reports.filter(status="approved").count() == 3
    assert Indicator.objects.filter(
        municipality=agreement.municipality, name="Trygghetsindex"
    ).exists()
    assert IndicatorValue.objects.filter(indicator__name="Trygghetsindex", area__isnull=False)
    from django.contrib.auth import get_user_model

    coordinator = get_user_model().objects.get(username="samordnare")
    assert selectors.describe_deviations(selectors.deviating_activities(coordinator))
    _assert_a_believable_law_checklist()
    before = _counts()
    demo.load(DemoContext())
    call_command("load_demo", "--force", verbosity=0)
    assert _counts() == before


def _assert_a_believable_law_checklist():
    """The demo's municipalities in the law checklist (#21): Eskilstuna's agreement is in
    force and followed up (some met, some partly); Eslöv's and Strängnäs's have expired."""
    from agreements.models import Organisation
    from dashboard import lawcheck

    states = {
        municipality.name: {r.key: result.state for r, result in rows}
        for municipality, rows in lawcheck.check_municipalities(
            Organisation.objects.municipalities()
        )
    }
    assert {lawcheck.MET, lawcheck.PARTLY} <= set(states["Eskilstuna kommun"].values())
    for expired in ("Eslövs kommun", "Strängnäs kommun"):
        assert states[expired]["police_agreement"] == lawcheck.MISSING
