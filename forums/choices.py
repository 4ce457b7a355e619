from django.db import models
from django.utils.translation import gettext_lazy as _


class ForumKind(models.TextChoices):
    STRATEGIC_COUNCIL = "strategic_council", _("Strategic council under Act (2023:196)")
    MANAGEMENT_GROUP = "management_group", _("Management group")
    COORDINATION_GROUP = "coordination_group", _("Coordination group")
    OPERATIONAL = "operational", _("Operational forum")
    WORKING_GROUP = "working_group", _("Working group")
    #: A group that fits none of the kinds above; the forum names its own (``kind_label``).
    OTHER = "other", _("Other")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    BIWEEKLY = "biweekly", _("Every other week")
    MONTHLY = "monthly", _("Monthly")
    BIMONTHLY = "bimonthly", _("Every other month")
    QUARTERLY = "quarterly", _("Quarterly")
    TERTIAL = "tertial", _("Three times a year")
    SEMIANNUAL = "semiannual", _("Twice a year")
    YEARLY = "yearly", _("Yearly")
    AS_NEEDED = "as_needed", _("As needed")
