"""What this app contributes to pages it does not own: the start page and agreement history."""

from __future__ import annotations

from agreements.access import get_access

from .models import ActionPlan, Activity, ActivityRole, Review

# The agreement's history page takes one queryset of historical records per source.


def plan_history(agreement):
    """Historical records of the agreement's action plans."""
    return ActionPlan.history.filter(agreement_id=agreement.pk)


def activity_history(agreement):
    """Historical records of every activity that was ever in one of the agreement's plans."""
    return Activity.history.filter(plan__agreement_id=agreement.pk)


def _activity_ids(agreement):
    return Activity.history.filter(plan__agreement_id=agreement.pk).values("id")


def role_history(agreement):
    """Historical records of the parties' roles in those activities."""
    return ActivityRole.history.filter(activity_id__in=_activity_ids(agreement))


def review_history(agreement):
    """Historical records of the reviews of those activities."""
    return Review.history.filter(activity_id__in=_activity_ids(agreement))


HISTORY_SOURCES = (plan_history, activity_history, role_history, review_history)


def home_panel(request):
    """Coordinators: open change requests. Police: how many activities await review."""
    from .selectors import open_change_requests, review_queue

    user = request.user
    access = get_access(user)
    context = {}
    if access.coordinator_org_ids or access.edits_everything:
        requests = open_change_requests(user)
        context["change_requests"] = list(requests[:10])
        context["change_request_count"] = (
            len(context["change_requests"])
            if len(context["change_requests"]) < 10
            else requests.count()
        )
        context["is_coordinator"] = True
    if access.police_org_ids or access.edits_everything:
        context["queue_count"] = review_queue(user).count()
        context["is_police"] = True
    if not context:
        return None
    return {"template": "actionplans/includes/_home_panel.html", "context": context, "order": 30}
