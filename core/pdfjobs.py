"""PDFs as background jobs: the web worker prepares the document, a task worker prints it.

A PDF link's view calls :func:`pdf_or_progress`. It renders the template to HTML (cheap) and
hashes it; if a job with that hash has finished, its stored file is served; otherwise one job
is queued (``django-tasks``, the database backend: the ``db_worker`` process runs it) and the
user sees a page that tells how far it has come and asks again by itself (htmx), then opens
the PDF. Identical requests share a job; a changed document is a new hash and a new job.

Signed agreements and approved reports keep their own stored PDFs and are served directly.
"""

from __future__ import annotations

import datetime
import hashlib

from django.core.files.base import ContentFile
from django.db.models import Q
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_htmx.http import HttpResponseClientRedirect
from django_tasks import task

from .models import PdfJob
from .pdf import PdfError, pdf_response, render_html_to_pdf


@task()
def render_pdf_job(job_id: int) -> str:
    """Print one job's document (run by the task worker). Returns the job's final status."""
    job = PdfJob.objects.filter(pk=job_id).first()
    if job is None:  # pruned while it waited; asking again queues a new one
        return PdfJob.FAILED
    if job.status == PdfJob.DONE:
        return job.status
    PdfJob.objects.filter(pk=job.pk).update(status=PdfJob.RUNNING)
    try:
        pdf = render_html_to_pdf(job.html, title=job.title, author=job.author, lang=job.lang)
    except PdfError as exc:
        PdfJob.objects.filter(pk=job.pk).update(
            status=PdfJob.FAILED, error=str(exc), finished_at=timezone.now()
        )
        return PdfJob.FAILED
    job.pdf.save(f"{job.key}.pdf", ContentFile(pdf), save=False)
    job.status, job.finished_at, job.html = PdfJob.DONE, timezone.now(), ""
    job.save(update_fields=["pdf", "status", "finished_at", "html"])
    return job.status


def prune_jobs(*, older_than: datetime.timedelta, now: datetime.datetime | None = None) -> int:
    """Forget jobs finished (or left unfinished) longer than ``older_than`` ago, their files
    included (through the storage API, so object storage is emptied too). A PDF asked for again
    is simply printed again. Returns the number of jobs removed."""
    cutoff = (now or timezone.now()) - older_than
    stale = PdfJob.objects.filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    )
    removed = 0
    for job in stale.iterator():
        if job.pdf:
            job.pdf.delete(save=False)
        job.delete()
        removed += 1
    return removed


def job_key(html: str, *, title: str, author: str, lang: str) -> str:
    digest = hashlib.sha256()
    for part in (lang, title, author, html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def request_pdf(*, html: str, title: str, author: str = "", lang: str = "sv") -> PdfJob:
    """The job for this document: an existing one (any state), or a new one, queued."""
    key = job_key(html, title=title, author=author, lang=lang)
    job, created = PdfJob.objects.get_or_create(
        key=key, defaults={"html": html, "title": title[:300], "author": author[:300], "lang": lang}
    )
    if not created and job.status == PdfJob.FAILED:
        # A failed job is tried again when asked again (the failure may have passed).
        updated = PdfJob.objects.filter(pk=job.pk, status=PdfJob.FAILED).update(
            status=PdfJob.QUEUED, error="", html=html
        )
        created = bool(updated)
    if created:
        render_pdf_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def pdf_or_progress(
    request, *, template_name: str, context: dict, title, author="", filename: str, lang: str = "sv"
):
    """The answer to a PDF link: the PDF when it is ready, else a progress page (202)."""
    with translation.override(lang):
        # Without the request: what is printed must not depend on who asks (one hash, one job).
        html = render_to_string(template_name, {**context, "pdf_lang": lang})
        title, author = str(title), str(author)
    job = request_pdf(html=html, title=title, author=author, lang=lang)
    if job.status == PdfJob.DONE and job.pdf:
        if getattr(request, "htmx", False):
            # The progress page asked: open the finished PDF in its place.
            return HttpResponseClientRedirect(request.get_full_path())
        with job.pdf.open("rb") as handle:
            return pdf_response(handle.read(), filename=filename)
    context = {"job": job, "title": title, "poll_url": request.get_full_path()}
    if getattr(request, "htmx", False):
        # htmx swaps 2xx only: a failure is a fragment too (one that stops asking).
        return render(request, "pdf/includes/_progress.html", context)
    status = 503 if job.status == PdfJob.FAILED else 202
    return render(request, "pdf/progress.html", context, status=status)
