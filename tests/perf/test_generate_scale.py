"""``generate_scale``: synthetic national data in every lifecycle state, with history."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from actionplans.models import ActionPlan, Activity
from agreements.choices import LOCKED_STATUSES, AgreementStatus, OrganisationKind
from agreements.models import Agreement, FocusArea, Organisation
from followup.models import ActivityUpdate, FollowUpReport
from forums.models import Attendance


def _generate(**options):
    out = StringIO()
    call_command(
        "generate_scale",
        municipalities=options.pop("municipalities", 3),
        activities_per_plan=options.pop("activities_per_plan", 5),
        years=options.pop("years", 2),
        force=True,
        stdout=out,
        **options,
    )
    return out.getvalue()


@pytest.mark.django_db
def test_it_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("generate_scale", municipalities=3, stdout=StringIO())
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_it_creates_every_lifecycle_state_with_signed_trees():
    _generate()
    statuses = set(Agreement.objects.values_list("status", flat=True))
    assert statuses == set(AgreementStatus.values)
    assert Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).count() == 3
    assert Organisation.objects.filter(kind=OrganisationKind.POLICE_AREA).count() == 1
    codes = Organisation.objects.municipalities().values_list("code", flat=True)
    assert all(len(code) == 4 and code.isdigit() for code in codes)
    # Signed agreements have their whole tree, and revisions point at what they revise.
    for agreement in Agreement.objects.filter(status__in=LOCKED_STATUSES):
        assert FocusArea.objects.filter(agreement=agreement).count() == 4
        assert agreement.signatories.count() == 2
    assert Agreement.objects.filter(revision_of__isnull=False).count() == 6
    assert Attendance.objects.exists()
    assert ActivityUpdate.objects.filter(review_state="approved").exists()


@pytest.mark.django_db
def test_history_tells_the_lifecycle_with_users_and_reasons():
    _generate()
    signed = Agreement.objects.filter(status=AgreementStatus.SIGNED).first()
    rows = list(signed.history.order_by("history_date"))
    assert [r.status for r in rows] == ["draft", "review", "approved", "signed"]
    assert [r.history_type for r in rows] == ["+", "~", "~", "~"]
    assert all(r.history_user_id for r in rows)
    assert rows[-1].history_change_reason == "Undertecknad"
    assert signed.version == 4
    report = FollowUpReport.objects.filter(status="approved").first()
    assert [h.status for h in report.history.order_by("history_date")] == [
        "draft",
        "submitted",
        "approved",
    ]


@pytest.mark.django_db
def test_plans_vary_around_the_requested_size_and_users_log_in():
    _generate(municipalities=6, activities_per_plan=10, years=1)
    sizes = set(ActionPlan.objects.annotate(n=Count("activities")).values_list("n", flat=True))
    assert min(sizes) >= 8 and max(sizes) <= 12 and len(sizes) > 1
    assert (
        Activity.objects.filter(roles__isnull=False).distinct().count() == Activity.objects.count()
    )
    assert authenticate(username="samordnare-0001", password="demo") is not None
    assert authenticate(username="nationell", password="demo").is_staff


class _Rollback(Exception):
    pass


def _content():
    return (
        list(Organisation.objects.order_by("pk").values_list("name", "code", "kind")),
        list(Activity.objects.order_by("pk").values_list("code", "title", "status")),
        list(ActivityUpdate.objects.order_by("pk").values_list("status", "progress")),
    )


@pytest.mark.django_db
def test_it_is_deterministic_for_a_seed_and_refuses_to_run_twice():
    runs = []
    for _attempt in range(2):
        with pytest.raises(_Rollback), transaction.atomic():
            _generate(municipalities=3, seed=7)
            runs.append(_content())
            with pytest.raises(CommandError, match="already"):
                _generate(municipalities=3, seed=7)
            raise _Rollback
    assert runs[0] == runs[1]
    assert runs[0][1]


@pytest.mark.django_db
def test_inside_a_transaction_it_writes_in_one_process():
    out = _generate(municipalities=13, activities_per_plan=1, years=1, workers=4)
    assert "Generated 13 municipalities" in out
    assert Organisation.objects.municipalities().count() == 13
