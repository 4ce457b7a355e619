"""Trust at the edges: extreme values, signed agreements written to from below, and the
police's part in the plan. Each test reproduces a finding of the probe on PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from agreements.locking import AgreementLocked
from agreements.models import Agreement, FocusArea
from core.choices import ReviewState
from core.models import MAX_TEXT
from followup.models import FollowUpReport
from forums.models import Meeting
from tests.rendered import form_data

# -- 3. dates of year 1 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "obj", "field", "value"),
    [
        ("forums:meeting-edit", "meeting", "starts_at", "0001-01-01T09:00"),
        ("forums:meeting-series", "forum", "starts_on", "0001-01-01"),
        ("actionplans:activity-edit", "activity", "starts_on", "0001-01-01"),
        ("followup:report-edit", "report", "due_date", "0001-01-01"),
        ("actionplans:activity-edit", "activity", "ends_on", "9999-12-31"),
    ],
)
def test_a_date_outside_the_sensible_range_is_refused_beside_the_field(
    trees, persona_clients, url_name, obj, field, value
):
    from .test_hostile_input import db_checksum

    client = persona_clients["coordinator"]
    url = reverse(url_name, args=[getattr(trees.a, obj).pk])
    page = client.get(url)
    before = db_checksum()
    response = client.post(url, form_data(page, values={field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html and "Ange ett datum mellan 1990-01-01" in html
    assert db_checksum() == before


def test_no_path_stores_a_meeting_in_year_one(trees):
    meeting = Meeting.objects.get(pk=trees.a.meeting.pk)
    meeting.starts_at = datetime.datetime(1, 1, 1, 9, 0, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError) as caught:
        meeting.save()  # no form, no full_clean: the model's last guard
    assert "starts_at" in caught.value.message_dict


def test_the_meeting_pages_never_fail_on_an_old_meeting(trees, persona_clients):
    """A meeting already in the database at the edge of the range still shows (PostgreSQL
    shifts it to local time)."""
    Meeting.objects.filter(pk=trees.a.meeting.pk).update(
        starts_at=datetime.datetime(1990, 1, 1, 0, 0, tzinfo=datetime.UTC)
    )
    client = persona_clients["coordinator"]
    for name, pk in (
        ("forums:meeting-detail", trees.a.meeting.pk),
        ("forums:meeting-edit", trees.a.meeting.pk),
        ("forums:attendance", trees.a.meeting.pk),
        ("forums:meeting-list", trees.a.forum.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 200, name


# -- 6. a megabyte of text ----------------------------------------------------------------


def test_a_megabyte_summary_is_refused_so_the_report_pdf_stays_fast(trees, persona_clients):
    client = persona_clients["coordinator"]
    url = reverse("followup:report-edit", args=[trees.a.report.pk])
    page = client.get(url)
    response = client.post(url, form_data(page, summary="Å" * 1_000_000))
    assert response.status_code == 200
    assert 'id="id_summary_error"' in response.content.decode()
    report = FollowUpReport.objects.get(pk=trees.a.report.pk)
    assert len(report.summary) < MAX_TEXT
    report.summary = "Å" * (MAX_TEXT + 1)
    with pytest.raises(ValidationError):
        report.save()


# -- 7. the proof of signing, and raw SQL ---------------------------------------------------


def test_the_proof_of_a_signed_agreement_is_written_once(trees):
    signed = trees.a.signed_agreement
    Agreement._base_manager.filter(pk=signed.pk).update(signed_pdf_sha256="a" * 64)  # first write
    for field, value in (
        ("signed_pdf_sha256", "b" * 64),
        ("signed_at", datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)),
    ):
        with pytest.raises(AgreementLocked):
            Agreement.objects.filter(pk=signed.pk).update(**{field: value})
        obj = Agreement.objects.get(pk=signed.pk)
        setattr(obj, field, value)
        with pytest.raises(AgreementLocked):
            obj.save()
    assert Agreement.objects.get(pk=signed.pk).signed_pdf_sha256 == "a" * 64


def _raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_raw_sql_cannot_change_a_signed_agreement_or_its_tree(trees):
    signed = trees.a.signed_agreement
    focus = signed.focus_areas.get()
    attempts = [
        ("UPDATE agreements_agreement SET title = %s WHERE id = %s", ["Ändrad", signed.pk]),
        ("UPDATE agreements_agreement SET status = 'draft' WHERE id = %s", [signed.pk]),
        ("DELETE FROM agreements_agreement WHERE id = %s", [signed.pk]),
        ("UPDATE agreements_focusarea SET title = %s WHERE id = %s", ["Ändrad", focus.pk]),
        ("DELETE FROM agreements_focusarea WHERE id = %s", [focus.pk]),
        (
            "INSERT INTO agreements_commitment (agreement_id, position, text, version, "
            "created_at, updated_at) VALUES (%s, 9, 'Nytt', 1, now(), now())",
            [signed.pk],
        ),
        (
            "INSERT INTO forums_forum_agreements (forum_id, agreement_id) VALUES (%s, %s)",
            [trees.a.forum.pk, signed.pk],
        ),
    ]
    for sql, params in attempts:
        with pytest.raises(DatabaseError, match="samverkan"):
            _raw(sql, params)
    fresh = Agreement.objects.get(pk=signed.pk)
    assert (fresh.title, fresh.status) == (signed.title, signed.status)
    assert FocusArea.objects.get(pk=focus.pk).title == focus.title
    # A draft stays freely editable, also with raw SQL.
    _raw("UPDATE agreements_agreement SET title = %s WHERE id = %s", ["Nytt", trees.a.agreement.pk])
    assert Agreement.objects.get(pk=trees.a.agreement.pk).title == "Nytt"
    # The lifecycle moves forward: a signed agreement is superseded.
    _raw("UPDATE agreements_agreement SET status = 'superseded' WHERE id = %s", [signed.pk])


# -- 8. a forum linked to a signed agreement ---------------------------------------------


def test_a_signed_agreements_forums_are_frozen(trees, persona_clients):
    signed, forum = trees.a.signed_agreement, trees.a.forum
    with pytest.raises(AgreementLocked), transaction.atomic():
        forum.agreements.add(signed)
    client = persona_clients["coordinator"]
    url = reverse("forums:edit", args=[forum.pk])
    page = client.get(url)
    data = form_data(page)
    data["agreements"] = [str(trees.a.agreement.pk), str(signed.pk)]
    response = client.post(url, data)
    assert response.status_code == 200
    assert 'id="id_agreements_error"' in response.content.decode()
    assert not forum.agreements.filter(pk=signed.pk).exists()
    public = client.get(reverse("public:agreement-detail", args=[signed.pk])).content.decode()
    assert forum.name not in public


# -- 11. the police review; the coordinator edits ------------------------------------------


def test_the_police_cannot_rewrite_an_activity_they_lead(trees, persona_clients):
    activity = trees.a.police_activity
    client = persona_clients["police"]
    url = reverse("actionplans:activity-edit", args=[activity.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Omskriven", "status": "done"}).status_code == 403
    activity.refresh_from_db()
    assert activity.title.startswith("Ökad närvaro")


def test_an_activity_never_sent_for_review_cannot_be_approved(trees, persona_clients):
    activity = trees.a.activity  # not submitted
    assert activity.review_state == ReviewState.DRAFT
    url = reverse("actionplans:activity-review", args=[activity.pk])
    response = persona_clients["police"].post(url, {"decision": "approved", "comment": ""})
    assert response.status_code == 200
    assert "Bara en aktivitet som skickats för granskning" in response.content.decode()
    activity.refresh_from_db()
    assert activity.review_state == ReviewState.DRAFT
    # A comment is always welcome, and the waiting activity can be approved.
    assert (
        persona_clients["police"].post(url, {"decision": "comment", "comment": "Bra"}).status_code
        == 302
    )
    pending = trees.a.police_activity
    url = reverse("actionplans:activity-review", args=[pending.pk])
    assert persona_clients["police"].post(url, {"decision": "approved"}).status_code == 302
    pending.refresh_from_db()
    assert pending.review_state == ReviewState.APPROVED


def test_a_null_character_never_reaches_postgresql(trees):
    """PostgreSQL refuses NUL in text; forms strip it, and the model refuses it on every
    other path (an import, the shell) with a message instead of a database error."""
    activity = trees.a.activity
    activity.title = "Trygg\x00het"
    with pytest.raises(ValidationError) as caught:
        activity.save()
    assert "title" in caught.value.message_dict
