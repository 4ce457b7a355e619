"""The plan page: the table grouped by focus area, edited in place by the coordinator."""

from django.urls import reverse

from actionplans.choices import ActivityStatus, PartyRole
from actionplans.models import Activity, ActivityRole

from .conftest import make_activity


def _url(plan):
    return reverse("actionplans:plan-detail", args=[plan.pk])


def test_it_shows_the_plan_as_a_table_with_party_columns(pw, police_client):
    make_activity(
        pw.plan, pw.focus_areas[0], communication="Polis och kommun", effect_goal="Tryggare"
    )
    page = police_client.get(_url(pw.plan)).content.decode()
    for heading in (
        "Aktivitet",
        "Ansvarig",
        "Kommun",
        "Polis",
        "Kommunikation",
        "Effektmål",
        "Tidplan",
        "Status",
    ):
        assert f'<th scope="col">{heading}</th>' in page
    assert "Trygga det offentliga rummet" in page and "Stoppa nyrekrytering" in page
    assert "Samordnar / leder</strong>: Samordnar" in page
    assert "Deltar</strong>: Deltar" in page
    assert "Polis och kommun" in page


def test_police_see_the_table_and_a_comment_link_but_no_edit_controls(pw, police_client):
    activity = make_activity(pw.plan, pw.focus_areas[0])
    page = police_client.get(_url(pw.plan)).content.decode()
    assert activity.title in page
    assert f"{reverse('actionplans:activity-detail', args=[activity.pk])}#review" in page
    assert "Lägg till en aktivitet" not in page
    assert f"?edit={activity.pk}" not in page


def _row_data(prefix, plan, **overrides):
    data = {
        f"{prefix}-code": "9.1",
        f"{prefix}-title": "Trygghetsvandring i centrum",
        f"{prefix}-focus_area": "",
        f"{prefix}-responsible": plan.agreement.municipality_id,
        f"{prefix}-communication": "Kommunen",
        f"{prefix}-effect_goal": "Ökad trygghet",
        f"{prefix}-starts_on": "2025-03-01",
        f"{prefix}-ends_on": "2025-06-30",
        f"{prefix}-schedule": "",
        f"{prefix}-status": ActivityStatus.PLANNED,
        f"{prefix}-party_{plan.agreement.municipality_id}_role": PartyRole.LEADS,
        f"{prefix}-party_{plan.agreement.municipality_id}_text": "Samordnar vandringen",
        f"{prefix}-party_{plan.agreement.police_area_id}_role": PartyRole.PARTICIPATES,
        f"{prefix}-party_{plan.agreement.police_area_id}_text": "Deltar",
    }
    data.update({f"{prefix}-{k}": v for k, v in overrides.items()})
    return data


def test_the_coordinator_adds_a_row_with_party_roles(pw, coordinator_client):
    data = _row_data("new", pw.plan, focus_area=pw.focus_areas[1].pk)
    response = coordinator_client.post(
        reverse("actionplans:activity-create", args=[pw.plan.pk]), data
    )
    assert response.status_code == 302
    activity = Activity.objects.get(plan=pw.plan, code="9.1")
    assert activity.focus_area == pw.focus_areas[1]
    roles = {(r.organisation_id, r.role, r.text) for r in activity.roles.all()}
    assert roles == {
        (pw.plan.agreement.municipality_id, PartyRole.LEADS, "Samordnar vandringen"),
        (pw.plan.agreement.police_area_id, PartyRole.PARTICIPATES, "Deltar"),
    }
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "Trygghetsvandring i centrum" in page


def test_a_bad_row_shows_swedish_errors_and_saves_nothing(pw, coordinator_client):
    data = _row_data("new", pw.plan, title="", starts_on="2025-06-01", ends_on="2025-01-01")
    response = coordinator_client.post(
        reverse("actionplans:activity-create", args=[pw.plan.pk]), data
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Detta fält måste fyllas i." in page
    assert "Aktiviteten kan inte sluta innan den börjar." in page
    assert not Activity.objects.filter(plan=pw.plan).exists()


def test_a_duplicate_code_is_refused_beside_the_field(pw, coordinator_client):
    make_activity(pw.plan, code="9.1")
    response = coordinator_client.post(
        reverse("actionplans:activity-create", args=[pw.plan.pk]), _row_data("new", pw.plan)
    )
    assert response.status_code == 200
    assert "En annan aktivitet i planen har redan den här koden." in response.content.decode()
    assert Activity.objects.filter(plan=pw.plan).count() == 1


def test_the_coordinator_edits_a_row_in_place(pw, coordinator_client):
    activity = make_activity(pw.plan, pw.focus_areas[0])
    page = coordinator_client.get(_url(pw.plan) + f"?edit={activity.pk}").content.decode()
    assert 'name="row-title"' in page and "Spara raden" in page
    data = _row_data(
        "row", pw.plan, code=activity.code, title="Nytt namn", version_token=activity.version
    )
    data[f"row-party_{pw.plan.agreement.police_area_id}_role"] = ""
    response = coordinator_client.post(
        reverse("actionplans:activity-row-edit", args=[activity.pk]), data
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Nytt namn"
    assert not ActivityRole.objects.filter(
        activity=activity, organisation=pw.plan.agreement.police_area
    ).exists()
    assert (
        ActivityRole.objects.get(
            activity=activity, organisation=pw.plan.agreement.municipality
        ).text
        == "Samordnar vandringen"
    )


def test_a_stale_row_edit_is_refused_and_nothing_is_lost(pw, coordinator_client):
    activity = make_activity(pw.plan, pw.focus_areas[0], title="Original")
    old_version = activity.version
    activity.title = "Ändrad av någon annan"
    activity.save()
    data = _row_data(
        "row", pw.plan, code=activity.code, title="Min ändring", version_token=old_version
    )
    response = coordinator_client.post(
        reverse("actionplans:activity-row-edit", args=[activity.pk]), data
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Någon annan har sparat" in page or "Someone else saved" in page
    assert "Ändrad av någon annan" in page and "Min ändring" in page
    activity.refresh_from_db()
    assert activity.title == "Ändrad av någon annan"


def test_htmx_row_edit_answers_with_the_table(pw, coordinator_client):
    activity = make_activity(pw.plan, pw.focus_areas[0])
    response = coordinator_client.get(
        _url(pw.plan) + f"?edit={activity.pk}", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'id="plan-table"' in response.content.decode()


def test_rows_are_reordered_within_their_focus_area(pw, coordinator_client):
    fa = pw.focus_areas[0]
    first = make_activity(pw.plan, fa, roles=False, position=1)
    other_group = make_activity(pw.plan, pw.focus_areas[1], roles=False, position=2)
    second = make_activity(pw.plan, fa, roles=False, position=3)
    url = reverse("actionplans:activity-move", args=[second.pk])
    assert coordinator_client.post(url, {"direction": "up"}).status_code == 302
    order = list(
        Activity.objects.filter(focus_area=fa).order_by("position").values_list("pk", flat=True)
    )
    assert order == [second.pk, first.pk]
    other_group.refresh_from_db()
    # Moving past the top changes nothing.
    coordinator_client.post(url, {"direction": "up"})
    order = list(
        Activity.objects.filter(focus_area=fa).order_by("position").values_list("pk", flat=True)
    )
    assert order == [second.pk, first.pk]


def test_a_reorder_that_keeps_the_codes_does_not_make_an_open_edit_form_stale(
    pw, coordinator_client
):
    # Codes of one series ("1.2", "1.3") are renumbered on a move, and then both rows get a
    # new version (services.activity_move); codes that are no series stay as they are.
    fa = pw.focus_areas[0]
    make_activity(pw.plan, fa, roles=False, position=1, code="SSPF")
    second = make_activity(pw.plan, fa, roles=False, position=2, code="1.3")
    version = second.version
    coordinator_client.post(
        reverse("actionplans:activity-move", args=[second.pk]), {"direction": "up"}
    )
    second.refresh_from_db()
    assert second.version == version


def test_police_cannot_add_or_move_rows(pw, police_client):
    activity = make_activity(pw.plan, pw.focus_areas[0])
    assert (
        police_client.post(
            reverse("actionplans:activity-create", args=[pw.plan.pk]), _row_data("new", pw.plan)
        ).status_code
        == 403
    )
    assert (
        police_client.post(
            reverse("actionplans:activity-move", args=[activity.pk]), {"direction": "up"}
        ).status_code
        == 403
    )
    assert Activity.objects.filter(plan=pw.plan).count() == 1


# ---------------------------------------------------------------------------
# Row actions in a menu, the edit form fetched on demand (issues 18 and 20)
# ---------------------------------------------------------------------------


def _row_edit_url(activity, cols=10):
    return reverse("actionplans:activity-row-edit", args=[activity.pk]) + f"?cols={cols}"


def test_the_plan_page_carries_no_form_per_row(pw, coordinator_client):
    """The rows' actions sit in a menu; one form carries the CSRF token for every move and
    review button; no edit form is rendered until a row is opened."""
    rows = [make_activity(pw.plan, pw.focus_areas[0], position=n) for n in (1, 2, 3)]
    page = coordinator_client.get(_url(pw.plan)).content.decode()
    assert page.count('<details class="row-menu">') == 3
    assert page.count('name="row-title"') == 0  # no edit form until one is opened
    assert page.count('form="row-actions"') == 3 * 1 + 2 * 2  # submit each; up/down inside
    assert page.count('<form id="row-actions" method="post"') == 1
    move = reverse("actionplans:activity-move", args=[rows[1].pk])
    assert f'formaction="{move}" hx-post="{move}" name="direction" value="up"' in page
    assert f'hx-get="{_row_edit_url(rows[1], cols="")}' in page  # its colspan follows
    # Without script the link opens the row on the plan page.
    assert f'href="?edit={rows[1].pk}#activity-{rows[1].pk}"' in page


def test_a_move_posted_from_the_shared_form_renumbers_and_keeps_the_menu_open(
    pw, coordinator_client
):
    from tests.rendered import form_data

    first = make_activity(pw.plan, pw.focus_areas[0], roles=False, position=1, code="1.1")
    second = make_activity(pw.plan, pw.focus_areas[0], roles=False, position=2, code="1.2")
    page = coordinator_client.get(_url(pw.plan))
    data = form_data(page, action=_url(pw.plan), direction="up")  # the button's name/value
    move = reverse("actionplans:activity-move", args=[second.pk])
    response = coordinator_client.post(move, data, follow=True)
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.code, first.code) == ("1.1", "1.2")
    html = response.content.decode()
    assert f'<tr id="activity-{second.pk}" class="plan-row plan-row--changed"' in html
    assert '<details class="row-menu" open>' in html  # the pressed button keeps the focus
    assert html.count(" open>") == 1


def test_send_for_review_from_the_shared_form(pw, coordinator_client):
    from tests.rendered import form_data

    activity = make_activity(pw.plan, pw.focus_areas[0], roles=False)
    data = form_data(coordinator_client.get(_url(pw.plan)), action=_url(pw.plan))
    submit = reverse("actionplans:activity-submit", args=[activity.pk])
    assert f'formaction="{submit}"' in coordinator_client.get(_url(pw.plan)).content.decode()
    response = coordinator_client.post(submit, data)
    assert response.status_code == 302 and response["Location"].startswith(_url(pw.plan))
    activity.refresh_from_db()
    assert activity.review_state == "submitted"


def test_the_row_form_is_fetched_on_demand_and_saves_as_rendered(pw, coordinator_client):
    from tests.rendered import form_data

    activity = make_activity(pw.plan, pw.focus_areas[0])
    response = coordinator_client.get(_row_edit_url(activity, cols=9), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith(f'<tr id="activity-{activity.pk}"')
    assert 'colspan="9"' in fragment and "<main" not in fragment
    assert 'name="row-title"' in fragment and " autofocus" in fragment
    action = reverse("actionplans:activity-row-edit", args=[activity.pk])
    data = form_data(f"<main>{fragment}</main>", action=action, **{"row-title": "Nytt namn"})
    saved = coordinator_client.post(action, data)
    assert saved.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Nytt namn"
    # The roles the form showed were kept as they were.
    roles = ActivityRole.objects.filter(activity=activity)
    assert {(r.organisation_id, r.role, r.text) for r in roles} == {
        (pw.plan.agreement.municipality_id, PartyRole.LEADS, "Samordnar"),
        (pw.plan.agreement.police_area_id, PartyRole.PARTICIPATES, "Deltar"),
    }


def test_the_row_form_fragment_without_htmx_opens_the_row_on_the_plan_page(pw, coordinator_client):
    activity = make_activity(pw.plan, pw.focus_areas[0])
    response = coordinator_client.get(_row_edit_url(activity))
    assert response.status_code == 302
    assert response["Location"] == f"{_url(pw.plan)}?edit={activity.pk}#activity-{activity.pk}"


def test_the_row_form_fragment_is_refused_to_others(
    pw, police_client, outsider_client, coordinator_client
):
    activity = make_activity(pw.plan, pw.focus_areas[0])
    hx = {"HTTP_HX_REQUEST": "true"}
    assert outsider_client.get(_row_edit_url(activity), **hx).status_code == 404
    assert police_client.get(_row_edit_url(activity), **hx).status_code == 403
    foreign = make_activity(pw.other_plan, None, roles=False)
    assert coordinator_client.get(_row_edit_url(foreign), **hx).status_code == 404


def test_the_row_form_fragment_takes_only_a_sane_column_count(pw, coordinator_client):
    activity = make_activity(pw.plan, pw.focus_areas[0])
    hx = {"HTTP_HX_REQUEST": "true"}
    for cols, expected in (("abc", "10"), ("-4", "1"), ("99999", "50"), ("<script>", "10")):
        url = reverse("actionplans:activity-row-edit", args=[activity.pk]) + f"?cols={cols}"
        page = coordinator_client.get(url, **hx).content.decode()
        assert f'colspan="{expected}"' in page
