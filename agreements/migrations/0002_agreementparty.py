"""Make the table behind Agreement.other_parties an explicit model (state only).

The table ``agreements_agreement_other_parties`` stays as it is; the model lets
its rows refuse changes once the agreement is signed (agreements.locking).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AgreementParty",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "agreement",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="agreements.agreement",
                                verbose_name="agreement",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="agreements.organisation",
                                verbose_name="organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "further party",
                        "verbose_name_plural": "further parties",
                        "db_table": "agreements_agreement_other_parties",
                        "ordering": ["agreement", "organisation__name"],
                        "unique_together": {("agreement", "organisation")},
                    },
                ),
                migrations.AlterField(
                    model_name="agreement",
                    name="other_parties",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="party_agreements",
                        through="agreements.AgreementParty",
                        to="agreements.organisation",
                        verbose_name="other parties",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
