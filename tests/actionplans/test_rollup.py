"""Progress rolls up to sub-goals and focus areas as an average over activities that count."""

from types import SimpleNamespace

from django.urls import reverse

from actionplans.choices import ActivityStatus
from actionplans.progress import activity_progress, rollup

from .conftest import make_activity

S = ActivityStatus


def test_status_decides_progress_and_cancelled_activities_do_not_count():
    activities = [
        SimpleNamespace(status=s)
        for s in (S.DONE, S.IN_PROGRESS, S.PLANNED, S.DELAYED, S.CANCELLED)
    ]
    result = rollup(activities)
    assert (result.counted, result.excluded) == (4, 1)
    assert result.percent == round((100 + 50 + 0 + 0) / 4)  # 38


def test_the_latest_approved_update_overrides_the_status():
    activity = SimpleNamespace(
        status=S.IN_PROGRESS, approved_updates=[SimpleNamespace(progress=80)]
    )
    assert activity_progress(activity) == 80
    cancelled = SimpleNamespace(status=S.CANCELLED, approved_updates=[SimpleNamespace(progress=80)])
    assert activity_progress(cancelled) is None


def test_nothing_to_count_gives_no_percentage():
    assert rollup([]).percent is None
    assert rollup([SimpleNamespace(status=S.CANCELLED)]).percent is None


def test_the_plan_page_shows_the_rollup_per_focus_area_and_sub_goal(pw, council_client):
    fa1, fa2 = pw.focus_areas
    sg1, sg2 = pw.sub_goals
    make_activity(pw.plan, fa1, [sg1], status=S.DONE)
    make_activity(pw.plan, fa1, [sg1], status=S.IN_PROGRESS)
    make_activity(pw.plan, fa1, [], status=S.CANCELLED)
    make_activity(pw.plan, fa2, [sg2], status=S.DONE)
    page = council_client.get(
        reverse("actionplans:plan-detail", args=[pw.plan.pk])
    ).content.decode()
    # Focus area 1 and its sub-goal: (100 + 50) / 2 = 75 %, one cancelled left out.
    assert 'value="75"' in page
    assert "2 aktiviteter räknas" in page and "1 inställd räknas inte" in page
    # The whole plan: (100 + 50 + 100) / 3 = 83 %.
    assert 'value="83"' in page
    assert "Så räknas framdriften" in page
    assert "inte om ett mål är uppnått" in page
    # All activities of focus area 2 are done, but the page never calls the goal reached.
    assert "uppnått." not in page.replace("inte om ett mål är uppnått.", "")
