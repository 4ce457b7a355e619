"""How the progress of activities rolls up to sub-goals and focus areas.

The roll-up is deliberately simple and stated on the plan page:

* an activity counts unless it is cancelled;
* its progress is the latest *approved* follow-up update's progress, when it
  has one, and otherwise follows from its status: completed 100 %, in progress
  50 %, planned or delayed 0 %;
* a sub-goal's or focus area's progress is the plain average over the
  activities that count.

Progress says how far the activities have come — never that a goal is reached.
Whether a goal is reached is what the indicators of the situation picture show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .choices import ActivityStatus

STATUS_PROGRESS: dict[str, int] = {
    ActivityStatus.DONE: 100,
    ActivityStatus.IN_PROGRESS: 50,
    ActivityStatus.PLANNED: 0,
    ActivityStatus.DELAYED: 0,
}

# ActivityUpdate (followup app, downstream of this one) marks reviewed updates so.
APPROVED_UPDATE_STATE = "approved"


@dataclass(frozen=True)
class Rollup:
    """The average progress over the activities that count."""

    counted: int = 0
    excluded: int = 0
    total_progress: int = 0

    @property
    def percent(self) -> int | None:
        if not self.counted:
            return None
        return round(self.total_progress / self.counted)


def latest_approved_update(activity):
    """The latest approved follow-up update, from a prefetched ``approved_updates`` list."""
    updates = getattr(activity, "approved_updates", None)
    if not updates:
        return None
    return updates[0]


def activity_progress(activity) -> int | None:
    """The progress (0–100) of one activity, or ``None`` when it does not count."""
    if activity.status == ActivityStatus.CANCELLED:
        return None
    update = latest_approved_update(activity)
    if update is not None:
        return int(update.progress)
    return STATUS_PROGRESS.get(activity.status, 0)


def rollup(activities: Iterable) -> Rollup:
    counted = excluded = total = 0
    for activity in activities:
        value = activity_progress(activity)
        if value is None:
            excluded += 1
        else:
            counted += 1
            total += value
    return Rollup(counted=counted, excluded=excluded, total_progress=total)
