"""One review vocabulary (core.choices.ReviewState / ReviewDecision) for activities and
follow-up updates: draft → submitted → returned → approved.

Activity.review_status becomes review_state, like ActivityUpdate's; its values
not_submitted/pending/changes_requested become draft/submitted/returned, and a review's
decision changes_requested becomes returned — in the rows and in their history.
"""

from django.db import migrations, models

STATE_FIELD = models.CharField(
    choices=[
        ("draft", "Not submitted"),
        ("submitted", "Awaiting review"),
        ("returned", "Returned for changes"),
        ("approved", "Approved"),
    ],
    db_index=True,
    default="draft",
    max_length=20,
    verbose_name="review state",
)
DECISION_FIELD = models.CharField(
    choices=[
        ("approved", "Approved"),
        ("returned", "Returned for changes"),
        ("comment", "Comment"),
    ],
    max_length=20,
    verbose_name="decision",
)


class Migration(migrations.Migration):
    dependencies = [("actionplans", "0002_activity_list_indexes")]

    operations = [
        migrations.RemoveConstraint(model_name="review", name="review_changes_need_comment"),
        migrations.RenameField("activity", "review_status", "review_state"),
        migrations.RenameField("historicalactivity", "review_status", "review_state"),
        migrations.AlterField(model_name="activity", name="review_state", field=STATE_FIELD),
        migrations.AlterField(
            model_name="historicalactivity", name="review_state", field=STATE_FIELD
        ),
        migrations.AlterField(model_name="review", name="decision", field=DECISION_FIELD),
        migrations.AlterField(model_name="historicalreview", name="decision", field=DECISION_FIELD),
    ]
