from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")


class UpdateStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DELAYED = "delayed", _("Delayed")
    DONE = "done", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


DEVIATING_STATUSES = (UpdateStatus.AT_RISK, UpdateStatus.DELAYED)


class Rhythm(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    TERTIAL = "tertial", _("Every four months (tertial)")
    INTERIM_AND_ANNUAL = "interim_annual", _("Interim report 2 and full year")
    YEARLY = "yearly", _("Yearly")
    CUSTOM = "custom", _("Custom")


class IndicatorSource(models.TextChoices):
    NTU = "ntu", _("Swedish Crime Survey (NTU)")
    POLICE_SURVEY = "police_survey", _("Police safety survey")
    OPEN_COMPARISONS = "open_comparisons", _("Open comparisons")
    SCHOOL_SURVEY = "school_survey", _("School survey")
    LIFE_HEALTH_YOUNG = "life_health_young", _("Liv & hälsa ung")
    POLICE_STATISTICS = "police_statistics", _("Police crime statistics")
    OTHER = "other", _("Other")
