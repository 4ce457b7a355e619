"""Actions carried out by the task worker for a user: the writes that print a PDF.

Signing an agreement and approving a report store a PDF of what was signed or approved, in
the same transaction as the change, so that the record and its PDF never disagree. Printing
takes seconds, so these writes do not run in the web request: the view checks what it can
(the form, the rules), then :func:`start` records a :class:`~core.models.ServiceJob` and
queues it (``django-tasks``; ``db_worker`` runs it). The user is sent to the job's page
(:class:`core.views.JobView`), which follows it and goes on to ``next_url`` when it is done,
or says why it failed — a failed job changed nothing, because its service runs in one
transaction.

An app registers what a kind of job does in its ``AppConfig.ready()``::

    register_job("agreement_sign", sign_from_job)   # handler(job) -> success message

A handler raises ``ValidationError`` (or ``PermissionDenied``) to refuse; its messages are
shown to the user as they are.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import ServiceJob

logger = logging.getLogger(__name__)

_HANDLERS: dict[str, Callable[[ServiceJob], str]] = {}


def register_job(kind: str, handler: Callable[[ServiceJob], str]) -> None:
    _HANDLERS[kind] = handler


def start(
    *,
    kind: str,
    user,
    target_pk: int,
    title: str,
    next_url: str,
    retry_url: str = "",
    params: dict | None = None,
) -> ServiceJob:
    """Record the job and queue it. Call outside a transaction (the worker must see it)."""
    if kind not in _HANDLERS:
        raise ValueError(f"no handler registered for {kind!r}")
    job = ServiceJob.objects.create(
        kind=kind,
        user=user,
        target_pk=target_pk,
        title=str(title)[:300],
        params=params or {},
        next_url=next_url,
        retry_url=retry_url,
        lang=translation.get_language() or settings.LANGUAGE_CODE,
    )
    run_service_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def prune_jobs(*, older_than: datetime.timedelta, now: datetime.datetime | None = None) -> int:
    """Forget background actions finished (or left unfinished) longer than ``older_than`` ago.

    What a job did is in the history of the objects it changed; the job itself only told the
    user how it went. A job pruned while still queued is skipped by the worker. Returns the
    number of jobs removed."""
    cutoff = (now or timezone.now()) - older_than
    stale = ServiceJob.objects.filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    )
    return stale.delete()[0]


def _messages(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@task()
def run_service_job(job_id: int) -> str:
    """Carry out one job (run by the task worker). Returns the job's final status."""
    claimed = ServiceJob.objects.filter(pk=job_id, status=ServiceJob.QUEUED).update(
        status=ServiceJob.RUNNING
    )
    if not claimed:  # already taken, finished, or pruned
        job = ServiceJob.objects.filter(pk=job_id).first()
        return job.status if job else ServiceJob.FAILED
    job = ServiceJob.objects.select_related("user").get(pk=job_id)
    with translation.override(job.lang):
        status, message = _carry_out(job)
    ServiceJob.objects.filter(pk=job.pk).update(
        status=status, message=str(message), finished_at=timezone.now()
    )
    return status


def _carry_out(job: ServiceJob) -> tuple[str, str]:
    """Run the job's handler; its outcome and message, in the language of who asked."""
    try:
        message = _HANDLERS[job.kind](job)
        status = ServiceJob.DONE
    except ValidationError as exc:
        message, status = _messages(exc), ServiceJob.FAILED
    except PermissionDenied as exc:
        message, status = str(exc) or _("You may not do this."), ServiceJob.FAILED
    except Exception:
        logger.exception("Background action %s (%s) failed", job.pk, job.kind)
        message = _("Something went wrong, and nothing was changed. Try again in a moment.")
        status = ServiceJob.FAILED
    return status, str(message)
