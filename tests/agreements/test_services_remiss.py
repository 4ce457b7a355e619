"""agreements.services: the remiss called directly — which items a comment may name, who
comments, answers and approves, and the Swedish message when it is refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from agreements import services, signing
from agreements.choices import AgreementSection, AgreementStatus, Role
from agreements.models import RemissApproval, RemissComment
from tests.factories import (
    CommitmentFactory,
    FocusAreaFactory,
    MembershipFactory,
    SubGoalFactory,
    UserFactory,
)

from .conftest import set_status

CHOOSE = "Choose a part of the agreement."


@pytest.fixture
def on_remiss(tree):
    return set_status(tree, AgreementStatus.REVIEW)


def test_an_item_key_names_a_section_or_an_item_of_this_agreement(world, tree):
    area = tree.focus_areas.order_by("position").first()
    sub_goal = area.sub_goals.first()
    long_text = "Kommunen åtar sig att " + "samordna " * 60
    commitment = CommitmentFactory(agreement=tree, party=None, position=9, text=long_text)
    item = services.remiss_item
    assert item(agreement=tree, key="section:background") == (
        "section",
        None,
        str(AgreementSection.BACKGROUND.label),
    )
    assert item(agreement=tree, key=f"focus_area:{area.pk}") == ("focus_area", area, area.title)
    assert item(agreement=tree, key=f"sub_goal:{sub_goal.pk}") == (
        "sub_goal",
        sub_goal,
        sub_goal.text,
    )
    kind, found, label = item(agreement=tree, key=f"commitment:{commitment.pk}")
    assert (kind, found, label) == ("commitment", commitment, long_text[:300])
    assert len(long_text) > 300


@pytest.mark.parametrize(
    "key",
    ["section:nonsense", "section:", "focus_area:abc", "focus_area:", "unknown:1", "", None, "1"],
)
def test_anything_else_is_refused_beside_the_item(tree, key):
    with pytest.raises(ValidationError) as exc_info:
        services.remiss_item(agreement=tree, key=key)
    assert exc_info.value.message_dict == {"item": [gettext(CHOOSE)]}


def test_an_item_of_another_agreement_is_refused(world, tree):
    foreign_area = FocusAreaFactory(agreement=world.other_agreement, title="Bergsjö")
    foreign_goal = SubGoalFactory(focus_area=foreign_area, text="Bergsjös delmål")
    for key in (f"focus_area:{foreign_area.pk}", f"sub_goal:{foreign_goal.pk}"):
        with pytest.raises(ValidationError) as exc_info:
            services.remiss_item(agreement=tree, key=key)
        assert exc_info.value.message_dict == {"item": [gettext(CHOOSE)]}


def test_the_police_comment_on_an_item_and_on_a_section(on_remiss, police):
    area = on_remiss.focus_areas.order_by("position").first()
    on_item = services.remiss_comment_create(
        agreement=on_remiss, user=police, item_key=f"focus_area:{area.pk}", text="  Tydligare  "
    )
    on_section = services.remiss_comment_create(
        agreement=on_remiss, user=police, item_key="section:budget", text="Vem betalar?"
    )
    saved = RemissComment.objects.get(pk=on_item.pk)
    assert (saved.author, saved.text, saved.focus_area, saved.item_label) == (
        police,
        "Tydligare",
        area,
        area.title,
    )
    saved = RemissComment.objects.get(pk=on_section.pk)
    assert (saved.section, saved.focus_area, saved.item_label) == (
        "budget",
        None,
        str(AgreementSection.BUDGET.label),
    )


def test_a_comment_without_text_or_on_a_decided_agreement_is_refused(
    tree, police, coordinator, outsider
):
    set_status(tree, AgreementStatus.REVIEW)
    with pytest.raises(ValidationError) as exc_info:
        services.remiss_comment_create(
            agreement=tree, user=police, item_key="section:whole", text="   "
        )
    assert exc_info.value.message_dict == {"text": [gettext("Write the comment.")]}
    set_status(tree, AgreementStatus.APPROVED)
    with pytest.raises(ValidationError) as exc_info:
        services.remiss_comment_create(
            agreement=tree, user=police, item_key="section:whole", text="Sent"
        )
    assert exc_info.value.messages == [
        gettext("The agreement is decided: send it back to draft to comment on it again.")
    ]
    with pytest.raises(PermissionDenied) as denied:
        services.remiss_comment_create(
            agreement=tree, user=outsider, item_key="section:whole", text="Grannen"
        )
    assert str(denied.value) == gettext(
        "Only the police of the local police area and the coordinator comment on the draft."
    )
    set_status(tree, AgreementStatus.SIGNED)
    with pytest.raises(PermissionDenied) as denied:
        services.remiss_comment_create(
            agreement=tree, user=coordinator, item_key="section:whole", text="Efteråt"
        )
    assert str(denied.value) == gettext(
        "The agreement is signed: its remiss is closed and kept in its history."
    )
    assert not RemissComment.objects.filter(agreement=tree).exists()


def test_the_coordinator_answers_marks_handled_once_and_opens_again(on_remiss, police, coordinator):
    comment = services.remiss_comment_create(
        agreement=on_remiss, user=police, item_key="section:whole", text="Fråga"
    )
    first = services.remiss_comment_resolve(comment=comment, user=coordinator, answer="  Svar ")
    assert (first.answer, first.resolved_by) == ("Svar", coordinator)
    assert first.resolved_at is not None
    colleague = UserFactory(username="samordnare-a2")
    MembershipFactory(user=colleague, organisation=on_remiss.municipality, role=Role.COORDINATOR)
    again = services.remiss_comment_resolve(comment=comment, user=colleague, answer="Nytt svar")
    # Handled already: who handled it, and when, stays.
    assert (again.answer, again.resolved_by, again.resolved_at) == (
        "Nytt svar",
        coordinator,
        first.resolved_at,
    )
    reopened = services.remiss_comment_resolve(comment=comment, user=coordinator, resolved=False)
    saved = RemissComment.objects.get(pk=comment.pk)
    assert (reopened.resolved_at, saved.resolved_at, saved.resolved_by, saved.answer) == (
        None,
        None,
        None,
        "",
    )
    with pytest.raises(PermissionDenied) as denied:
        services.remiss_comment_resolve(comment=comment, user=police, answer="Själv")
    assert str(denied.value) == gettext("Only the municipality's safety coordinator may do this.")


def test_the_police_approve_the_draft_as_it_reads_and_nobody_else(tree, police, coordinator):
    set_status(tree, AgreementStatus.DRAFT)
    with pytest.raises(ValidationError) as exc_info:
        services.remiss_approve(agreement=tree, user=police)
    assert exc_info.value.messages == [
        gettext("Only a draft on remiss can be approved by the police.")
    ]
    set_status(tree, AgreementStatus.REVIEW)
    with pytest.raises(PermissionDenied) as denied:
        services.remiss_approve(agreement=tree, user=coordinator)
    assert str(denied.value) == gettext(
        "Only the police of the local police area approve the draft for it."
    )
    assert not RemissApproval.objects.filter(agreement=tree).exists()
    approval = services.remiss_approve(agreement=tree, user=police, note="  Godkänd  ")
    saved = RemissApproval.objects.get(pk=approval.pk)
    assert (saved.police_area, saved.approved_by, saved.note) == (
        tree.police_area,
        police,
        "Godkänd",
    )
    assert saved.approved_at is not None
    assert saved.content_fingerprint == signing.content_fingerprint(tree)
