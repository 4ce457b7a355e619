"""Swedish sort order on PostgreSQL: Å, Ä, Ö come after Z."""

from django.db import connection

from agreements.models import Organisation


def test_organisations_sort_in_swedish_order(db):
    assert connection.vendor == "postgresql", "the suite runs on PostgreSQL (make test)"
    for name in [
        "Örebro kommun",
        "Alingsås kommun",
        "Älvsbyns kommun",
        "Åre kommun",
        "Zinkgruvan",
        "Vara kommun",
    ]:
        Organisation.objects.create(name=name)
    names = list(Organisation.objects.values_list("name", flat=True))
    assert names == [
        "Alingsås kommun",
        "Vara kommun",
        "Zinkgruvan",
        "Åre kommun",
        "Älvsbyns kommun",
        "Örebro kommun",
    ]
