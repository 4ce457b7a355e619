"""A signed agreement's forums are frozen in the database too (PostgreSQL only).

Uses the tree guard of ``agreements.0004``: linking a forum to, or unlinking it from, a
signed or superseded agreement is refused whatever the path.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE TRIGGER samverkan_tree_guard BEFORE INSERT OR UPDATE OR DELETE "
        "ON forums_forum_agreements FOR EACH ROW EXECUTE FUNCTION samverkan_tree_guard('agreement_id');"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS samverkan_tree_guard ON forums_forum_agreements;")


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0004_locked_agreement_triggers"),
        ("forums", "0002_calendartoken_forumseat_active_from_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
