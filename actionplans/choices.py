from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Completed")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


class ActivityKind(models.TextChoices):
    SITUATIONAL = "situational", _("Situational")
    SOCIAL = "social", _("Social")
    BOTH = "both", _("Situational and social")


class EffectHorizon(models.TextChoices):
    SHORT = "short", _("Short term")
    LONG = "long", _("Long term")


class PartyRole(models.TextChoices):
    LEADS = "leads", _("Coordinates / leads")
    INITIATES = "initiates", _("Initiates")
    PARTICIPATES = "participates", _("Participates")
    COLLABORATES = "collaborates", _("Collaborates")
    SUPPORTS = "supports", _("Supports")
    COMMUNICATES = "communicates", _("Communicates")
