"""Admin: reports with their updates inline, indicators with their values inline."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import RefuseLockedDeletionMixin

from .choices import ReportStatus
from .models import ActivityUpdate, FollowUpReport, FollowUpRhythm, Indicator, IndicatorValue


class ActivityUpdateInline(admin.StackedInline):
    model = ActivityUpdate
    extra = 0
    raw_id_fields = ["activity", "author", "reviewed_by"]
    fields = [
        "activity",
        ("status", "progress", "review_state"),
        "done",
        "collaborated_with",
        "effects",
        "deviation",
        "remedy",
        ("author", "reviewed_by", "reviewed_at"),
        "review_comment",
    ]

    def has_add_permission(self, request, obj=None):
        return not _approved(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _approved(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _approved(obj) and super().has_delete_permission(request, obj)


def _approved(report) -> bool:
    return report is not None and report.status == ReportStatus.APPROVED


@admin.register(FollowUpReport)
class FollowUpReportAdmin(RefuseLockedDeletionMixin, SimpleHistoryAdmin):
    list_display = ["title", "agreement", "period_start", "period_end", "due_date", "status"]
    list_filter = ["status", "agreement__municipality"]
    search_fields = ["title", "agreement__title", "summary"]
    date_hierarchy = "period_end"
    raw_id_fields = ["agreement", "plan", "presented_to"]
    list_select_related = ["agreement"]
    inlines = [ActivityUpdateInline]

    def has_change_permission(self, request, obj=None):
        # An approved report opens view-only: it is reopened (with a reason) in the product.
        return not _approved(obj) and super().has_change_permission(request, obj)


@admin.register(ActivityUpdate)
class ActivityUpdateAdmin(RefuseLockedDeletionMixin, SimpleHistoryAdmin):
    list_display = ["activity", "report", "status", "progress", "review_state"]
    list_filter = ["status", "review_state"]
    search_fields = ["activity__title", "report__title", "done", "deviation"]
    raw_id_fields = ["report", "activity", "author", "reviewed_by"]
    list_select_related = ["activity", "report"]

    def has_change_permission(self, request, obj=None):
        return not (obj is not None and _approved(obj.report)) and super().has_change_permission(
            request, obj
        )


@admin.register(FollowUpRhythm)
class FollowUpRhythmAdmin(SimpleHistoryAdmin):
    list_display = ["agreement", "rhythm", "due_days", "forum"]
    list_filter = ["rhythm"]
    raw_id_fields = ["agreement", "forum", "annual_forum"]
    list_select_related = ["agreement", "forum"]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0
    raw_id_fields = ["area"]
    fields = ["period_start", "period_end", "area", "value", "note"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "municipality", "source", "unit", "higher_is_better", "target"]
    list_filter = ["source", "municipality"]
    search_fields = ["name", "description", "municipality__name"]
    raw_id_fields = ["municipality"]
    filter_horizontal = ["sub_goals"]
    list_select_related = ["municipality"]
    inlines = [IndicatorValueInline]
