"""Reports approved before approval froze them: freeze them now, as they stand.

Their activity set is taken as of this migration (the best record there is) and their
approval time is the time of their last change.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    report_model = apps.get_model("followup", "FollowUpReport")
    activity_model = apps.get_model("actionplans", "Activity")
    for report in report_model.objects.filter(status="approved", frozen_activity_ids__isnull=True):
        if report.plan_id:
            activities = activity_model.objects.filter(plan_id=report.plan_id)
        else:
            activities = activity_model.objects.filter(plan__agreement_id=report.agreement_id)
        report_model.objects.filter(pk=report.pk).update(
            frozen_activity_ids=sorted(activities.values_list("pk", flat=True)),
            approved_at=report.updated_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0005_approved_report_is_a_record"),
        ("actionplans", "0005_review_returned_needs_comment"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
