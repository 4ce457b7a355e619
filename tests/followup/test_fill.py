"""Filling in a report: every activity on one screen, pre-filled, saved row by row."""

from django.urls import reverse

from core.choices import ReviewState
from followup.models import ActivityUpdate

from .factories import UpdateFactory


def _row(activity, **values):
    data = {
        "status": "on_track",
        "progress": "40",
        "done": "",
        "collaborated_with": "",
        "effects": "",
        "deviation": "",
        "remedy": "",
        "version_token": "",
    }
    data.update(values)
    return {f"u{activity.pk}-{k}": v for k, v in data.items()}


def _edit_url(report, activity):
    return reverse("followup:update-edit", args=[report.pk, activity.pk])


def test_fill_screen_lists_every_activity_prefilled_from_the_previous_report(
    coordinator_client, followup
):
    UpdateFactory(
        report=followup.previous,
        activity=followup.municipal,
        status="at_risk",
        progress=35,
        done="Tre trygghetsvandringar i centrum",
        deviation="Få deltagare",
        remedy="Bjud in via skolorna",
    )
    html = coordinator_client.get(
        reverse("followup:report-fill", args=[followup.report.pk])
    ).content.decode()
    assert "Trygghetsvandringar" in html and "Platssamverkan i centrum" in html
    assert "Förifylld från Helår 2024" in html
    assert "Tre trygghetsvandringar i centrum" in html
    assert 'value="35"' in html
    assert '<option value="at_risk" selected>' in html
    # Pre-filling writes nothing.
    assert not ActivityUpdate.objects.filter(report=followup.report).exists()


def test_saving_one_row_saves_only_that_activity(coordinator_client, coordinator, followup):
    response = coordinator_client.post(
        _edit_url(followup.report, followup.municipal),
        _row(followup.municipal, progress="60", done="Två vandringar"),
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#activity-{followup.municipal.pk}")
    update = ActivityUpdate.objects.get(report=followup.report)
    assert (update.activity, update.progress, update.done) == (
        followup.municipal,
        60,
        "Två vandringar",
    )
    assert update.author == coordinator
    assert update.review_state == ReviewState.DRAFT


def test_progress_outside_0_100_is_refused_in_swedish(coordinator_client, followup):
    for bad, message in (
        ("101", "kan inte överstiga 100 procent"),
        ("-1", "kan inte vara under 0 procent"),
        ("mycket", "heltal"),
    ):
        response = coordinator_client.post(
            _edit_url(followup.report, followup.municipal), _row(followup.municipal, progress=bad)
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html, bad
        assert 'aria-invalid="true"' in html
    assert not ActivityUpdate.objects.exists()


def test_a_deviating_status_needs_a_description(coordinator_client, followup):
    response = coordinator_client.post(
        _edit_url(followup.report, followup.municipal), _row(followup.municipal, status="delayed")
    )
    assert "Beskriv avvikelsen" in response.content.decode()
    assert not ActivityUpdate.objects.exists()


def test_a_stale_row_is_refused_and_both_versions_shown(coordinator_client, followup):
    update = UpdateFactory(report=followup.report, activity=followup.municipal, done="Gammalt")
    stale = update.version
    update.done = "Någon annans text"
    update.save()
    response = coordinator_client.post(
        _edit_url(followup.report, followup.municipal),
        _row(followup.municipal, done="Min text", version_token=str(stale)),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Någon annan har sparat" in html
    assert "Någon annans text" in html and "Min text" in html
    update.refresh_from_db()
    assert update.done == "Någon annans text"


def test_htmx_save_returns_the_row_in_place(coordinator_client, followup):
    response = coordinator_client.post(
        _edit_url(followup.report, followup.municipal),
        _row(followup.municipal, done="Med htmx"),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith("<section") and f'id="activity-{followup.municipal.pk}"' in html
    assert "Sparat." in html and "<html" not in html


def test_police_fill_in_what_the_police_lead_only(police_client, police, followup):
    response = police_client.post(
        _edit_url(followup.report, followup.police_led), _row(followup.police_led)
    )
    assert response.status_code == 302
    assert ActivityUpdate.objects.get().author == police
    response = police_client.post(
        _edit_url(followup.report, followup.municipal), _row(followup.municipal)
    )
    assert response.status_code == 403
    html = police_client.get(reverse("followup:report-fill", args=[followup.report.pk])).content
    assert html.decode().count('class="update-form"') == 1


def test_council_members_read_but_do_not_write(council_client, followup):
    html = council_client.get(reverse("followup:report-fill", args=[followup.report.pk]))
    assert 'class="update-form"' not in html.content.decode()
    response = council_client.post(
        _edit_url(followup.report, followup.municipal), _row(followup.municipal)
    )
    assert response.status_code == 403
    assert not ActivityUpdate.objects.exists()


def test_a_submitted_update_can_no_longer_be_changed(coordinator_client, followup):
    update = UpdateFactory(
        report=followup.report,
        activity=followup.municipal,
        review_state=ReviewState.SUBMITTED,
        done="Inlämnat",
    )
    response = coordinator_client.post(
        _edit_url(followup.report, followup.municipal),
        _row(followup.municipal, done="Ändrat", version_token=str(update.version)),
    )
    assert "kan inte längre ändras" in response.content.decode()
    update.refresh_from_db()
    assert update.done == "Inlämnat"
