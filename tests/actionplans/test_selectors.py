"""The action-plan selectors called directly: which plan is "the plan we work by now"."""

import datetime

import pytest

from actionplans import selectors
from tests.followup.factories import FollowupPlanFactory

d = datetime.date
TODAY = d(2026, 3, 1)


@pytest.mark.parametrize(
    ("ongoing", "starting", "expected"),
    [
        # A plan that starts today is in force today: the later start of two in force wins.
        ((d(2024, 1, 1), d(2027, 12, 31)), (TODAY, d(2027, 12, 31)), "starting"),
        # A plan that ends today is still in force: it beats the one coming tomorrow.
        ((d(2024, 1, 1), TODAY), (TODAY + datetime.timedelta(days=1), d(2027, 12, 31)), "ongoing"),
    ],
    ids=["starts-today", "ends-today"],
)
def test_the_current_plan_counts_its_first_and_last_day(
    world, coordinator, ongoing, starting, expected
):
    plans = {
        "ongoing": FollowupPlanFactory(
            agreement=world.agreement, title="Pågående", valid_from=ongoing[0], valid_to=ongoing[1]
        ),
        "starting": FollowupPlanFactory(
            agreement=world.agreement, title="Ny", valid_from=starting[0], valid_to=starting[1]
        ),
    }
    assert selectors.current_plans(coordinator, today=TODAY) == [plans[expected]]
