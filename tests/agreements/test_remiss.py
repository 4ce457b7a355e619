"""The remiss: the police of the police area comment on each item of the draft and record
their area's approval; the coordinator sees the comments beside each item and handles them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from agreements import services
from agreements.choices import AgreementStatus, Role
from agreements.locking import AgreementLocked
from agreements.models import RemissApproval, RemissComment
from agreements.selectors import HistoryPage
from tests.factories import MembershipFactory, UserFactory
from tests.rendered import form_data


def _comment_form(response, key: str) -> dict:
    """The rendered comment form of the item ``key`` (``focus_area:12``…)."""
    action = reverse("agreements:remiss-comment", args=[response.context["agreement"].pk])
    index = 0
    while True:
        data = form_data(response, index=index)
        if data.get("item") == key and form_data(response, index=index, action=action):
            return data
        index += 1


@pytest.fixture
def on_remiss(tree, coordinator, police, django_capture_on_commit_callbacks, mailoutbox):
    police.email = "polis@example.se"
    police.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_submit_for_review(
            agreement=tree, user=coordinator, link="https://samverkan.example.se/a"
        )
    tree.refresh_from_db()
    return tree


def test_sending_on_remiss_mails_the_police_of_the_area_with_a_link(on_remiss, mailoutbox):
    assert on_remiss.status == AgreementStatus.REVIEW
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["polis@example.se"]
    assert on_remiss.title in mail.subject
    assert "https://samverkan.example.se/a" in mail.body
    assert "remiss" in mail.body


def test_the_lifecycle_button_sends_the_mail_with_an_absolute_link(
    tree, coordinator_client, police, django_capture_on_commit_callbacks, mailoutbox
):
    police.email = "polis@example.se"
    police.save()
    page = coordinator_client.get(tree.get_absolute_url())
    data = form_data(page, action=reverse("agreements:transition", args=[tree.pk]))
    assert data["to"] == "review"
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(reverse("agreements:transition", args=[tree.pk]), data)
    assert f"http://testserver/overenskommelser/{tree.pk}/" in mailoutbox[0].body


def test_other_areas_police_and_readers_get_no_mail(
    tree, coordinator, world, django_capture_on_commit_callbacks, mailoutbox
):
    other = UserFactory(username="polis-b", email="b@example.se")
    MembershipFactory(user=other, organisation=world.other_police_area, role=Role.POLICE)
    reader = UserFactory(username="lasare", email="l@example.se")
    MembershipFactory(user=reader, organisation=world.police_area, role=Role.VIEWER)
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_submit_for_review(agreement=tree, user=coordinator)
    assert mailoutbox == []  # nobody with the police role in the area has an address


def test_the_police_comment_on_a_sub_goal_as_rendered_and_the_coordinator_sees_it_beside_it(
    on_remiss, police_client, coordinator_client
):
    goal = on_remiss.focus_areas.first().sub_goals.first()
    page = police_client.get(on_remiss.get_absolute_url())
    data = _comment_form(page, f"sub_goal:{goal.pk}")
    data["text"] = "Delmålet behöver ett <b>mätbart</b> utfall."
    response = police_client.post(reverse("agreements:remiss-comment", args=[on_remiss.pk]), data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#subgoal-{goal.pk}")
    comment = RemissComment.objects.get()
    assert comment.sub_goal == goal and comment.item_label == goal.text
    assert comment.author.username == "kommunpolis-a"

    html = coordinator_client.get(on_remiss.get_absolute_url()).content.decode()
    item = html.split(f'id="subgoal-{goal.pk}"', 1)[1].split("</li>\n", 1)[0]
    assert "Delmålet behöver ett &lt;b&gt;mätbart&lt;/b&gt; utfall." in item
    assert "<b>mätbart</b>" not in html


@pytest.mark.parametrize("kind", ["focus_area", "commitment", "section"])
def test_each_kind_of_item_takes_a_comment(on_remiss, police_client, kind):
    item = {
        "focus_area": lambda: on_remiss.focus_areas.first(),
        "commitment": lambda: on_remiss.commitments.first(),
        "section": lambda: None,
    }[kind]()
    key = f"{kind}:{item.pk}" if item else "section:purpose"
    page = police_client.get(on_remiss.get_absolute_url())
    data = _comment_form(page, key)
    data["text"] = "Synpunkt"
    police_client.post(reverse("agreements:remiss-comment", args=[on_remiss.pk]), data)
    comment = RemissComment.objects.get()
    assert comment.item_key == key


def test_an_item_of_another_agreement_is_refused(on_remiss, police, world):
    from tests.factories import FocusAreaFactory

    foreign = FocusAreaFactory(agreement=world.other_agreement)
    with pytest.raises(ValidationError):
        services.remiss_comment_create(
            agreement=on_remiss, user=police, item_key=f"focus_area:{foreign.pk}", text="x"
        )
    assert not RemissComment.objects.exists()


def test_council_members_read_the_agreement_but_neither_see_nor_write_comments(
    on_remiss, police, council_client
):
    services.remiss_comment_create(
        agreement=on_remiss, user=police, item_key="section:whole", text="Hemlig synpunkt"
    )
    html = council_client.get(on_remiss.get_absolute_url()).content.decode()
    assert "Hemlig synpunkt" not in html and 'id="remiss"' not in html
    response = council_client.post(
        reverse("agreements:remiss-comment", args=[on_remiss.pk]),
        {"item": "section:whole", "text": "x"},
    )
    assert response.status_code == 403


def test_another_areas_police_and_other_municipalities_get_404(on_remiss, police, world):
    comment = services.remiss_comment_create(
        agreement=on_remiss, user=police, item_key="section:whole", text="x"
    )
    other_police = UserFactory(username="polis-b")
    MembershipFactory(user=other_police, organisation=world.other_police_area, role=Role.POLICE)
    outsider = UserFactory(username="samordnare-b")
    MembershipFactory(user=outsider, organisation=world.other_municipality, role=Role.COORDINATOR)
    for user in (other_police, outsider):
        client = Client()
        client.force_login(user)
        for name, pk in (
            ("agreements:remiss-comment", on_remiss.pk),
            ("agreements:remiss-approve", on_remiss.pk),
            ("agreements:remiss-resolve", comment.pk),
        ):
            response = client.post(reverse(name, args=[pk]), {"item": "section:whole", "text": "x"})
            assert response.status_code == 404, (user, name)
    assert RemissComment.objects.count() == 1 and not RemissApproval.objects.exists()


def test_the_coordinator_answers_and_marks_a_comment_handled_as_rendered(
    on_remiss, police, coordinator_client, police_client
):
    comment = services.remiss_comment_create(
        agreement=on_remiss, user=police, item_key="section:purpose", text="Saknar NTU"
    )
    page = coordinator_client.get(on_remiss.get_absolute_url())
    action = reverse("agreements:remiss-resolve", args=[comment.pk])
    data = form_data(page, action=action)
    assert data["resolved"] == "on"
    data["answer"] = "NTU 2023 är tillagd."
    assert coordinator_client.post(action, data).status_code == 302
    comment.refresh_from_db()
    assert comment.is_resolved and comment.answer == "NTU 2023 är tillagd."
    assert comment.resolved_by.username == "samordnare-a"
    # The police may comment but not mark handled.
    assert police_client.post(action, data).status_code == 403


def test_the_police_record_the_approval_as_rendered_and_the_coordinator_sees_it(
    on_remiss, police_client, coordinator_client
):
    page = police_client.get(on_remiss.get_absolute_url())
    action = reverse("agreements:remiss-approve", args=[on_remiss.pk])
    data = form_data(page, action=action, note="Godkänt från LPO.")
    assert police_client.post(action, data).status_code == 302
    approval = RemissApproval.objects.get()
    assert approval.approved_by.username == "kommunpolis-a"
    assert approval.police_area == on_remiss.police_area and approval.note == "Godkänt från LPO."
    html = coordinator_client.get(on_remiss.get_absolute_url()).content.decode()
    assert "Lokalpolisområde Ankeby godkände utkastet" in html
    assert 'id="remiss-warning"' not in html
    # Only the police approve for their area.
    assert coordinator_client.post(action, {"note": ""}).status_code == 403


def test_an_approval_of_an_earlier_version_is_shown_as_such(on_remiss, police, coordinator):
    services.remiss_approve(agreement=on_remiss, user=police)
    assert services.remiss_state(on_remiss)["approval_current"]
    services.agreement_approve(agreement=on_remiss, user=coordinator)  # a lifecycle move
    assert services.remiss_state(on_remiss)["approval_current"]
    services.agreement_return_to_draft(agreement=on_remiss, user=coordinator)
    goal = on_remiss.focus_areas.first().sub_goals.first()
    goal.text = "Ändrat delmål"
    goal.save()
    state = services.remiss_state(on_remiss)
    assert state["approval"] is not None and not state["approval_current"]


def test_the_police_approve_only_a_draft_on_remiss(tree, police):
    with pytest.raises(ValidationError):
        services.remiss_approve(agreement=tree, user=police)


def test_signing_warns_without_a_current_police_approval_but_does_not_block(
    on_remiss, coordinator, coordinator_client, police
):
    services.agreement_approve(agreement=on_remiss, user=coordinator)
    page = coordinator_client.get(reverse("agreements:sign", args=[on_remiss.pk]))
    assert 'id="remiss-warning"' in page.content.decode()
    services.agreement_return_to_draft(agreement=on_remiss, user=coordinator)
    services.agreement_submit_for_review(agreement=on_remiss, user=coordinator)
    services.remiss_approve(agreement=on_remiss, user=police)
    services.agreement_approve(agreement=on_remiss, user=coordinator)
    html = coordinator_client.get(reverse("agreements:sign", args=[on_remiss.pk])).content.decode()
    assert 'id="remiss-warning"' not in html and 'id="remiss-approved"' in html


def test_a_signed_agreement_refuses_new_comments_and_keeps_the_remiss_in_history(
    on_remiss, police, coordinator
):
    comment = services.remiss_comment_create(
        agreement=on_remiss, user=police, item_key="section:whole", text="Bra utkast"
    )
    services.remiss_approve(agreement=on_remiss, user=police, note="OK")
    services.agreement_approve(agreement=on_remiss, user=coordinator)
    services.agreement_sign(agreement=on_remiss, user=coordinator, signed_on=on_remiss.valid_from)
    with pytest.raises(PermissionDenied):
        services.remiss_comment_create(
            agreement=on_remiss, user=police, item_key="section:whole", text="Sent"
        )
    with pytest.raises(PermissionDenied):
        services.remiss_comment_resolve(comment=comment, user=coordinator, answer="x")
    comment.text = "ändrad"
    with pytest.raises(AgreementLocked):
        comment.save()
    with pytest.raises(AgreementLocked):
        RemissComment.objects.filter(pk=comment.pk).delete()
    labels = {
        entry.model_label for entry in HistoryPage(on_remiss).entries(HistoryPage(on_remiss).keys())
    }
    assert {"agreements.remisscomment", "agreements.remissapproval"} <= labels


def test_the_panel_tells_each_side_of_a_draft_what_they_can_do(
    tree, police_client, coordinator_client
):
    url = reverse("agreements:detail", args=[tree.pk])
    police_page = police_client.get(url).content.decode()
    assert "Ingen synpunkt väntar på svar." in police_page  # not "0 synpunkter …"
    assert "Utkastet har inte skickats på remiss ännu" in police_page
    assert "Skicka utkastet på remiss" not in police_page  # the coordinator's step
    coordinator_page = coordinator_client.get(url).content.decode()
    assert "Skicka utkastet på remiss för att fråga" in coordinator_page
