"""Signed means signed in the database too (PostgreSQL; nothing to do on SQLite).

Triggers refuse, whatever the path (the ORM, ``_base_manager.update()``, raw SQL, psql):
changing a signed or superseded agreement other than its lifecycle (status forward,
publication, version), replacing its write-once proof (signing time, signed PDF, scan and
their hashes), deleting it, and any insert, change or delete in its tree (focus areas,
sub-goals, causes, commitments, signatories, further parties).
"""

from django.db import migrations

LOCKED = "('signed', 'superseded')"
LIFECYCLE = (
    "ARRAY['status', 'is_public', 'signed_at', 'signed_pdf', 'signed_pdf_sha256', "
    "'signed_scan', 'signed_scan_sha256', 'version', 'updated_at']"
)

AGREEMENT_GUARD = f"""
CREATE OR REPLACE FUNCTION samverkan_agreement_guard() RETURNS trigger AS $$
BEGIN
    IF OLD.status NOT IN {LOCKED} THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'samverkan: agreement % is signed and cannot be deleted', OLD.id;
    END IF;
    IF NOT (NEW.status = OLD.status OR (OLD.status = 'signed' AND NEW.status = 'superseded')) THEN
        RAISE EXCEPTION 'samverkan: agreement % is signed; its status only moves forward', OLD.id;
    END IF;
    IF (to_jsonb(NEW) - {LIFECYCLE}) IS DISTINCT FROM (to_jsonb(OLD) - {LIFECYCLE}) THEN
        RAISE EXCEPTION 'samverkan: agreement % is signed and cannot be changed', OLD.id;
    END IF;
    IF (OLD.signed_at IS NOT NULL AND NEW.signed_at IS DISTINCT FROM OLD.signed_at)
        OR (OLD.signed_pdf <> '' AND NEW.signed_pdf IS DISTINCT FROM OLD.signed_pdf)
        OR (OLD.signed_pdf_sha256 <> '' AND NEW.signed_pdf_sha256 IS DISTINCT FROM OLD.signed_pdf_sha256)
        OR (OLD.signed_scan <> '' AND NEW.signed_scan IS DISTINCT FROM OLD.signed_scan)
        OR (OLD.signed_scan_sha256 <> '' AND NEW.signed_scan_sha256 IS DISTINCT FROM OLD.signed_scan_sha256)
    THEN
        RAISE EXCEPTION 'samverkan: the proof of signing of agreement % is written once', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER samverkan_agreement_guard
    BEFORE UPDATE OR DELETE ON agreements_agreement
    FOR EACH ROW EXECUTE FUNCTION samverkan_agreement_guard();
"""

# TG_ARGV[0] names the column that leads up: agreement_id, or focus_area_id.
TREE_GUARD = f"""
CREATE OR REPLACE FUNCTION samverkan_tree_guard() RETURNS trigger AS $$
DECLARE
    ids bigint[] := ARRAY[]::bigint[];
BEGIN
    IF TG_OP = 'UPDATE' AND to_jsonb(NEW) = to_jsonb(OLD) THEN
        RETURN NEW;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        ids := ids || (to_jsonb(OLD) ->> TG_ARGV[0])::bigint;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        ids := ids || (to_jsonb(NEW) ->> TG_ARGV[0])::bigint;
    END IF;
    IF TG_ARGV[0] = 'focus_area_id' THEN
        SELECT coalesce(array_agg(agreement_id), ARRAY[]::bigint[]) INTO ids
        FROM agreements_focusarea WHERE id = ANY(ids);
    END IF;
    IF EXISTS (SELECT 1 FROM agreements_agreement WHERE id = ANY(ids) AND status IN {LOCKED}) THEN
        RAISE EXCEPTION 'samverkan: % belongs to a signed agreement and cannot change', TG_TABLE_NAME;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

TREE_TABLES = {
    "agreements_focusarea": "agreement_id",
    "agreements_subgoal": "focus_area_id",
    "agreements_cause": "focus_area_id",
    "agreements_commitment": "agreement_id",
    "agreements_signatory": "agreement_id",
    "agreements_agreement_other_parties": "agreement_id",
}


def tree_trigger(table: str, column: str) -> str:
    return (
        f"CREATE TRIGGER samverkan_tree_guard BEFORE INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION samverkan_tree_guard('{column}');"
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(AGREEMENT_GUARD, params=None)
    schema_editor.execute(TREE_GUARD, params=None)
    for table, column in TREE_TABLES.items():
        schema_editor.execute(tree_trigger(table, column), params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TREE_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS samverkan_tree_guard ON {table};")
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS samverkan_agreement_guard ON agreements_agreement;"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS samverkan_agreement_guard();")
    schema_editor.execute("DROP FUNCTION IF EXISTS samverkan_tree_guard();")


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_organisation_police_area")]

    operations = [migrations.RunPython(forwards, backwards)]
