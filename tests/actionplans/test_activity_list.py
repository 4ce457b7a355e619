"""The activity list: filters scoped to the user, pagination keeping them, constant queries."""

import datetime
import re

import pytest
from django.urls import reverse

from actionplans.choices import ActivityStatus, PartyRole
from actionplans.models import Activity
from core.choices import ReviewState
from tests.factories import AreaFactory, OrganisationFactory

from .conftest import make_activity
from .factories import ActivityRoleFactory

URL = reverse("actionplans:activity-list")


def _titles(response):
    """The titles of the activities the list shows (its table, as rendered)."""
    html = response.content.decode()
    shown = set(re.findall(r'<th scope="row"><a href="[^"]*">([^<]*)</a>', html))
    return {a.title for a in Activity.objects.all() if f"{a.code} {a.title}".strip() in shown}


@pytest.fixture
def listed(pw):
    fa1, fa2 = pw.focus_areas
    unit = OrganisationFactory(name="Socialförvaltningen", parent=pw.plan.agreement.municipality)
    area = AreaFactory(municipality=pw.plan.agreement.municipality, name="Centrum")
    a = make_activity(
        pw.plan,
        fa1,
        [pw.sub_goals[0]],
        title="Trygghetsvandring",
        status=ActivityStatus.DONE,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 6, 30),
    )
    a.areas.add(area)
    b = make_activity(
        pw.plan,
        fa2,
        [pw.sub_goals[1]],
        roles=False,
        title="Sommarlov",
        responsible=unit,
        review_state=ReviewState.SUBMITTED,
        starts_on=datetime.date(2025, 6, 1),
        ends_on=datetime.date(2025, 8, 31),
        description="Fritid för unga",
    )
    ActivityRoleFactory(activity=b, organisation=unit, role=PartyRole.LEADS)
    ActivityRoleFactory(
        activity=b, organisation=pw.plan.agreement.police_area, role=PartyRole.SUPPORTS
    )
    make_activity(pw.other_plan, None, roles=False, title="Bergsjös aktivitet")
    return {"a": a, "b": b, "unit": unit, "area": area}


def test_it_lists_only_what_the_user_may_see(listed, coordinator_client):
    assert _titles(coordinator_client.get(URL)) == {"Trygghetsvandring", "Sommarlov"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda d, pw: {"status": ActivityStatus.DONE}, {"Trygghetsvandring"}),
        (lambda d, pw: {"review_state": ReviewState.SUBMITTED}, {"Sommarlov"}),
        (lambda d, pw: {"focus_area": pw.focus_areas[1].pk}, {"Sommarlov"}),
        (lambda d, pw: {"sub_goal": pw.sub_goals[0].pk}, {"Trygghetsvandring"}),
        (lambda d, pw: {"responsible": d["unit"].pk}, {"Sommarlov"}),
        (
            lambda d, pw: {"party": pw.plan.agreement.municipality_id},
            {"Trygghetsvandring", "Sommarlov"},
        ),
        (
            lambda d, pw: {"party": pw.plan.agreement.police_area_id, "role": PartyRole.SUPPORTS},
            {"Sommarlov"},
        ),
        (lambda d, pw: {"party": pw.plan.agreement.police_area_id, "role": PartyRole.LEADS}, set()),
        (lambda d, pw: {"role": PartyRole.PARTICIPATES}, {"Trygghetsvandring"}),
        (lambda d, pw: {"area": d["area"].pk}, {"Trygghetsvandring"}),
        (lambda d, pw: {"period_from": "2025-01-01"}, {"Sommarlov"}),
        (lambda d, pw: {"period_to": "2024-12-31"}, {"Trygghetsvandring"}),
        (lambda d, pw: {"q": "fritid"}, {"Sommarlov"}),
        (lambda d, pw: {"plan": pw.plan.pk}, {"Trygghetsvandring", "Sommarlov"}),
    ],
)
def test_each_filter_narrows_the_list(listed, pw, coordinator_client, params, expected):
    assert _titles(coordinator_client.get(URL, params(listed, pw))) == expected


def test_dropdowns_offer_only_what_the_user_may_see(listed, pw, coordinator_client):
    # Every option in the page (the no-script fallback) and through the options endpoint.
    form = coordinator_client.get(URL, {"choices": "all"}).context["filter"].form
    assert pw.other_plan not in form.fields["plan"].queryset
    assert pw.plan in form.fields["plan"].queryset
    assert pw.other_plan.agreement.municipality not in form.fields["party"].queryset
    for field, own, other in (
        ("plan", pw.plan, pw.other_plan),
        ("party", pw.plan.agreement.municipality, pw.other_plan.agreement.municipality),
    ):
        url = reverse("actionplans:activity-filter-choices", args=[field])
        values = {o["value"] for o in coordinator_client.get(url).json()["options"]}
        assert str(own.pk) in values and str(other.pk) not in values


def test_the_page_builds_no_options_for_a_dropdown_nothing_is_chosen_in(
    listed, pw, coordinator_client
):
    """The options load on demand, so the page does not build the scoped querysets; the
    chosen one is still checked against the user's scope and shown with its label."""
    form = coordinator_client.get(URL).context["filter"].form
    assert not form.fields["plan"].queryset.exists()
    chosen = coordinator_client.get(URL, {"plan": pw.plan.pk})
    assert pw.plan in chosen.context["filter"].form.fields["plan"].queryset
    assert f'<option value="{pw.plan.pk}" selected>{pw.plan}' in chosen.content.decode()


def test_another_municipalitys_plan_cannot_be_forced_through_the_filter(
    listed, pw, coordinator_client
):
    response = coordinator_client.get(URL, {"plan": pw.other_plan.pk})
    assert "Bergsjös aktivitet" not in _titles(response)


def test_pagination_links_keep_the_filters(pw, coordinator_client):
    for _ in range(51):
        make_activity(pw.plan, roles=False, status=ActivityStatus.PLANNED)
    page = coordinator_client.get(URL, {"status": ActivityStatus.PLANNED}).content.decode()
    assert "?status=planned&amp;page=2" in page
    second = coordinator_client.get(URL, {"status": ActivityStatus.PLANNED, "page": 2})
    assert second.content.decode().count('<th scope="row">') == 1


def _fill(plan, focus_area, n):
    for _ in range(n):
        make_activity(plan, focus_area, roles=True)


def test_the_list_runs_a_constant_number_of_queries(
    pw, coordinator_client, django_assert_max_num_queries
):
    _fill(pw.plan, pw.focus_areas[0], 3)
    with django_assert_max_num_queries(20) as small:
        coordinator_client.get(URL)
    _fill(pw.plan, pw.focus_areas[1], 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        coordinator_client.get(URL)


def test_the_plan_page_runs_a_constant_number_of_queries(
    pw, coordinator_client, django_assert_max_num_queries
):
    url = reverse("actionplans:plan-detail", args=[pw.plan.pk])
    _fill(pw.plan, pw.focus_areas[0], 3)
    with django_assert_max_num_queries(30) as small:
        coordinator_client.get(url)
    _fill(pw.plan, pw.focus_areas[1], 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        coordinator_client.get(url)


def test_a_change_shows_on_the_next_request_though_the_table_is_cached(
    listed, pw, coordinator_client, outsider
):
    assert "Trygghetsvandring" in _titles(coordinator_client.get(URL))
    activity = listed["a"]
    activity.title = "Nattvandring"
    activity.save()
    assert "Nattvandring" in _titles(coordinator_client.get(URL))
    assert "Nattvandring" in _titles(coordinator_client.get(URL, {"status": "done"}))
    ActivityRoleFactory(
        activity=listed["b"], organisation=listed["unit"], role=PartyRole.COMMUNICATES
    )
    html = coordinator_client.get(URL).content.decode()
    assert html.count("Socialförvaltningen: ") == 2
    # Another user with the same query string gets a table of their own rights.
    from django.test import Client

    other = Client()
    other.force_login(outsider)
    assert _titles(other.get(URL)) == {"Bergsjös aktivitet"}
    # A membership ended: the coordinator no longer sees the municipality's activities.
    from agreements.models import Membership

    Membership.objects.filter(user__username="samordnare-a").delete()
    assert _titles(coordinator_client.get(URL)) == set()


def test_a_sub_goal_link_added_without_a_save_changes_the_filtered_list(
    listed, pw, coordinator_client
):
    params = {"sub_goal": pw.sub_goals[1].pk}
    assert _titles(coordinator_client.get(URL, params)) == {"Sommarlov"}
    listed["a"].sub_goals.add(pw.sub_goals[1])
    assert _titles(coordinator_client.get(URL, params)) == {"Sommarlov", "Trygghetsvandring"}
