"""Choices shared by several apps: one name per idea, in code, UI and translations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewState(models.TextChoices):
    """Where something written for review stands: an activity of the action plan (reviewed
    by the police), a follow-up update (approved by the coordinator or the police).

    draft → submitted → returned (for changes) → submitted … → approved.
    """

    DRAFT = "draft", _("Not submitted")
    SUBMITTED = "submitted", _("Awaiting review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")


class ReviewDecision(models.TextChoices):
    """What a reviewer decides: approve, return for changes, or only comment."""

    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")
    COMMENT = "comment", _("Comment")
