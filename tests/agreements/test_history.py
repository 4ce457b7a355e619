"""The history page: every change under the agreement, who and when, old → new, restorable."""

from django.urls import reverse

from agreements.models import FocusArea
from tests.factories import UserFactory


def test_history_shows_who_changed_what_field_by_field(coordinator_client, coordinator, tree):
    coordinator.first_name, coordinator.last_name = "Sara", "Samordnare"
    coordinator.save()
    area = tree.focus_areas.first()
    coordinator_client.post(
        reverse("agreements:item-edit", args=["fokusomrade", area.pk]),
        {"title": "Trygga det offentliga rummet", "kind": "safety", "version_token": area.version},
    )
    html = coordinator_client.get(reverse("agreements:history", args=[tree.pk])).content.decode()
    assert "Sara Samordnare" in html
    assert "Fokus 1" in html and "Trygga det offentliga rummet" in html
    # Field labels in Swedish, choices as their labels.
    assert "Titel" in html
    assert "Trygghetsskapande" in html
    # Newest first: the change comes before the creation rows.
    assert html.index("Trygga det offentliga rummet") < html.index("Delmål 1.1")


def test_history_includes_every_part_of_the_tree(coordinator_client, tree):
    html = coordinator_client.get(reverse("agreements:history", args=[tree.pk])).content.decode()
    for label in ["Överenskommelse", "Fokusområde", "Delmål", "Orsak", "Åtagande", "Undertecknare"]:
        assert label in html, label


def test_deleted_items_stay_in_the_history(coordinator_client, tree):
    area = tree.focus_areas.first()
    coordinator_client.post(reverse("agreements:item-delete", args=["fokusomrade", area.pk]))
    html = coordinator_client.get(reverse("agreements:history", args=[tree.pk])).content.decode()
    assert "Borttagen" in html
    assert "Delmål 1.1" in html  # its sub-goals' history is still there


def test_registered_history_sources_are_included(coordinator_client, tree, monkeypatch):
    from core import hooks

    def source(agreement):
        return FocusArea.history.none()

    called = []

    def spy(agreement):
        called.append(agreement.pk)
        return source(agreement)

    monkeypatch.setattr(hooks, "_HISTORY_SOURCES", [spy])
    assert coordinator_client.get(reverse("agreements:history", args=[tree.pk])).status_code == 200
    assert tree.pk in called


def test_coordinator_restores_a_draft_item(coordinator_client, tree):
    area = tree.focus_areas.first()
    original = area.history.order_by("history_id").first()
    area.title = "Felaktig ändring"
    area.save()
    r = coordinator_client.post(
        reverse("agreements:history-restore", args=[tree.pk]),
        {"record": f"agreements.focusarea:{original.history_id}"},
    )
    assert r.status_code == 302
    assert FocusArea.objects.get(pk=area.pk).title == "Fokus 1"


def test_restoring_a_deleted_item_brings_it_back(coordinator_client, tree):
    goal = tree.focus_areas.first().sub_goals.first()
    pk, text = goal.pk, goal.text
    goal.delete()
    record = goal.history.model.objects.filter(id=pk, history_type="-").get()
    coordinator_client.post(
        reverse("agreements:history-restore", args=[tree.pk]),
        {"record": f"agreements.subgoal:{record.history_id}"},
    )
    assert tree.focus_areas.first().sub_goals.filter(pk=pk, text=text).exists()


def test_restoring_an_item_whose_parent_is_gone_explains_it_and_changes_nothing(
    coordinator_client, tree
):
    focus = tree.focus_areas.first()
    goal = focus.sub_goals.first()
    pk = goal.pk
    focus.delete()  # takes its sub-goals along
    record = goal.history.model.objects.filter(id=pk, history_type="-").get()
    response = coordinator_client.post(
        reverse("agreements:history-restore", args=[tree.pk]),
        {"record": f"agreements.subgoal:{record.history_id}"},
        follow=True,
    )
    assert response.status_code == 200
    assert "har tagits bort sedan dess" in response.content.decode()
    assert not type(goal).objects.filter(pk=pk).exists()


def test_restoring_the_agreement_keeps_its_lifecycle(coordinator_client, coordinator, tree):
    from agreements import services

    first = tree.history.order_by("history_id").first()
    tree.purpose = "Nytt syfte"
    tree.save()
    services.agreement_submit_for_review(agreement=tree, user=coordinator)
    coordinator_client.post(
        reverse("agreements:history-restore", args=[tree.pk]),
        {"record": f"agreements.agreement:{first.history_id}"},
    )
    tree.refresh_from_db()
    assert tree.purpose == first.purpose
    assert tree.status == "review"


def test_a_signed_agreement_cannot_be_restored(coordinator_client, signed):
    record = signed.focus_areas.first().history.order_by("history_id").first()
    r = coordinator_client.post(
        reverse("agreements:history-restore", args=[signed.pk]),
        {"record": f"agreements.focusarea:{record.history_id}"},
    )
    assert r.status_code == 403


def test_a_record_of_another_agreement_cannot_be_restored(coordinator_client, world, tree):
    from tests.factories import FocusAreaFactory

    foreign = FocusAreaFactory(agreement=world.other_agreement)
    record = foreign.history.first()
    r = coordinator_client.post(
        reverse("agreements:history-restore", args=[tree.pk]),
        {"record": f"agreements.focusarea:{record.history_id}"},
    )
    assert r.status_code == 404


def test_police_see_history_without_restore(police_client, tree):
    html = police_client.get(reverse("agreements:history", args=[tree.pk])).content.decode()
    assert "Återställ den här versionen" not in html


def test_history_is_paginated(coordinator_client, tree):
    area = tree.focus_areas.first()
    user = UserFactory()
    for i in range(30):
        area.title = f"Version {i}"
        area._history_user = user
        area.save()
    first = coordinator_client.get(reverse("agreements:history", args=[tree.pk])).content.decode()
    assert "Version 29" in first and "Version 0<" not in first
    second = coordinator_client.get(reverse("agreements:history", args=[tree.pk]), {"page": 2})
    assert second.status_code == 200
