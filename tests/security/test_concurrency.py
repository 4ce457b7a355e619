"""Two people save the same activity at the same moment: one wins, the other is told."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from actionplans.models import Activity
from core.forms import VersionedModelForm
from core.models import StaleVersionError


class ActivityTitleForm(VersionedModelForm):
    class Meta:
        model = Activity
        fields = ["title", "status"]


def _save_in_thread(pk, version, title, barrier, results, key):
    try:
        activity = Activity.objects.get(pk=pk)
        form = ActivityTitleForm(
            data={"title": title, "status": activity.status, "version_token": version},
            instance=activity,
        )
        assert form.is_valid(), form.errors
        barrier.wait(timeout=10)
        form.save()
        results[key] = "saved"
    except StaleVersionError as exc:
        results[key] = exc
    except Exception as exc:  # pragma: no cover - reported by the assertion below
        results[key] = exc
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_one_wins_and_the_other_is_refused(trees):
    assert connection.vendor == "postgresql"
    activity = trees.a.activity
    start = activity.version
    history_before = activity.history.count()
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}
    threads = [
        threading.Thread(
            target=_save_in_thread,
            args=(activity.pk, start, f"Titel från {who}", barrier, results, who),
        )
        for who in ("Anna", "Bo")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    outcomes = sorted(results.values(), key=lambda r: r != "saved")
    assert outcomes[0] == "saved", results
    assert isinstance(outcomes[1], StaleVersionError), results
    winner = next(who for who, r in results.items() if r == "saved")
    loser_error = next(r for r in results.values() if r != "saved")
    assert loser_error.expected == start
    assert loser_error.current == start + 1

    activity.refresh_from_db()
    assert activity.title == f"Titel från {winner}"  # the winner's save is intact
    assert activity.version == start + 1  # exactly one save went through
    assert activity.history.count() == history_before + 1

    # The loser, told of the conflict, saves again on the current version and succeeds.
    loser = "Bo" if winner == "Anna" else "Anna"
    form = ActivityTitleForm(
        data={
            "title": f"Titel från {loser}",
            "status": activity.status,
            "version_token": activity.version,
        },
        instance=activity,
    )
    assert form.is_valid()
    form.save()
    activity.refresh_from_db()
    assert activity.title == f"Titel från {loser}"
    assert activity.version == start + 2
