"""The remiss: the police area comments on the draft, item by item, and records its approval.

While the agreement is *på remiss* the police of its police area (and the municipality's
coordinator) comment on its sections, focus areas, sub-goals and commitments; the
coordinator answers and marks each comment handled; the police record their area's
approval of the draft as it then reads. Both belong to the agreement's tree: once it is
signed they are kept, unchanged, in its history (model layer and, on PostgreSQL, a trigger).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import DomainModel

from .. import access as rules
from ..choices import AgreementSection
from ..locking import LockedTreeModel, LockedTreeQuerySet
from .agreement import Agreement, Commitment, FocusArea, SubGoal
from .organisations import Organisation


class RemissQuerySet(LockedTreeQuerySet):
    """Remiss rows, seen by those who take part in the remiss (coordinator, the area's police)."""

    def visible_to(self, user):
        return self.filter(rules.takes_part_in_remiss(user, "agreement__"))

    def editable_by(self, user):
        """Comments the coordinator handles (answers, marks handled)."""
        return self.filter(rules.edits_agreements(user, "agreement__", any_status=True))


#: The item a comment is about: (kind, field) in the order the document shows them.
ITEM_FIELDS = ("focus_area", "sub_goal", "commitment")


class RemissComment(LockedTreeModel, DomainModel):
    """A comment on one item of a draft agreement, written during its remiss.

    The item is either one of the agreement's sections (``section``) or one of its focus
    areas, sub-goals or commitments. ``item_label`` keeps what the item read when the
    comment was written, so the comment still makes sense if the item is removed later.
    """

    agreement_path = "agreement"

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="remiss_comments",
    )
    section = models.CharField(
        _("section"), max_length=20, choices=AgreementSection.choices, blank=True
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="remiss_comments",
    )
    sub_goal = models.ForeignKey(
        SubGoal,
        verbose_name=_("sub-goal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="remiss_comments",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="remiss_comments",
    )
    item_label = models.CharField(_("about"), max_length=300)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(
        _("comment"), help_text=_("Do not write personal data about individuals here.")
    )
    resolved_at = models.DateTimeField(_("handled"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True)

    objects = RemissQuerySet.as_manager()

    class Meta:
        verbose_name = _("remiss comment")
        verbose_name_plural = _("remiss comments")
        ordering = ["agreement", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(focus_area__isnull=False, sub_goal__isnull=False)
                & ~Q(focus_area__isnull=False, commitment__isnull=False)
                & ~Q(sub_goal__isnull=False, commitment__isnull=False)
                & (
                    Q(section="")
                    | Q(focus_area__isnull=True, sub_goal__isnull=True, commitment__isnull=True)
                ),
                name="remisscomment_one_item",
                violation_error_message=_("A comment is about one item."),
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolved_by__isnull=True)
                | Q(resolved_at__isnull=False, resolved_by__isnull=False),
                name="remisscomment_resolved_by_someone",
                violation_error_message=_("A handled comment names who handled it."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_label[:60]}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return f"{reverse('agreements:detail', args=[self.agreement_id])}#remiss-comment-{self.pk}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def item_key(self) -> str:
        """``focus_area:12``, ``sub_goal:3``, ``commitment:7`` or ``section:background``;
        ``removed`` when the item it was about has been removed since."""
        for name in ITEM_FIELDS:
            pk = getattr(self, f"{name}_id")
            if pk is not None:
                return f"{name}:{pk}"
        return f"section:{self.section}" if self.section else "removed"

    def clean(self):
        super().clean()
        if not self.agreement_id:
            return
        for name in ITEM_FIELDS:
            item = getattr(self, name) if getattr(self, f"{name}_id") else None
            if item is None:
                continue
            owner = item.focus_area.agreement_id if name == "sub_goal" else item.agreement_id
            if owner != self.agreement_id:
                raise ValidationError({name: _("The item belongs to another agreement.")})


class RemissApproval(LockedTreeModel, DomainModel):
    """The police area's approval of the draft, recorded by one of its police.

    ``content_fingerprint`` is the draft's content as approved
    (:func:`agreements.signing.content_fingerprint`): when the draft changes afterwards the
    approval is shown as given to an earlier version.
    """

    agreement_path = "agreement"

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="remiss_approvals",
    )
    police_area = models.ForeignKey(
        Organisation,
        verbose_name=_("local police area"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"))
    note = models.TextField(_("note"), blank=True)
    content_fingerprint = models.CharField(_("content approved"), max_length=64)

    objects = RemissQuerySet.as_manager()

    class Meta:
        verbose_name = _("police approval of the draft")
        verbose_name_plural = _("police approvals of the draft")
        ordering = ["agreement", "-approved_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.police_area} {self.approved_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return f"{reverse('agreements:detail', args=[self.agreement_id])}#remiss"
