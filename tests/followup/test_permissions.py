"""Every follow-up URL: an outsider gets 404, the anonymous the login page."""

import pytest
from django.urls import reverse

from .factories import UpdateFactory


def _urls(f, world):
    update = UpdateFactory(report=f.report, activity=f.municipal)
    r, i = f.report.pk, f.indicator.pk
    return [
        ("get", reverse("followup:report-detail", args=[r])),
        ("get", reverse("followup:report-pdf", args=[r])),
        ("get", reverse("followup:report-edit", args=[r])),
        ("post", reverse("followup:report-edit", args=[r])),
        ("post", reverse("followup:report-status", args=[r])),
        ("get", reverse("followup:report-fill", args=[r])),
        ("get", reverse("followup:report-review", args=[r])),
        ("get", reverse("followup:update-edit", args=[r, f.municipal.pk])),
        ("post", reverse("followup:update-edit", args=[r, f.municipal.pk])),
        ("post", reverse("followup:update-action", args=[update.pk])),
        ("get", reverse("followup:report-create", args=[world.agreement.pk])),
        ("post", reverse("followup:report-create", args=[world.agreement.pk])),
        ("get", reverse("followup:rhythm", args=[world.agreement.pk])),
        ("post", reverse("followup:rhythm", args=[world.agreement.pk])),
        ("get", reverse("followup:indicator-detail", args=[i])),
        ("get", reverse("followup:indicator-edit", args=[i])),
        ("post", reverse("followup:indicator-edit", args=[i])),
        ("get", reverse("followup:indicator-value-create", args=[i])),
        ("post", reverse("followup:indicator-value-create", args=[i])),
        ("get", reverse("followup:indicator-import", args=[i])),
        ("post", reverse("followup:indicator-import", args=[i])),
    ]


def test_outsider_gets_404_on_every_url_of_another_municipality(outsider_client, followup, world):
    for method, url in _urls(followup, world):
        response = getattr(outsider_client, method)(url, {"action": "approve"})
        assert response.status_code == 404, (method, url)


def test_anonymous_is_sent_to_log_in(client, followup, world):
    urls = _urls(followup, world) + [
        ("get", reverse("followup:deviations")),
        ("get", reverse("followup:report-list")),
        ("get", reverse("followup:indicator-list")),
        ("get", reverse("followup:indicator-create")),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


@pytest.mark.parametrize(
    "name",
    ["followup:deviations", "followup:report-list", "followup:indicator-list"],
)
def test_lists_show_outsiders_nothing_of_ours(outsider_client, followup, name):
    UpdateFactory(
        report=followup.report, activity=followup.municipal, status="delayed", deviation="x"
    )
    html = outsider_client.get(reverse(name)).content.decode()
    for secret in ("Delår 2 2025", "Trygghetsindex", "Trygghetsvandringar", "Ankeby"):
        assert secret not in html, secret


def test_council_members_read_but_may_not_edit(council_client, followup, world):
    assert (
        council_client.get(reverse("followup:report-detail", args=[followup.report.pk])).status_code
        == 200
    )
    for url in (
        reverse("followup:report-edit", args=[followup.report.pk]),
        reverse("followup:report-create", args=[world.agreement.pk]),
        reverse("followup:indicator-edit", args=[followup.indicator.pk]),
        reverse("followup:indicator-create"),
    ):
        assert council_client.get(url).status_code == 403, url


def test_home_panel_shows_reports_due_and_updates_to_review(police_client, followup, settings):
    import datetime

    from core.choices import ReviewState

    followup.report.due_date = datetime.date.today() + datetime.timedelta(days=5)
    followup.report.save()
    UpdateFactory(
        report=followup.report,
        activity=followup.police_led,
        review_state=ReviewState.SUBMITTED,
    )
    html = police_client.get(reverse("dashboard:home")).content.decode()
    assert "Rapporter som snart ska vara klara" in html and "Delår 2 2025" in html
    assert "Uppdateringar som väntar på din granskning" in html
    assert "Platssamverkan i centrum" in html
