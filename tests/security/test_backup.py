"""export_agreement / import_agreement: an agreement's tree survives an empty database."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from actionplans.models import Activity
from agreements.choices import AgreementStatus
from agreements.locking import AgreementLocked
from agreements.models import Agreement, FocusArea
from dashboard.backup import EXPORTED_MODELS, NOT_EXPORTED, RESTORED_REASON

DOMAIN_APPS = ("agreements", "forums", "actionplans", "followup")


def _export(pk, tmp_path, name="export.json") -> str:
    path = tmp_path / name
    call_command("export_agreement", str(pk), "-o", str(path))
    return path.read_text(encoding="utf-8")


def _snapshot(data: dict) -> list[dict]:
    """Every exported row as it is in the database now (users by username)."""
    rows = []
    by_label = {m._meta.label_lower: m for m in EXPORTED_MODELS}
    for item in data["objects"]:
        model = by_label[item["model"]]
        obj = model._base_manager.get(pk=item["pk"])
        rows.extend(serializers.serialize("python", [obj], use_natural_foreign_keys=True))
    return rows


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.django_db(transaction=True)
def test_an_agreement_round_trips_through_an_empty_database(trees, tmp_path, media):
    agreement = trees.a.agreement
    first = _export(agreement.pk, tmp_path, "first.json")
    data = json.loads(first)
    before = _snapshot(data)
    labels = {item["model"] for item in data["objects"]}
    for model in EXPORTED_MODELS:
        assert model._meta.label_lower in labels, f"{model._meta.label} missing from the export"
    # Only A's tree: nothing of Bergsjö's.
    assert "Bergsjö" not in first

    call_command("flush", interactive=False, verbosity=0)
    assert not Agreement.objects.exists()

    call_command("import_agreement", str(tmp_path / "first.json"), "--with-users", verbosity=0)
    second = _export(agreement.pk, tmp_path, "second.json")
    assert second == first
    assert _snapshot(data) == before

    restored = Agreement.objects.get(pk=agreement.pk)
    assert restored.version == agreement.version
    assert restored.history.first().history_change_reason == RESTORED_REASON
    activity = Activity.objects.get(pk=trees.a.activity.pk)
    assert list(activity.sub_goals.values_list("pk", flat=True)) == [trees.a.sub_goal.pk]
    # New rows get fresh ids after the restored ones.
    new = FocusArea.objects.create(agreement=restored, position=9, title="Ny")
    assert new.pk > trees.a.focus_area.pk


@pytest.mark.django_db(transaction=True)
def test_a_signed_agreement_is_restored_signed_with_its_pdf(trees, tmp_path, media):
    signed = trees.a.signed_agreement
    signed.signed_pdf.save("signerad.pdf", ContentFile(b"%PDF-1.7\n%signed\n"), save=False)
    signed.signed_pdf_sha256 = "0" * 64
    signed.save()
    first = _export(signed.pk, tmp_path)
    stored_name = signed.signed_pdf.name

    call_command("flush", interactive=False, verbosity=0)
    (media / stored_name).unlink()

    call_command("import_agreement", str(tmp_path / "export.json"), "--with-users", verbosity=0)
    restored = Agreement.objects.get(pk=signed.pk)
    assert restored.status == AgreementStatus.SIGNED
    assert list(restored.other_parties.all()) == [trees.a.housing]
    assert (media / stored_name).read_bytes() == b"%PDF-1.7\n%signed\n"
    assert _export(signed.pk, tmp_path, "again.json") == first
    # Still immutable after the restore.
    focus = restored.focus_areas.get()
    focus.title = "Ändrad"
    with pytest.raises(AgreementLocked):
        focus.save()


def test_importing_twice_changes_nothing_and_a_clash_is_refused(trees, tmp_path):
    path = tmp_path / "export.json"
    call_command("export_agreement", str(trees.a.agreement.pk), "-o", str(path))
    # The rows are all there already and identical: nothing is created.
    call_command("import_agreement", str(path), verbosity=0)
    assert FocusArea.objects.filter(agreement=trees.a.agreement).count() == 1

    FocusArea.objects.filter(pk=trees.a.focus_area.pk).update(title="Ändrad efter export")
    with pytest.raises(CommandError, match="already exists with other content"):
        call_command("import_agreement", str(path), verbosity=0)
    assert FocusArea.objects.get(pk=trees.a.focus_area.pk).title == "Ändrad efter export"


def test_a_file_of_another_kind_is_refused(tmp_path, db):
    path = tmp_path / "other.json"
    path.write_text('{"format": "something-else"}')
    with pytest.raises(CommandError, match="Not a samverkan.agreement file"):
        call_command("import_agreement", str(path))


def test_an_unknown_agreement_is_a_clear_error(db):
    with pytest.raises(CommandError, match="no agreement with id 999999"):
        call_command("export_agreement", "999999")


def test_every_domain_model_is_either_exported_or_explicitly_left_out():
    exported = {m._meta.label for m in EXPORTED_MODELS}
    for app in DOMAIN_APPS:
        for model in apps.get_app_config(app).get_models():
            label = model._meta.label
            if label.split(".")[1].startswith("Historical"):
                continue
            assert label in exported or label in NOT_EXPORTED, (
                f"{label}: add it to dashboard.backup.EXPORTED_MODELS (or NOT_EXPORTED)"
            )


def test_passwords_are_not_exported(trees, coordinator, tmp_path):
    text = _export(trees.a.agreement.pk, tmp_path)
    data = json.loads(text)
    assert {u["username"] for u in data["users"]} >= {"kommunpolis-a", "samordnare-a"}
    assert coordinator.password and coordinator.password not in text
    assert "password" not in text


def _export_data(pk, tmp_path) -> dict:
    return json.loads(_export(pk, tmp_path))


def _write(tmp_path, data, name="altered.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def test_an_import_cannot_add_to_a_signed_agreement(trees, tmp_path):
    """Export, append rows under the signed agreement, import: refused, nothing changes."""
    signed = trees.a.signed_agreement
    data = _export_data(signed.pk, tmp_path)
    focus = next(i for i in data["objects"] if i["model"] == "agreements.focusarea")
    data["objects"].append(
        {**focus, "pk": 999_001, "fields": {**focus["fields"], "title": "Tillagd", "position": 9}}
    )
    sub_goal = {
        "model": "agreements.subgoal",
        "pk": 999_002,
        "fields": {
            "focus_area": focus["pk"],
            "position": 5,
            "text": "Smugglat delmål",
            "version": 1,
            "created_at": focus["fields"]["created_at"],
            "updated_at": focus["fields"]["updated_at"],
            "measured_by": "",
        },
    }
    data["objects"].append(sub_goal)
    with pytest.raises(CommandError, match="signed agreement"):
        call_command("import_agreement", _write(tmp_path, data), verbosity=0)
    assert list(signed.focus_areas.values_list("title", flat=True)) == ["Ungdomar"]
    assert not FocusArea.objects.filter(pk=999_001).exists()


def test_an_import_never_creates_a_superuser_nor_grants_access_to_existing_accounts(
    trees, tmp_path, outsider, media
):
    from django.contrib.auth import get_user_model

    from agreements.access import get_access
    from agreements.models import Membership

    User = get_user_model()
    data = _export_data(trees.a.agreement.pk, tmp_path)
    data["users"].append(
        {
            "username": "inkraktare",
            "first_name": "I",
            "last_name": "K",
            "email": "i@x.se",
            "is_active": True,
            "is_superuser": True,
            "is_staff": True,
            "password": "pbkdf2_sha256$x",
        }
    )
    data["objects"].append(
        {
            "model": "agreements.membership",
            "pk": 999_003,
            "fields": {
                "user": ["samordnare-b"],
                "organisation": trees.a.municipality.pk,
                "role": "coordinator",
                "created_at": "2025-01-01T00:00:00+00:00",
            },
        }
    )
    path = _write(tmp_path, data)
    # Without --with-users no user is created at all.
    call_command("import_agreement", path, verbosity=0)
    assert not User.objects.filter(username="inkraktare").exists()
    call_command("import_agreement", path, "--with-users", verbosity=0)
    created = User.objects.get(username="inkraktare")
    assert not created.is_superuser and not created.is_staff and not created.has_usable_password()
    assert not Membership.objects.filter(user=outsider, organisation=trees.a.municipality).exists()
    assert not get_access(User.objects.get(pk=outsider.pk)).is_coordinator_of(
        trees.a.municipality.pk
    )


def test_an_unchanged_export_reimports_when_a_forum_serves_two_agreements(trees, tmp_path):
    import datetime

    second = Agreement.objects.create(
        municipality=trees.a.municipality,
        police_area=trees.a.police_area,
        title="Andra avtalet",
        valid_from=datetime.date(2026, 1, 1),
        valid_to=datetime.date(2027, 12, 31),
    )
    trees.a.forum.agreements.add(second)
    path = tmp_path / "export.json"
    call_command("export_agreement", str(trees.a.agreement.pk), "-o", str(path))
    call_command("import_agreement", str(path), verbosity=0)  # no "other content" clash
    assert trees.a.forum.agreements.count() == 2


@pytest.mark.django_db(transaction=True)
def test_an_approved_report_is_restored_approved_with_its_updates_and_pdf(trees, tmp_path, media):
    from followup.choices import ReportStatus
    from followup.models import ActivityUpdate, FollowUpReport

    report = trees.a.report
    FollowUpReport._base_manager.filter(pk=report.pk).update(status=ReportStatus.SUBMITTED)
    report.refresh_from_db()
    report.approved_pdf.save("godkand.pdf", ContentFile(b"%PDF-1.7\n%approved\n"), save=False)
    FollowUpReport._base_manager.filter(pk=report.pk).update(
        status=ReportStatus.APPROVED, approved_pdf=report.approved_pdf.name
    )
    updates = sorted(ActivityUpdate.objects.filter(report=report).values_list("pk", flat=True))
    assert updates
    first = _export(trees.a.agreement.pk, tmp_path)
    call_command("flush", interactive=False, verbosity=0)
    (media / report.approved_pdf.name).unlink()

    call_command("import_agreement", str(tmp_path / "export.json"), "--with-users", verbosity=0)
    restored = FollowUpReport.objects.get(pk=report.pk)
    assert restored.status == ReportStatus.APPROVED
    assert sorted(restored.updates.values_list("pk", flat=True)) == updates
    assert (media / report.approved_pdf.name).read_bytes() == b"%PDF-1.7\n%approved\n"
    assert _export(trees.a.agreement.pk, tmp_path, "again.json") == first
