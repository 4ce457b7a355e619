"""Building blocks every domain model shares: history and optimistic concurrency.

Every domain model in Samverkan inherits :class:`DomainModel`. It gets

* ``history`` — a django-simple-history table (who, when, what); the request's
  user is recorded by ``HistoryRequestMiddleware``;
* ``version`` — a counter raised on every save. Edit forms carry the version
  they were loaded with; :func:`check_version` refuses a save based on an older
  one, so concurrent edits never silently overwrite each other.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# ---------------------------------------------------------------------------
# The input policy: one range for every date, one limit for every free text.
# Models enforce it (full_clean, and save as the last guard), and every form
# built on AccessibleFormMixin applies it to its fields, so no path lets a date
# in year 1 (which PostgreSQL cannot shift to local time) or a megabyte of
# text (which makes a PDF take many seconds) through.
# ---------------------------------------------------------------------------

#: The longest free text accepted in any text field (a long agreement section fits easily).
MAX_TEXT = 20_000
EARLIEST = datetime.date(1990, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def date_range_error() -> ValidationError:
    return ValidationError(
        _("Enter a date between %(start)s and %(end)s."),
        params={"start": EARLIEST.isoformat(), "end": LATEST.isoformat()},
        code="date_range",
    )


def validate_reasonable_date(value) -> None:
    """Refuse dates (and date-times) outside :data:`EARLIEST` – :data:`LATEST`."""
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not (EARLIEST <= value <= LATEST):
        raise date_range_error()


def text_too_long_error(limit: int) -> ValidationError:
    return ValidationError(
        _("Keep the text to at most %(limit)s characters."),
        params={"limit": limit},
        code="max_length",
    )


def policy_errors(instance: models.Model, exclude=()) -> dict[str, list[ValidationError]]:
    """Where ``instance`` breaks the input policy, per field."""
    errors: dict[str, list[ValidationError]] = {}
    for f in instance._meta.concrete_fields:
        if f.name in (exclude or ()) or getattr(f, "auto_now", False):
            continue
        if getattr(f, "auto_now_add", False):
            continue
        value = getattr(instance, f.attname)
        if value in (None, ""):
            continue
        if isinstance(f, models.DateField):  # DateTimeField too
            try:
                value = f.to_python(value)  # a string from a factory or a fixture
            except ValidationError:
                continue  # the field's own validation reports it
            try:
                validate_reasonable_date(value)
            except ValidationError as error:
                errors.setdefault(f.name, []).append(error)
        elif isinstance(f, models.CharField | models.TextField) and isinstance(value, str):
            if "\x00" in value:  # PostgreSQL cannot store it; forms refuse it as well
                errors.setdefault(f.name, []).append(
                    ValidationError(_("Null characters are not allowed."), code="null_characters")
                )
            limit = f.max_length or MAX_TEXT
            if isinstance(f, models.TextField) and len(value) > limit:
                errors.setdefault(f.name, []).append(text_too_long_error(limit))
    return errors


class RecordLocked(PermissionDenied):
    """Raised on any attempt to change a record that is final (a signed agreement and
    everything under it, an approved report). Views show its message and change nothing."""


class StaleVersionError(Exception):
    """Raised when a save is based on a version that is no longer current."""

    def __init__(self, instance: models.Model, expected: int, current: int):
        self.instance = instance
        self.expected = expected
        self.current = current
        super().__init__(f"{instance!r}: edited version {expected}, current {current}")


class DomainModel(models.Model):
    """Abstract base: history, timestamps and a version counter."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(inherit=True, excluded_fields=["updated_at"])

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The last guard for paths that skip full_clean (imports, the shell, raw saves).
        errors = policy_errors(self)
        if errors:
            raise ValidationError(errors)
        if self.pk is not None and not kwargs.get("update_fields"):
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, found in policy_errors(self, exclude or ()).items():
            if name not in errors:
                errors[name] = found
        if errors:
            raise ValidationError(errors)


def check_version(instance: DomainModel, submitted_version: int | None) -> None:
    """Lock the row and raise :class:`StaleVersionError` if it moved on since ``submitted_version``.

    Call inside ``transaction.atomic()``; the row stays locked until commit, so two
    concurrent saves of the same version cannot both pass.
    """
    if instance.pk is None:
        return
    if submitted_version in (None, ""):
        # A form posted without the version it started from is refused, never waved
        # through: it could silently overwrite someone else's save.
        raise StaleVersionError(instance, 0, instance.version)
    current = (
        type(instance)
        ._base_manager.select_for_update()
        .filter(pk=instance.pk)
        .values_list("version", flat=True)
        .first()
    )
    if current is not None and current != int(submitted_version):
        raise StaleVersionError(instance, int(submitted_version), current)


class PdfJob(models.Model):
    """A PDF rendered off the web workers (``core.pdfjobs``).

    Keyed by the SHA-256 of what is printed (the HTML, title, author and language): identical
    requests share one job, and its file answers every later request until the content
    changes — then the key changes and a new job renders the new content.
    """

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUSES = [
        (QUEUED, _("Waiting")),
        (RUNNING, _("Being produced")),
        (DONE, _("Ready")),
        (FAILED, _("Failed")),
    ]

    key = models.CharField(_("content hash"), max_length=64, unique=True)
    html = models.TextField(_("document"), blank=True)
    title = models.CharField(_("title"), max_length=300)
    author = models.CharField(_("author"), max_length=300, blank=True)
    lang = models.CharField(_("language"), max_length=10, default="sv")
    status = models.CharField(_("status"), max_length=10, choices=STATUSES, default=QUEUED)
    pdf = models.FileField(_("PDF"), upload_to="pdf-cache/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("PDF job")
        verbose_name_plural = _("PDF jobs")
        indexes = [models.Index(fields=["status", "created_at"], name="pdfjob_status_created")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"


class ServiceJob(models.Model):
    """An action the task worker carries out for a user (``core.jobs``): signing an agreement,
    approving a report — the writes that print and store a PDF, so the web worker never
    renders. The request checks what it can and queues the job; the user's page follows it
    (htmx) and is sent on when it is done, or told why it failed (nothing was changed then).
    """

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUSES = [
        (QUEUED, _("Waiting")),
        (RUNNING, _("In progress")),
        (DONE, _("Done")),
        (FAILED, _("Failed")),
    ]

    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=300)
    target_pk = models.BigIntegerField(_("object"))
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(_("status"), max_length=10, choices=STATUSES, default=QUEUED)
    #: The language of the user who asked: the worker writes the job's message in it.
    lang = models.CharField(_("language"), max_length=10, default="sv")
    message = models.TextField(_("message"), blank=True)
    next_url = models.CharField(_("next page"), max_length=500)
    retry_url = models.CharField(_("page to try again from"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background action")
        verbose_name_plural = _("background actions")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="servicejob_status_created")]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.DONE, self.FAILED)

    #: A job not finished after this long is slower than it should be (is the worker running?).
    SLOW_AFTER = datetime.timedelta(minutes=2)

    @property
    def is_slow(self) -> bool:
        from django.utils import timezone

        return not self.finished and timezone.now() - self.created_at > self.SLOW_AFTER
