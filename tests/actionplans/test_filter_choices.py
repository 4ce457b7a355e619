"""The activity list's dropdowns load their options on demand (issue 20): the page carries
only the chosen option; the JSON of ``actionplans:activity-filter-choices`` offers the rest,
scoped exactly as the list's own filter form — another municipality's names never appear."""

import json

import pytest
from django.urls import reverse

from actionplans.filtersets import ActivityFilterSet
from tests.factories import AreaFactory

from .conftest import make_activity

URL = reverse("actionplans:activity-list")


def _choices(client, field, **params):
    response = client.get(reverse("actionplans:activity-filter-choices", args=[field]), params)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/json"
    return {o["label"]: o["value"] for o in json.loads(response.content)["options"]}


@pytest.fixture
def two_plans(pw):
    make_activity(pw.plan, pw.focus_areas[0], title="Trygghetsvandring")
    make_activity(pw.other_plan, None, roles=False, title="Bergsjös aktivitet")
    AreaFactory(municipality=pw.plan.agreement.municipality, name="Norrby")
    AreaFactory(municipality=pw.other_plan.agreement.municipality, name="Bergsjö centrum")
    return pw


def test_the_page_carries_only_the_chosen_options(two_plans, coordinator_client):
    pw = two_plans
    page = coordinator_client.get(URL, {"plan": pw.plan.pk}).content.decode()
    plan_select = page[page.index('<select name="plan"') :]
    plan_select = plan_select[: plan_select.index("</select>")]
    assert plan_select.count("<option") == 2  # "All" and the chosen plan
    assert f'<option value="{pw.plan.pk}" selected>Åtgärdsplan Ankeby</option>' in plan_select
    assert 'data-choices="/atgardsplaner/val/plan/"' in plan_select
    assert "Trygga det offentliga rummet" not in page.split("<table")[0]  # focus areas unloaded
    # The list is still filtered by what was chosen.
    assert "Trygghetsvandring" in page and "Bergsjös aktivitet" not in page


def test_without_script_every_choice_is_one_link_away(two_plans, coordinator_client):
    pw = two_plans
    page = coordinator_client.get(URL).content.decode()
    assert '<noscript><a href="?choices=all">' in page
    every = coordinator_client.get(URL, {"choices": "all"}).content.decode()
    assert f'<option value="{pw.plan.pk}">Åtgärdsplan Ankeby</option>' in every
    assert "Trygga det offentliga rummet</option>" in every
    assert "Åtgärdsplan Bergsjö" not in every and "Bergsjö centrum" not in every
    assert "<noscript>" not in every


@pytest.mark.parametrize(
    "field", ["plan", "focus_area", "sub_goal", "responsible", "party", "area", "forum"]
)
def test_the_json_offers_what_the_page_would_have_listed(two_plans, coordinator_client, field):
    request = coordinator_client.get(URL, {"choices": "all"}).wsgi_request
    filterset = ActivityFilterSet({}, request=request)
    expected = {label: value for value, label in filterset.form.fields[field].widget.option_list()}
    expected.pop("Alla", None)
    assert _choices(coordinator_client, field) == expected


def test_each_persona_gets_only_its_own_names(
    two_plans, coordinator_client, outsider_client, staff_client
):
    pw = two_plans
    mine = _choices(coordinator_client, "plan")
    assert mine == {"Åtgärdsplan Ankeby": str(pw.plan.pk)}
    assert _choices(outsider_client, "plan") == {"Åtgärdsplan Bergsjö": str(pw.other_plan.pk)}
    assert set(_choices(staff_client, "plan")) == {"Åtgärdsplan Ankeby", "Åtgärdsplan Bergsjö"}
    parties = _choices(coordinator_client, "party")
    assert pw.plan.agreement.municipality.name in parties
    assert pw.other_plan.agreement.municipality.name not in parties
    assert set(_choices(coordinator_client, "area")) == {"Norrby"}
    assert set(_choices(outsider_client, "area")) == {"Bergsjö centrum"}


def test_an_outsider_cannot_pull_foreign_names_through_the_scope(two_plans, outsider_client):
    pw = two_plans
    foreign = {
        "plan": pw.plan.pk,
        "focus_area": pw.focus_areas[0].pk,
        "sub_goal": pw.sub_goals[0].pk,
        "party": pw.plan.agreement.municipality_id,
    }
    for field in ("focus_area", "sub_goal", "area", "party", "plan", "responsible"):
        labels = set(_choices(outsider_client, field, **foreign))
        for name in (
            "Åtgärdsplan Ankeby",
            "Trygga det offentliga rummet",
            "Ökad tillit till polis och kommun",
            "Norrby",
            pw.plan.agreement.municipality.name,
        ):
            assert name not in labels, (field, name)
    # Nor through the page: the chosen foreign option is not shown.
    page = outsider_client.get(URL, foreign).content.decode()
    assert "Åtgärdsplan Ankeby" not in page and "Trygga det offentliga rummet" not in page


def test_the_chosen_plan_narrows_the_focus_areas(two_plans, staff_client):
    pw = two_plans
    assert set(_choices(staff_client, "focus_area", plan=pw.plan.pk)) == {
        "Trygga det offentliga rummet",
        "Stoppa nyrekrytering",
    }
    assert _choices(staff_client, "focus_area", plan=pw.other_plan.pk) == {}


def test_term_keeps_the_matching_options(two_plans, staff_client):
    assert set(_choices(staff_client, "plan", term="  ankeBY ")) == {"Åtgärdsplan Ankeby"}
    assert _choices(staff_client, "plan", term="finns inte") == {}


@pytest.mark.parametrize(
    "params",
    [
        {"term": "%"},
        {"term": "' OR 1=1 --"},
        {"term": "<script>alert(1)</script>"},
        {"term": "x" * 5000},
        {"term": "\u0000\ufffd"},
        {"plan": "abc"},
        {"plan": "-1"},
        {"plan": "99999999999999999999999"},
        {"focus_area": "1e9", "sub_goal": "[]", "party": "{}"},
        {"plan": ["1", "2"], "term": ["a", "b"]},
        {"period_from": "not a date", "q": "x" * 500},
    ],
)
def test_hostile_query_strings_get_an_answer_not_an_error(two_plans, coordinator_client, params):
    options = _choices(coordinator_client, "focus_area", **params)
    assert "Åtgärdsplan Bergsjö" not in options


def test_unknown_fields_anonymous_users_and_posts_are_refused(
    two_plans, client, coordinator_client
):
    choices = reverse("actionplans:activity-filter-choices", args=["plan"])
    assert client.get(choices).status_code == 302  # to the login page
    assert coordinator_client.post(choices).status_code == 405
    for field in ("q", "status", "role", "period_from", "password", "__class__"):
        url = reverse("actionplans:activity-filter-choices", args=[field])
        assert coordinator_client.get(url).status_code == 404, field


def test_the_json_costs_the_same_queries_for_more_data(
    two_plans, coordinator_client, django_assert_max_num_queries
):
    pw = two_plans
    url = reverse("actionplans:activity-filter-choices", args=["focus_area"])
    with django_assert_max_num_queries(15) as small:
        coordinator_client.get(url, {"plan": pw.plan.pk})
    for n in range(20):
        make_activity(pw.plan, pw.focus_areas[1], title=f"Aktivitet {n}")
        AreaFactory(municipality=pw.plan.agreement.municipality, name=f"Område {n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        coordinator_client.get(url, {"plan": pw.plan.pk})
