"""The plan page's tables are cached on the plan's data version (core.fragments, issue 20).

Every change the page shows must show on the next request — whoever made it and however
(a save, a delete, an m2m link, a follow-up update, a renamed organisation) — and one
viewer's rendering (with their rights) is never served to another.
"""

import pickle

from django.conf import settings
from django.core.cache import caches
from django.urls import reverse

from actionplans.models import Activity, ActivityRole
from tests.followup.factories import ReportFactory, UpdateFactory

from .conftest import make_activity


def _page(client, plan) -> str:
    response = client.get(reverse("actionplans:plan-detail", args=[plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _cached_fragments() -> list[str]:
    """The plan tables in the (process-local) cache, as stored."""
    stored = caches["default"]._cache.values()  # noqa: SLF001 - LocMemCache's own store
    values = [pickle.loads(v) for v in stored]  # noqa: S301 - our own test cache
    return [v["groups_html"] for v in values if isinstance(v, dict) and "groups_html" in v]


def test_a_saved_row_shows_on_the_next_request(pw, coordinator_client):
    activity = make_activity(pw.plan, pw.focus_areas[0], title="Trygghetsvandring")
    assert "Trygghetsvandring" in _page(coordinator_client, pw.plan)
    assert _cached_fragments()  # the tables are in the cache now
    activity.title = "Nattvandring"
    activity.save()
    page = _page(coordinator_client, pw.plan)
    assert "Nattvandring" in page and "Trygghetsvandring" not in page


def test_a_changed_role_a_deleted_row_and_a_renamed_organisation_show(pw, coordinator_client):
    kept = make_activity(pw.plan, pw.focus_areas[0], title="Kvar")
    gone = make_activity(pw.plan, pw.focus_areas[0], title="Struken")
    _page(coordinator_client, pw.plan)
    role = ActivityRole.objects.get(activity=kept, organisation=pw.plan.agreement.police_area)
    role.text = "Leder vandringen i Norrby"
    role.save()
    assert "Leder vandringen i Norrby" in _page(coordinator_client, pw.plan)
    gone.delete()
    assert "Struken" not in _page(coordinator_client, pw.plan)
    kept.responsible = pw.plan.agreement.police_area
    kept.save()
    _page(coordinator_client, pw.plan)
    police_area = pw.plan.agreement.police_area
    police_area.name = "LPO Ankeby norra"
    police_area.save()
    assert "LPO Ankeby norra" in _page(coordinator_client, pw.plan)


def test_a_sub_goal_linked_without_saving_the_activity_changes_its_roll_up(pw, coordinator_client):
    activity = make_activity(pw.plan, pw.focus_areas[0], status="done")
    sub_goal = pw.sub_goals[0]
    before = _page(coordinator_client, pw.plan)
    line = f"{sub_goal.text} – "
    assert f'{line}<span class="muted">' in before  # no activity counts for it yet
    activity.sub_goals.add(sub_goal)  # an m2m link: the activity's updated_at stays
    after = _page(coordinator_client, pw.plan)
    assert f"{line}<progress" in after


def test_an_approved_follow_up_update_changes_the_progress(pw, coordinator_client):
    activity = make_activity(pw.plan, pw.focus_areas[0], status="in_progress")
    report = ReportFactory(agreement=pw.plan.agreement, plan=pw.plan)
    assert "37 % klart" not in _page(coordinator_client, pw.plan)
    UpdateFactory(report=report, activity=activity, progress=37, review_state="approved")
    assert "37 % klart" in _page(coordinator_client, pw.plan)


def test_each_viewer_gets_the_tables_of_their_own_rights(
    pw, coordinator_client, police_client, staff_client
):
    make_activity(pw.plan, pw.focus_areas[0], position=1)
    make_activity(pw.plan, pw.focus_areas[0], position=2)
    coordinator_page = _page(coordinator_client, pw.plan)
    police_page = _page(police_client, pw.plan)
    staff_page = _page(staff_client, pw.plan)
    review = (
        f"{reverse('actionplans:activity-detail', args=[pw.plan.activities.first().pk])}#review"
    )
    assert "Flytta upp" in coordinator_page and review not in coordinator_page
    assert "Flytta upp" not in police_page and review in police_page
    assert "Flytta upp" not in staff_page and "row-menu" not in staff_page
    assert len(_cached_fragments()) == 3


def test_no_csrf_token_and_no_message_is_cached(pw, coordinator_client):
    activity = make_activity(pw.plan, pw.focus_areas[0], position=1)
    make_activity(pw.plan, pw.focus_areas[0], position=2)
    coordinator_client.post(
        reverse("actionplans:activity-move", args=[activity.pk]), {"direction": "down"}
    )
    page = _page(coordinator_client, pw.plan)  # the message is shown once, at the top
    assert "Aktiviteten flyttades" in page
    for fragment in _cached_fragments():
        assert "csrfmiddlewaretoken" not in fragment
        assert "Aktiviteten flyttades" not in fragment and "row-note" not in fragment
    assert "csrfmiddlewaretoken" in page  # the forms outside the fragment carry it


def test_each_language_has_its_own_tables(pw, coordinator_client):
    make_activity(pw.plan, pw.focus_areas[0])
    assert "Åtgärder" in _page(coordinator_client, pw.plan)
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _page(coordinator_client, pw.plan)
    assert "Actions" in english and "Åtgärder" not in english


def test_the_moved_rows_come_back_renumbered(pw, coordinator_client):
    first = make_activity(pw.plan, pw.focus_areas[0], roles=False, position=1, code="1.1")
    second = make_activity(pw.plan, pw.focus_areas[0], roles=False, position=2, code="1.2")
    _page(coordinator_client, pw.plan)
    coordinator_client.post(
        reverse("actionplans:activity-move", args=[second.pk]), {"direction": "up"}
    )
    page = _page(coordinator_client, pw.plan)
    assert page.index(f"1.1 {second.title}") < page.index(f"1.2 {first.title}")
    assert list(Activity.objects.filter(plan=pw.plan).order_by("position")) == [second, first]


def test_all_editable_in_says_what_editable_by_selects(
    pw, coordinator, police, staff, outsider, django_user_model
):
    make_activity(pw.plan, pw.focus_areas[0], position=1)
    make_activity(pw.plan, pw.focus_areas[0], position=2)
    superuser = django_user_model.objects.create_superuser("rot", password="x")
    every = set(Activity.objects.filter(plan=pw.plan).values_list("pk", flat=True))
    for user in (coordinator, police, staff, outsider, superuser):
        editable = set(
            Activity.objects.editable_by(user).filter(plan=pw.plan).values_list("pk", flat=True)
        )
        assert editable in (set(), every)
        assert Activity.objects.all_editable_in(user, pw.plan) == (editable == every), user
