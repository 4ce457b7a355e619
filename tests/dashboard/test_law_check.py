"""The law checklist (Lag 2023:196, Brå, the Police's model), computed from the data (#21).

A municipality that meets every requirement is built, then each requirement is broken in
turn: exactly that row changes state, with its reason."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actionplans.choices import PlanStatus
from actionplans.models import ActionPlan, Activity
from agreements.choices import AgreementStatus, PoliceClassification
from agreements.models import Agreement, Area, CitizenPromise
from dashboard import lawcheck
from followup.choices import IndicatorSource, ReportStatus
from followup.models import FollowUpReport, FollowUpRhythm, Indicator, IndicatorValue
from forums.choices import ForumKind, Frequency
from forums.models import Attendance, Forum, ForumSeat, Meeting
from tests.factories import CauseFactory, FocusAreaFactory, SignatoryFactory, SubGoalFactory


def _compliant(world) -> dict:
    """Ankeby meets every requirement today."""
    today = timezone.localdate()
    municipality, agreement = world.municipality, world.agreement
    focus = FocusAreaFactory(agreement=agreement, title="Trygg offentlig miljö")
    goal = SubGoalFactory(focus_area=focus, text="Ökad trygghet i centrum")
    cause = CauseFactory(focus_area=focus, text="Mörka gångstråk")
    SignatoryFactory(agreement=agreement, name="Kim Ordförande")
    Agreement._base_manager.filter(pk=agreement.pk).update(status=AgreementStatus.SIGNED)
    FollowUpRhythm.objects.create(agreement=agreement)
    indicator = Indicator.objects.create(
        municipality=municipality,
        name="Trygghetsindex",
        source=IndicatorSource.POLICE_SURVEY,
        source_limits="Enkät med 40 % svarsfrekvens.",
        baseline=Decimal("1.9"),
        target=Decimal("1.5"),
        higher_is_better=False,
    )
    indicator.sub_goals.add(goal)
    value = IndicatorValue.objects.create(
        indicator=indicator,
        period_start=today - datetime.timedelta(days=120),
        period_end=today - datetime.timedelta(days=30),
        value=Decimal("1.7"),
    )
    Area.objects.create(
        municipality=municipality,
        name="Norrby",
        police_classification=PoliceClassification.VULNERABLE,
    )
    plan = ActionPlan.objects.create(
        agreement=agreement,
        title="Åtgärdsplan 2026",
        valid_from=today - datetime.timedelta(days=200),
        valid_to=today + datetime.timedelta(days=200),
        status=PlanStatus.ADOPTED,
        adopted_on=today - datetime.timedelta(days=190),
    )
    activity = Activity.objects.create(plan=plan, title="Belysning i gångstråk", position=1)
    activity.causes.add(cause)
    activity.sub_goals.add(goal)
    council = Forum.objects.create(
        municipality=municipality,
        name="KUG Trygg kommun",
        kind=ForumKind.STRATEGIC_COUNCIL,
        frequency=Frequency.SEMIANNUAL,
    )
    seat = ForumSeat.objects.create(
        forum=council, organisation=municipality, function="Kommundirektör", required=True
    )
    attendances = []
    for days in (40, 160):
        meeting = Meeting.objects.create(
            forum=council, starts_at=timezone.now() - datetime.timedelta(days=days)
        )
        attendances.append(
            Attendance.objects.create(meeting=meeting, seat=seat, organisation=municipality)
        )
    due = today - datetime.timedelta(days=10)
    FollowUpReport.objects.create(
        agreement=agreement,
        plan=plan,
        title="Delår 2",
        period_start=datetime.date(today.year, 1, 1)
        if today.month > 1
        else datetime.date(today.year - 1, 1, 1),
        period_end=due - datetime.timedelta(days=20),
        due_date=due,
        status=ReportStatus.APPROVED,
        approved_at=timezone.now() - datetime.timedelta(days=12),
    )
    promise = CitizenPromise.objects.create(
        agreement=agreement, year=today.year, title="Trygg centrumkväll", text="Vi lovar."
    )
    return {
        "value": value,
        "plan": plan,
        "attendances": attendances,
        "indicator": indicator,
        "promise": promise,
        "agreement": agreement,
        "today": today,
    }


def _states(municipality) -> dict[str, tuple[str, str]]:
    facts = lawcheck.gather([municipality])[municipality.pk]
    return {r.key: (res.state, res.reason) for r, res in lawcheck.check(facts)}


def _break_situation_picture(d):
    old = d["today"] - datetime.timedelta(days=400)
    IndicatorValue.objects.filter(pk=d["value"].pk).update(
        period_start=old - datetime.timedelta(days=90), period_end=old
    )
    return "missing", "från de senaste 12 månaderna"


def _break_action_plan(d):
    ActionPlan.objects.filter(pk=d["plan"].pk).update(status=PlanStatus.DRAFT)
    return "missing", "Ingen fastställd åtgärdsplan gäller"


def _break_coordinating_body(d):
    Attendance.objects.filter(pk__in=[a.pk for a in d["attendances"]]).update(present=False)
    return "partly", "75 %"


def _break_police_agreement(d):
    FollowUpRhythm.objects.filter(agreement=d["agreement"]).delete()
    return "partly", "uppföljningsrytm"


def _break_measurable_sub_goals(d):
    Indicator.objects.filter(pk=d["indicator"].pk).update(target=None)
    return "missing", "utgångsvärde och mål"


def _break_followup_done(d):
    FollowUpReport.objects.create(
        agreement=d["agreement"],
        plan=d["plan"],
        title="Helår",
        period_start=d["today"] - datetime.timedelta(days=60),
        period_end=d["today"] - datetime.timedelta(days=5),
        due_date=d["today"] - datetime.timedelta(days=1),
    )
    return "missing", "inte godkänd"


def _break_citizen_promises(d):
    CitizenPromise.objects.filter(pk=d["promise"].pk).update(year=d["today"].year - 1)
    return "partly", "Bara förra årets"


BREAKS = {
    "situation_picture": _break_situation_picture,
    "action_plan": _break_action_plan,
    "coordinating_body": _break_coordinating_body,
    "police_agreement": _break_police_agreement,
    "measurable_sub_goals": _break_measurable_sub_goals,
    "followup_done": _break_followup_done,
    "citizen_promises": _break_citizen_promises,
}


def test_every_requirement_has_a_break_in_this_test():
    assert set(BREAKS) == {r.key for r in lawcheck.REQUIREMENTS}


def test_a_compliant_municipality_meets_every_requirement(world):
    _compliant(world)
    states = _states(world.municipality)
    assert {key: state for key, (state, _reason) in states.items()} == {
        key: "met" for key in BREAKS
    }, states


@pytest.mark.parametrize("key", sorted(BREAKS))
def test_breaking_one_requirement_changes_exactly_its_row(world, key):
    data = _compliant(world)
    before = _states(world.municipality)
    expected_state, reason_part = BREAKS[key](data)
    after = _states(world.municipality)
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {key}, after
    state, reason = after[key]
    assert state == expected_state and reason_part in reason, after[key]


def test_a_municipality_with_nothing_recorded_misses_every_requirement(world):
    Agreement.objects.filter(municipality=world.municipality).delete()
    states = _states(world.municipality)
    assert {state for state, _reason in states.values()} == {"missing"}


def test_the_page_shows_each_requirement_with_its_state_and_where_to_fix_it(
    world, coordinator_client, police_client
):
    _compliant(world)
    url = reverse("dashboard:law-check", args=[world.municipality.pk])
    for client in (coordinator_client, police_client):
        html = client.get(url).content.decode()
        assert html.count('data-state="met"') == len(BREAKS)
        assert "En aktuell lägesbild" in html and reverse("followup:indicator-list") in html
    home = coordinator_client.get(reverse("dashboard:home")).content.decode()
    assert url in home


def test_another_municipalitys_checklist_is_not_found(world, coordinator_client):
    for name in ("dashboard:law-check", "dashboard:law-check-pdf"):
        url = reverse(name, args=[world.other_municipality.pk])
        assert coordinator_client.get(url).status_code == 404


def test_the_pdf_for_the_council_lists_every_requirement(world, coordinator_client):
    from pypdf import PdfReader

    _compliant(world)
    response = coordinator_client.get(
        reverse("dashboard:law-check-pdf", args=[world.municipality.pk])
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for requirement in lawcheck.REQUIREMENTS:
        assert str(requirement.title).split()[-1] in text


def test_staff_see_every_municipality_sorted_and_as_csv(world, django_user_model):
    _compliant(world)
    staff = django_user_model.objects.create_user("stab", is_staff=True)
    client = Client()
    client.force_login(staff)
    url = reverse("dashboard:law-check-national")
    html = client.get(url, {"sort": "police_agreement"}).content.decode()
    # Bergsjö has no signed agreement: it comes first when sorted by that requirement.
    assert html.index("Bergsjö kommun") < html.index("Ankeby kommun")
    response = client.get(url, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Kommun" and len(rows[0]) == len(BREAKS) + 2
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Ankeby kommun"][-1] == str(len(BREAKS))
    assert by_name["Bergsjö kommun"][-1] == "0"


def test_only_staff_see_the_national_overview(world, coordinator_client):
    assert coordinator_client.get(reverse("dashboard:law-check-national")).status_code == 403


def test_the_national_overview_costs_the_same_queries_for_more_municipalities(
    world, django_user_model, django_assert_max_num_queries
):
    from tests.factories import AgreementFactory, MunicipalityFactory

    _compliant(world)
    staff = django_user_model.objects.create_user("stab", is_staff=True)
    client = Client()
    client.force_login(staff)
    url = reverse("dashboard:law-check-national")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(6):
        AgreementFactory(municipality=MunicipalityFactory(name=f"Kommun {n}"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


# ---------------------------------------------------------------------------
# The national overview is cached on the version of the data it reads (issue 20)
# ---------------------------------------------------------------------------


def _ankeby_cells(client) -> list[str]:
    """The states of Ankeby's row in the national overview, as shown."""
    html = client.get(reverse("dashboard:law-check-national")).content.decode()
    row = html[html.index("Ankeby kommun") :]
    row = row[: row.index("</tr>")]
    return [cell.split('"', 1)[0] for cell in row.split('data-state="')[1:]]


def _staff_client(django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_user("stab", is_staff=True))
    return client


def test_the_national_overview_shows_a_change_made_after_it_was_cached(world, django_user_model):
    data = _compliant(world)
    client = _staff_client(django_user_model)
    assert _ankeby_cells(client) == ["met"] * len(BREAKS)
    assert _ankeby_cells(client) == ["met"] * len(BREAKS)  # from the cache
    FollowUpRhythm.objects.get(agreement=data["agreement"]).delete()  # a delete
    cells = _ankeby_cells(client)
    assert cells[[r.key for r in lawcheck.REQUIREMENTS].index("police_agreement")] == "partly"
    promise = data["promise"]
    promise.year = data["today"].year - 1  # a save
    promise.save()
    cells = _ankeby_cells(client)
    assert cells[[r.key for r in lawcheck.REQUIREMENTS].index("citizen_promises")] == "partly"


def test_the_national_overview_shows_an_m2m_link_removed_after_it_was_cached(
    world, django_user_model
):
    data = _compliant(world)
    client = _staff_client(django_user_model)
    assert _ankeby_cells(client) == ["met"] * len(BREAKS)
    indicator = data["indicator"]
    indicator.sub_goals.clear()  # no save of the indicator: only the link table changes
    cells = _ankeby_cells(client)
    assert cells[[r.key for r in lawcheck.REQUIREMENTS].index("measurable_sub_goals")] == (
        "missing"
    )


def test_the_cached_national_overview_keeps_each_sort(world, django_user_model):
    _compliant(world)
    client = _staff_client(django_user_model)
    url = reverse("dashboard:law-check-national")
    by_name = client.get(url).content.decode()
    by_agreement = client.get(url, {"sort": "police_agreement"}).content.decode()
    assert by_name.index("Ankeby kommun") < by_name.index("Bergsjö kommun")
    assert by_agreement.index("Bergsjö kommun") < by_agreement.index("Ankeby kommun")
    hostile = client.get(url, {"sort": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)" not in hostile
    assert hostile.index("Ankeby kommun") < hostile.index("Bergsjö kommun")
