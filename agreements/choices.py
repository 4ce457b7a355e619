"""Choices for the agreements app. Values are stable English codes; labels are translated."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    POLICE_AREA = "police_area", _("Local police area")
    POLICE_REGION = "police_region", _("Police region")
    DEPARTMENT = "department", _("Administration or department")
    COMPANY = "company", _("Municipal company or housing company")
    RESCUE = "rescue", _("Rescue service")
    REGION = "region", _("Region")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Safety coordinator")
    POLICE = "police", _("Community police officer")
    COUNCIL_MEMBER = "council_member", _("Council member")
    VIEWER = "viewer", _("Reader")
    # A förvaltning, avdelning or bolag reports on the activities it is responsible for.
    REPORTER = "reporter", _("Reporter for the unit")


class PoliceClassification(models.TextChoices):
    NONE = "none", _("Not classified")
    RISK = "risk", _("Risk area")
    VULNERABLE = "vulnerable", _("Vulnerable area")
    ESPECIALLY_VULNERABLE = "especially_vulnerable", _("Especially vulnerable area")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("Under review")
    # "beslutad": decided by the municipality and the police, not yet signed.
    APPROVED = "approved", pgettext_lazy("agreement status", "Approved")
    SIGNED = "signed", _("Signed")
    SUPERSEDED = "superseded", _("Superseded")


LOCKED_STATUSES = (AgreementStatus.SIGNED, AgreementStatus.SUPERSEDED)
#: Statuses in which the agreement's content may still be edited.
EDITABLE_STATUSES = (AgreementStatus.DRAFT, AgreementStatus.REVIEW)


class InForce(models.TextChoices):
    CURRENT = "current", _("In force")
    UPCOMING = "upcoming", _("Upcoming")
    EXPIRED = "expired", _("Expired")


class FocusAreaKind(models.TextChoices):
    CRIME_PREVENTION = "crime_prevention", _("Crime prevention")
    SAFETY = "safety", _("Safety promotion")
    BOTH = "both", _("Crime prevention and safety promotion")


class PromiseStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("In progress")
    FULFILLED = "fulfilled", _("Fulfilled")
    PARTLY_FULFILLED = "partly_fulfilled", _("Partly fulfilled")
    NOT_FULFILLED = "not_fulfilled", _("Not fulfilled")


class AgreementSection(models.TextChoices):
    """The agreement's own sections, as a remiss comment names them."""

    WHOLE = "whole", _("The agreement as a whole")
    BACKGROUND = "background", _("Background and situation picture")
    PURPOSE = "purpose", _("Purpose and overall goal")
    COMMITMENTS = "commitments", _("Commitments for the whole agreement")
    ORGANISATION = "organisation", _("Organisation and forums")
    FOLLOWUP = "followup", _("Follow-up")
    BUDGET = "budget", _("Budget and resources")
    COMMUNICATION = "communication", _("Communication")
    DECISION = "decision", _("Decision")
    SIGNATORIES = "signatories", _("Signatories")
    ATTACHMENTS = "attachments", _("Attachments")
