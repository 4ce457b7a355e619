"""The admin refuses politely what the database would refuse: deleting an approved report, or
an activity whose follow-up an approved report holds, shows the admin's "cannot be deleted"
page and deletes nothing (it used to answer with a server error from the database trigger)."""

import pytest
from django.test import Client
from django.urls import reverse

from actionplans.models import Activity
from followup.models import ActivityUpdate, FollowUpReport
from tests.factories import UserFactory


@pytest.fixture
def root():
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_deleting_an_activity_an_approved_report_holds_is_refused_with_a_reason(
    approved, followup, root
):
    activity = followup.municipal
    url = reverse("admin:actionplans_activity_delete", args=[activity.pk])
    page = root.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Delår 2 2025" in text  # names the approved report's update that stands in the way
    assert 'name="post"' not in text  # no "Ja, jag är säker" form
    response = root.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert ActivityUpdate.objects.filter(activity=activity).count() == 1


def test_the_bulk_delete_of_activities_is_refused_too(approved, followup, root):
    ids = [followup.municipal.pk, followup.police_led.pk]
    response = root.post(
        reverse("admin:actionplans_activity_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 200
    assert Activity.objects.filter(pk__in=ids).count() == 2


def test_an_approved_report_opens_view_only_and_cannot_be_deleted(approved, root):
    change = root.get(reverse("admin:followup_followupreport_change", args=[approved.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    root.post(reverse("admin:followup_followupreport_delete", args=[approved.pk]), {"post": "yes"})
    assert FollowUpReport.objects.filter(pk=approved.pk).exists()


def test_an_activity_without_approved_follow_up_can_still_be_deleted(followup, root):
    activity = followup.municipal
    root.post(reverse("admin:actionplans_activity_delete", args=[activity.pk]), {"post": "yes"})
    assert not Activity.objects.filter(pk=activity.pk).exists()
