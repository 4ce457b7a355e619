"""One review vocabulary, the rows: old values become the new ones (see 0003).

One review vocabulary (core.choices.ReviewState / ReviewDecision) for activities and
follow-up updates: draft → submitted → returned → approved.

Activity.review_status becomes review_state, like ActivityUpdate's; its values
not_submitted/pending/changes_requested become draft/submitted/returned, and a review's
decision changes_requested becomes returned — in the rows and in their history.
"""

from django.db import migrations

STATES = {"not_submitted": "draft", "pending": "submitted", "changes_requested": "returned"}
DECISIONS = {"changes_requested": "returned"}


def forwards(apps, schema_editor):
    for model_name in ("Activity", "HistoricalActivity"):
        model = apps.get_model("actionplans", model_name)
        for old, new in STATES.items():
            model._base_manager.filter(review_state=old).update(review_state=new)
    for model_name in ("Review", "HistoricalReview"):
        model = apps.get_model("actionplans", model_name)
        for old, new in DECISIONS.items():
            model._base_manager.filter(decision=old).update(decision=new)


def backwards(apps, schema_editor):
    for model_name in ("Activity", "HistoricalActivity"):
        model = apps.get_model("actionplans", model_name)
        for old, new in STATES.items():
            model._base_manager.filter(review_state=new).update(review_state=old)
    for model_name in ("Review", "HistoricalReview"):
        model = apps.get_model("actionplans", model_name)
        for old, new in DECISIONS.items():
            model._base_manager.filter(decision=new).update(decision=old)


class Migration(migrations.Migration):
    dependencies = [("actionplans", "0003_one_review_vocabulary")]

    operations = [migrations.RunPython(forwards, backwards)]
