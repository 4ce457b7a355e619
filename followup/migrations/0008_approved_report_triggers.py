"""Approved means approved in the database too (PostgreSQL; nothing to do on SQLite).

Triggers refuse, whatever the path (the ORM, ``_base_manager.update()``, raw SQL, psql):
deleting an approved report; changing anything of it but its lifecycle (reopening — back to
submitted, with a reason — and the bookkeeping columns ``version`` and ``updated_at``);
rewriting an approved report's record (approval time, snapshot, stored PDF) while it stays
approved; and any insert, change or delete of an update in an approved report, except the
derived ``is_latest`` flag (kept current when later reports are written).
"""

from django.db import migrations

LIFECYCLE = (
    "ARRAY['status', 'approved_at', 'approved_by_id', 'frozen_activity_ids', 'snapshot', "
    "'approved_pdf', 'approved_pdf_sha256', 'reopened_at', 'reopened_by_id', 'reopen_reason', "
    "'version', 'updated_at']"
)
BOOKKEEPING = "ARRAY['version', 'updated_at']"

REPORT_GUARD = f"""
CREATE OR REPLACE FUNCTION samverkan_report_guard() RETURNS trigger AS $$
BEGIN
    IF OLD.status <> 'approved' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'samverkan: report % is approved and cannot be deleted', OLD.id;
    END IF;
    IF (to_jsonb(NEW) - {LIFECYCLE}) IS DISTINCT FROM (to_jsonb(OLD) - {LIFECYCLE}) THEN
        RAISE EXCEPTION 'samverkan: report % is approved and cannot be changed', OLD.id;
    END IF;
    IF NEW.status = 'approved'
        AND (to_jsonb(NEW) - {BOOKKEEPING}) IS DISTINCT FROM (to_jsonb(OLD) - {BOOKKEEPING}) THEN
        RAISE EXCEPTION 'samverkan: the record of approved report % is written once', OLD.id;
    END IF;
    IF NEW.status <> 'approved' AND (NEW.status <> 'submitted' OR NEW.reopen_reason = '') THEN
        RAISE EXCEPTION 'samverkan: report % is reopened only to submitted, with a reason', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER samverkan_report_guard
    BEFORE UPDATE OR DELETE ON followup_followupreport
    FOR EACH ROW EXECUTE FUNCTION samverkan_report_guard();
"""

UPDATE_GUARD = """
CREATE OR REPLACE FUNCTION samverkan_report_update_guard() RETURNS trigger AS $$
DECLARE
    ids bigint[] := ARRAY[]::bigint[];
BEGIN
    IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - 'is_latest') = (to_jsonb(OLD) - 'is_latest') THEN
        RETURN NEW;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN ids := ids || OLD.report_id; END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN ids := ids || NEW.report_id; END IF;
    IF EXISTS (SELECT 1 FROM followup_followupreport WHERE id = ANY(ids) AND status = 'approved') THEN
        RAISE EXCEPTION 'samverkan: the update belongs to an approved report and cannot change';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER samverkan_report_update_guard
    BEFORE INSERT OR UPDATE OR DELETE ON followup_activityupdate
    FOR EACH ROW EXECUTE FUNCTION samverkan_report_update_guard();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(REPORT_GUARD, params=None)
    schema_editor.execute(UPDATE_GUARD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS samverkan_report_update_guard ON followup_activityupdate;"
    )
    schema_editor.execute("DROP TRIGGER IF EXISTS samverkan_report_guard ON followup_followupreport;")
    schema_editor.execute("DROP FUNCTION IF EXISTS samverkan_report_update_guard();")
    schema_editor.execute("DROP FUNCTION IF EXISTS samverkan_report_guard();")


class Migration(migrations.Migration):
    dependencies = [("followup", "0007_approved_record_snapshot_and_reporting")]

    operations = [migrations.RunPython(forwards, backwards)]
