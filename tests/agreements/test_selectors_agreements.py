"""agreements.selectors: what each persona is shown, and in which order.

Written against the mutants `make mutants` left alive: the rows a persona sees, the
order a page lists them in, a 404 where the object is not theirs to see.
"""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from agreements import selectors, services
from agreements.access import get_access
from agreements.choices import AgreementStatus
from agreements.models import Agreement, Attachment, FocusArea
from tests.factories import (
    AgreementFactory,
    CitizenPromiseFactory,
    CommitmentFactory,
    FocusAreaFactory,
)

from .conftest import set_status

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _attach(agreement, user, title):
    """A PDF attached through the service, as the upload form does."""
    return services.attachment_create(
        agreement=agreement,
        user=user,
        title=title,
        upload=SimpleUploadedFile(f"{title}.pdf", PDF),
        kind="pdf",
        sha256=hashlib.sha256(PDF + title.encode()).hexdigest(),
    )


def test_each_persona_lists_only_the_agreements_they_may_see(
    world, coordinator, police, outsider, staff
):
    assert list(selectors.agreement_list(user=coordinator)) == [world.agreement]
    assert list(selectors.agreement_list(user=police)) == [world.agreement]
    assert list(selectors.agreement_list(user=outsider)) == [world.other_agreement]
    assert set(selectors.agreement_list(user=staff)) == {world.agreement, world.other_agreement}


def test_another_municipalitys_agreement_is_a_404(world, outsider):
    with pytest.raises(Http404):
        selectors.agreement_get(user=outsider, pk=world.agreement.pk)
    with pytest.raises(Http404):
        selectors.agreement_document(user=outsider, pk=world.agreement.pk)
    assert selectors.agreement_get(user=outsider, pk=world.other_agreement.pk) == (
        world.other_agreement
    )


def test_the_document_lists_the_tree_in_position_order(world, coordinator):
    agreement = world.agreement
    second = FocusAreaFactory(agreement=agreement, position=2, title="Andra")
    first = FocusAreaFactory(agreement=agreement, position=1, title="Första")
    document = selectors.agreement_document(user=coordinator, pk=agreement.pk)
    assert [a.pk for a in document.focus_areas.all()] == [first.pk, second.pk]


def test_commitments_are_grouped_by_party_in_the_agreements_order_joint_last(world):
    agreement = world.agreement
    area = FocusAreaFactory(agreement=agreement, position=1)
    joint = CommitmentFactory(agreement=agreement, party=None, position=1)
    police = CommitmentFactory(agreement=agreement, party=world.police_area, position=2)
    municipal = CommitmentFactory(agreement=agreement, party=world.municipality, position=3)
    in_area = CommitmentFactory(agreement=agreement, focus_area=area, party=None, position=4)
    grouped = selectors.group_commitments(agreement)
    whole = grouped[None]
    assert [g.party for g in whole] == [world.municipality, world.police_area, None]
    assert [g.items for g in whole] == [[municipal], [police], [joint]]
    assert [g.is_joint for g in whole] == [False, False, True]
    assert [[c.pk for c in g.items] for g in grouped[area.pk]] == [[in_area.pk]]


def test_promises_are_listed_newest_year_first_then_by_title(world, coordinator, outsider):
    agreement = world.agreement
    b = CitizenPromiseFactory(agreement=agreement, year=2025, title="B-löftet")
    a = CitizenPromiseFactory(agreement=agreement, year=2025, title="A-löftet")
    old = CitizenPromiseFactory(agreement=agreement, year=2024, title="0-löftet")
    CitizenPromiseFactory(agreement=world.other_agreement, year=2025, title="Bergsjö")
    assert list(selectors.promise_list(user=coordinator, agreement=agreement)) == [a, b, old]
    assert list(selectors.promise_list(user=outsider, agreement=agreement)) == []
    assert selectors.promise_get(user=coordinator, pk=a.pk) == a
    with pytest.raises(Http404):
        selectors.promise_get(user=outsider, pk=a.pk)


def test_only_signed_public_agreements_are_public(world):
    set_status(world.agreement, AgreementStatus.SIGNED)
    Agreement._base_manager.filter(pk=world.agreement.pk).update(is_public=True)
    Agreement._base_manager.filter(pk=world.other_agreement.pk).update(is_public=True)
    assert list(selectors.public_agreements()) == [world.agreement]
    assert selectors.public_agreement_get(world.agreement.pk) == world.agreement
    with pytest.raises(Http404):
        selectors.public_agreement_get(world.other_agreement.pk)


def test_a_public_agreement_lists_its_promises_newest_year_first(world):
    set_status(world.agreement, AgreementStatus.SIGNED)
    Agreement._base_manager.filter(pk=world.agreement.pk).update(is_public=True)
    old = CitizenPromiseFactory(agreement=world.agreement, year=2024, title="A")
    new = CitizenPromiseFactory(agreement=world.agreement, year=2025, title="B")
    also_new = CitizenPromiseFactory(agreement=world.agreement, year=2025, title="A, också 2025")
    agreement = selectors.public_agreement_get(world.agreement.pk)
    assert list(agreement.citizen_promises.all()) == [also_new, new, old]


def test_promises_of_one_year_and_title_come_in_the_order_of_their_numbers(world, coordinator):
    # An imported promise keeps its high number; the one added after it gets a lower one, and
    # lies after it in the table: the order is by number, not by where the rows lie.
    imported = CitizenPromiseFactory(id=10**9, agreement=world.agreement, year=2025, title="Samma")
    added = CitizenPromiseFactory(agreement=world.agreement, year=2025, title="Samma")
    assert added.pk < imported.pk
    promises = selectors.promise_list(user=coordinator, agreement=world.agreement)
    assert list(promises) == [added, imported]


def test_a_history_token_names_a_row_of_this_agreements_history_only(world, coordinator):
    area = FocusAreaFactory(agreement=world.agreement, title="Fokus")
    other = FocusAreaFactory(agreement=world.other_agreement, title="Annat")
    record = area.history.latest()
    token = f"agreements.focusarea:{record.history_id}"
    assert selectors.history_record(agreement=world.agreement, token=token) == record
    foreign = f"agreements.focusarea:{other.history.latest().history_id}"
    for bad in (foreign, "agreements.focusarea:abc", "agreements.focusarea:", "nonsense:1"):
        with pytest.raises(Http404):
            selectors.history_record(agreement=world.agreement, token=bad)


def test_the_history_page_lists_every_change_newest_first(world, coordinator):
    area = FocusAreaFactory(agreement=world.agreement, title="Före")
    area.title = "Efter"
    area.save()
    page = selectors.HistoryPage(world.agreement)
    keys = page.keys()
    assert [k[0] for k in keys] == sorted((k[0] for k in keys), reverse=True)
    entries = page.entries(keys)
    change = next(e for e in entries if e.kind == "~" and e.model_label == "agreements.focusarea")
    assert [(c.old, c.new) for c in change.changes] == [("Före", "Efter")]
    assert change.restorable
    created = next(e for e in entries if e.kind == "+" and e.model_label == "agreements.focusarea")
    assert ("", "Före") in [(c.old, c.new) for c in created.changes]
    assert change.token == f"agreements.focusarea:{change.record.history_id}"


def test_a_commitment_group_is_named_as_the_text_names_its_party(world):
    agreement = world.agreement
    agreement.police_area_short_name = "Polisen"
    agreement.save()
    stranger = world.other_agreement.municipality  # not a party of this agreement
    CommitmentFactory(agreement=agreement, party=world.police_area, position=1)
    CommitmentFactory(agreement=agreement, party=world.municipality, position=2)
    CommitmentFactory(agreement=agreement, party=stranger, position=3)
    CommitmentFactory(agreement=agreement, party=None, position=4)
    labels = [(g.party, g.label) for g in selectors.group_commitments(agreement)[None]]
    municipality_label = agreement.municipality_short_name or world.municipality.name
    assert labels == [
        (world.municipality, municipality_label),
        (world.police_area, "Polisen"),
        (stranger, stranger.name),  # not among the parties: by its name, after them
        (None, ""),
    ]


def test_two_commitments_of_one_party_stay_in_one_group_in_position_order(world):
    agreement = world.agreement
    first = CommitmentFactory(agreement=agreement, party=world.police_area, position=1)
    second = CommitmentFactory(agreement=agreement, party=world.police_area, position=2)
    [group] = selectors.group_commitments(agreement)[None]
    assert group.items == [first, second]


def test_remiss_comments_are_grouped_by_item_oldest_first_for_those_who_see_them(
    tree, coordinator, police, outsider, council_member
):
    set_status(tree, AgreementStatus.REVIEW)
    area = tree.focus_areas.order_by("position").first()
    first = services.remiss_comment_create(
        agreement=tree, user=police, item_key=f"focus_area:{area.pk}", text="Första"
    )
    whole = services.remiss_comment_create(
        agreement=tree, user=police, item_key="section:whole", text="Helheten"
    )
    second = services.remiss_comment_create(
        agreement=tree, user=coordinator, item_key=f"focus_area:{area.pk}", text="Andra"
    )
    grouped = selectors.remiss_comments(user=coordinator, agreement=tree)
    assert grouped == {f"focus_area:{area.pk}": [first, second], "section:whole": [whole]}
    assert selectors.remiss_comments(user=police, agreement=tree) == grouped
    assert selectors.remiss_comments(user=outsider, agreement=tree) == {}
    assert selectors.remiss_comments(user=council_member, agreement=tree) == {}
    # Only this agreement's comments.
    assert selectors.remiss_comments(user=coordinator, agreement=world_other(tree)) == {}


def world_other(agreement):
    """Another agreement of the same municipality (a draft without comments)."""
    return AgreementFactory(
        municipality=agreement.municipality, police_area=agreement.police_area, title="Annan"
    )


def test_attachments_are_listed_in_position_order_to_those_who_read_the_agreement(
    world, coordinator, outsider
):
    one = _attach(world.agreement, coordinator, "Bilaga 1")
    two = _attach(world.agreement, coordinator, "Bilaga 2")
    Attachment._base_manager.filter(pk=one.pk).update(position=3)
    assert list(selectors.attachment_list(user=coordinator, agreement=world.agreement)) == [
        two,
        one,
    ]
    assert list(selectors.attachment_list(user=outsider, agreement=world.agreement)) == []
    assert selectors.attachment_get(user=coordinator, pk=one.pk) == one
    with pytest.raises(Http404):
        selectors.attachment_get(user=outsider, pk=one.pk)


def test_a_history_entry_compares_with_the_version_just_before_it(world, coordinator):
    area = FocusAreaFactory(agreement=world.agreement, title="Ett")
    for title in ("Två", "Tre"):
        area.title = title
        area.save()
    page = selectors.HistoryPage(world.agreement)
    entries = [e for e in page.entries(page.keys()) if e.model_label == "agreements.focusarea"]
    assert [e.kind for e in entries] == ["~", "~", "+"]
    assert [(c.old, c.new) for c in entries[0].changes if c.old] == [("Två", "Tre")]
    assert [(c.old, c.new) for c in entries[1].changes if c.old] == [("Ett", "Två")]
    assert entries[0].verbose_name == "fokusområde"
    assert entries[0].object_label == str(area)[:120]


def test_a_history_page_shows_only_the_changes_it_is_given(world):
    area = FocusAreaFactory(agreement=world.agreement, title="Ett")
    area.title = "Två"
    area.save()
    page = selectors.HistoryPage(world.agreement)
    keys = page.keys()
    assert [e.record.history_id for e in page.entries(keys[:1])] == [keys[0][2]]
    assert [e.record.history_id for e in page.entries(keys[1:2])] == [keys[1][2]]
    [older] = page.entries(keys[1:2])
    # The creation, read alone, is still the creation: nothing before it, "Ett" new.
    assert older.kind == "+"
    assert ("", "Ett") in [(c.old, c.new) for c in older.changes]


def test_history_keys_of_one_moment_are_ordered_by_their_history_id(world):
    area = FocusAreaFactory(agreement=world.agreement, title="Ett")
    moment = area.history.latest().history_date
    area.title = "Två"
    area.save()
    FocusArea.history.filter(id=area.pk).update(history_date=moment)
    Agreement.history.filter(id=world.agreement.pk).update(history_date=moment)
    keys = selectors.HistoryPage(world.agreement).keys()
    assert [k[2] for k in keys] == sorted((k[2] for k in keys), reverse=True)


def test_a_removed_row_is_in_the_history_with_who_removed_it(world, coordinator):
    area = FocusAreaFactory(agreement=world.agreement, title="Bort")
    area._history_user = coordinator
    area.delete()
    page = selectors.HistoryPage(world.agreement)
    removed = next(e for e in page.entries(page.keys()) if e.kind == "-")
    assert removed.model_label == "agreements.focusarea"
    assert removed.user == coordinator
    assert removed.date == removed.record.history_date
    token = removed.token
    assert selectors.history_record(agreement=world.agreement, token=token) == removed.record


def _read_document(agreement, *, causes=True):
    """Everything the document page (or the public page) shows of the agreement's tree."""
    seen = [agreement.municipality.name, agreement.police_area.name]
    seen += [p.organisation.name for p in agreement.party_rows.all()]
    seen += [o.name for o in agreement.other_parties.all()]
    seen += [a.name for a in agreement.areas.all()]
    for area in agreement.focus_areas.all():
        seen += [s.text for s in area.sub_goals.all()] + [a.name for a in area.areas.all()]
        if causes:
            seen += [c.text for c in area.causes.all()]
    seen += [getattr(c.party, "name", "") for c in agreement.commitments.all()]
    seen += [s.organisation.name for s in agreement.signatories.all()]
    seen += [a.title for a in agreement.attachments.all()]
    return seen


def test_the_document_reads_its_whole_tree_in_a_fixed_number_of_queries(
    tree, coordinator, django_assert_num_queries
):
    revision = AgreementFactory(
        municipality=tree.municipality, police_area=tree.police_area, revision_of=tree
    )
    with django_assert_num_queries(11):
        document = selectors.agreement_document(user=coordinator, pk=revision.pk)
    with django_assert_num_queries(0):
        _read_document(document)
        assert document.revision_of.title == tree.title
    with django_assert_num_queries(13):  # a fuller tree, and its revisions in one query
        original = selectors.agreement_document(user=coordinator, pk=tree.pk)
    with django_assert_num_queries(0):
        assert [(r.pk, r.title, r.status) for r in original.revisions.all()] == [
            (revision.pk, revision.title, revision.status)
        ]


def test_the_public_page_reads_its_tree_and_promises_in_a_fixed_number_of_queries(
    tree, django_assert_num_queries
):
    set_status(tree, AgreementStatus.SIGNED)
    Agreement._base_manager.filter(pk=tree.pk).update(is_public=True)
    CitizenPromiseFactory(agreement=tree, year=2025, title="Löfte")
    with django_assert_num_queries(13):
        public = selectors.public_agreement_get(tree.pk)
    with django_assert_num_queries(0):
        _read_document(public, causes=False)  # the public page shows no causes
        for promise in public.citizen_promises.all():
            [a.name for a in promise.areas.all()] + [p.name for p in promise.parties.all()]


def test_every_part_of_the_agreement_and_its_plan_is_in_its_history(tree, coordinator, police):
    """The history page gathers the agreement's own rows and those the action plan adds
    (plan, activities, roles, reviews); another agreement's rows stay out."""
    from tests.actionplans.conftest import make_activity
    from tests.actionplans.factories import ActionPlanFactory, ReviewFactory

    set_status(tree, AgreementStatus.REVIEW)
    services.remiss_comment_create(agreement=tree, user=police, item_key="section:whole", text="Ok")
    services.remiss_approve(agreement=tree, user=police)
    CitizenPromiseFactory(agreement=tree, year=2025, title="Löfte")
    _attach(tree, coordinator, "Bilaga")
    plan = ActionPlanFactory(agreement=tree, title="Plan")
    activity = make_activity(plan, focus_area=tree.focus_areas.first())
    ReviewFactory(activity=activity, reviewer=police)
    other = make_activity(ActionPlanFactory(agreement=world_other(tree)))
    ReviewFactory(activity=other, reviewer=police)

    page = selectors.HistoryPage(tree)
    entries = page.entries(page.keys())
    labels = {e.model_label for e in entries}
    assert labels == {
        "agreements.agreement",
        "agreements.focusarea",
        "agreements.subgoal",
        "agreements.cause",
        "agreements.commitment",
        "agreements.signatory",
        "agreements.citizenpromise",
        "agreements.remisscomment",
        "agreements.remissapproval",
        "agreements.attachment",
        "actionplans.actionplan",
        "actionplans.activity",
        "actionplans.activityrole",
        "actionplans.review",
    }
    assert {e.record.id for e in entries if e.model_label == "actionplans.activity"} == {
        activity.pk
    }
    assert {e.record.id for e in entries if e.model_label == "actionplans.activityrole"} == set(
        activity.roles.values_list("pk", flat=True)
    )
    # Each of them can be named by its token (the restore and detail links use it).
    for entry in entries:
        assert selectors.history_record(agreement=tree, token=entry.token) == entry.record
    foreign = other.reviews.get().history.latest()
    with pytest.raises(Http404):
        selectors.history_record(agreement=tree, token=f"actionplans.review:{foreign.history_id}")


def test_remiss_comments_follow_when_they_were_written_not_their_number(tree, police):
    set_status(tree, AgreementStatus.REVIEW)
    first = services.remiss_comment_create(
        agreement=tree, user=police, item_key="section:whole", text="Skriven först"
    )
    second = services.remiss_comment_create(
        agreement=tree, user=police, item_key="section:whole", text="Skriven sedan"
    )
    # Imported comments keep their own time: the later row was written earlier.
    type(first)._base_manager.filter(pk=second.pk).update(
        created_at=first.created_at - datetime.timedelta(days=1)
    )
    grouped = selectors.remiss_comments(user=police, agreement=tree)
    assert [c.text for c in grouped["section:whole"]] == ["Skriven sedan", "Skriven först"]
    assert grouped["section:whole"][0].author == police


def test_a_promise_and_an_attachment_read_what_their_pages_show_in_fixed_queries(
    tree, coordinator, django_assert_num_queries
):
    for year in (2024, 2025):
        promise = CitizenPromiseFactory(agreement=tree, year=year, title=f"Löfte {year}")
        promise.parties.add(tree.municipality, tree.police_area)
        promise.areas.add(*tree.areas.all())
    attachment = _attach(tree, coordinator, "Bilaga")

    def read(promise):
        return (
            [a.name for a in promise.areas.all()]
            + [p.name for p in promise.parties.all()]
            + [p.name for p in promise.partners.all()]
        )

    with django_assert_num_queries(4):  # the promises, their areas, parties and partners
        promises = list(selectors.promise_list(user=coordinator, agreement=tree))
        shown = [read(p) for p in promises]
    assert [p.year for p in promises] == [2025, 2024]
    assert shown[0][-2:] == [tree.municipality.name, tree.police_area.name]
    pk = promises[0].pk
    with django_assert_num_queries(4):
        promise = selectors.promise_get(user=coordinator, pk=pk)
    with django_assert_num_queries(0):
        read(promise)
        assert promise.agreement.municipality.name == tree.municipality.name
        assert promise.agreement.police_area.name == tree.police_area.name
    with django_assert_num_queries(1):
        got = selectors.attachment_get(user=coordinator, pk=attachment.pk)
    with django_assert_num_queries(0):
        assert got.agreement.title == tree.title


def test_the_public_list_names_both_parties_in_one_query(world, django_assert_num_queries):
    for agreement in (world.agreement, world.other_agreement):
        set_status(agreement, AgreementStatus.SIGNED)
        Agreement._base_manager.filter(pk=agreement.pk).update(is_public=True)
    with django_assert_num_queries(1):
        names = [(a.municipality.name, a.police_area.name) for a in selectors.public_agreements()]
    assert sorted(names) == [
        ("Ankeby kommun", "Lokalpolisområde Ankeby"),
        ("Bergsjö kommun", "Lokalpolisområde Bergsjö"),
    ]


def test_a_history_page_names_the_parties_a_change_moved_between_and_who_made_it(
    world, coordinator, django_assert_num_queries
):
    commitment = CommitmentFactory(agreement=world.agreement, party=world.municipality)
    commitment.party = world.police_area
    commitment._history_user = coordinator
    commitment.save()
    page = selectors.HistoryPage(world.agreement)
    keys = page.keys()
    # A page with the change alone: the party it moved from is only in the version before.
    # The change, the versions before it, then one query per model named (parties, agreement).
    with django_assert_num_queries(2 + 2):
        [change] = page.entries(keys[:1])
        assert change.user.username == coordinator.username
    assert (change.model_label, change.kind) == ("agreements.commitment", "~")
    party = next(c for c in change.changes if c.old)
    assert (party.old, party.new) == (world.municipality.name, world.police_area.name)


def test_a_history_entry_compares_with_the_version_before_it_in_time_not_in_number(world):
    area = FocusAreaFactory(agreement=world.agreement, title="Ett")
    for title in ("Två", "Tre"):
        area.title = title
        area.save()
    one, two, three = FocusArea.history.filter(id=area.pk).order_by("history_id")
    # A restored copy of history: "Ett" was recorded after "Två", before "Tre".
    FocusArea.history.filter(history_id=one.history_id).update(
        history_date=two.history_date + (three.history_date - two.history_date) / 2
    )
    page = selectors.HistoryPage(world.agreement)
    entries = {
        e.record.history_id: e
        for e in page.entries(page.keys())
        if e.model_label == "agreements.focusarea"
    }
    assert [(c.old, c.new) for c in entries[three.history_id].changes if c.old] == [("Ett", "Tre")]


def test_a_history_entry_names_its_object_in_at_most_120_characters(world):
    long_title = "Trygghet i centrum " * 12
    area = FocusAreaFactory(agreement=world.agreement, title=long_title)
    page = selectors.HistoryPage(world.agreement)
    entry = next(e for e in page.entries(page.keys()) if e.model_label == "agreements.focusarea")
    assert entry.object_label == str(area)[:120]
    assert len(str(area)) > 120


def test_remiss_comments_name_their_author_and_who_resolved_them_in_one_query(
    tree, coordinator, police, django_assert_num_queries
):
    set_status(tree, AgreementStatus.REVIEW)
    comment = services.remiss_comment_create(
        agreement=tree, user=police, item_key="section:whole", text="Fråga"
    )
    services.remiss_comment_resolve(comment=comment, user=coordinator, answer="Svar")
    services.remiss_comment_create(
        agreement=tree, user=police, item_key="section:whole", text="Öppen"
    )
    get_access(coordinator)
    with django_assert_num_queries(1):
        grouped = selectors.remiss_comments(user=coordinator, agreement=tree)
        shown = [
            (c.author.username, getattr(c.resolved_by, "username", None))
            for c in grouped["section:whole"]
        ]
    assert shown == [(police.username, coordinator.username), (police.username, None)]


def test_commitments_follow_the_documents_order_of_parties_when_the_police_come_first(world):
    agreement = world.agreement
    Agreement._base_manager.filter(pk=agreement.pk).update(
        police_area_position=1, municipality_position=2
    )
    agreement.refresh_from_db()
    municipal = CommitmentFactory(agreement=agreement, party=world.municipality, position=1)
    police = CommitmentFactory(agreement=agreement, party=world.police_area, position=2)
    joint = CommitmentFactory(agreement=agreement, party=None, position=3)
    grouped = selectors.group_commitments(agreement)[None]
    assert [g.items for g in grouped] == [[police], [municipal], [joint]]
