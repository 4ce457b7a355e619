"""PDFs as background jobs (#20): the web worker never prints; a task worker does, once per
content; identical requests share the job; the page shows progress and then the PDF."""

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from core import pdf as core_pdf
from core.models import PdfJob
from followup.models import FollowUpReport

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def report(world):
    from tests.followup.factories import FollowupPlanFactory, ReportFactory

    plan = FollowupPlanFactory(agreement=world.agreement, title="Åtgärdsplan Ankeby")
    return ReportFactory(plan=plan, agreement=world.agreement, title="Delår 2 2025")


def _count_renders(monkeypatch) -> list:
    calls = []
    real = core_pdf.render_html_to_pdf

    def counting(*args, **kwargs):
        calls.append(kwargs.get("title"))
        return real(*args, **kwargs)

    monkeypatch.setattr("core.pdfjobs.render_html_to_pdf", counting)
    return calls


@pytest.mark.django_db(transaction=True)
def test_the_web_request_queues_the_job_and_the_worker_prints_it(report, coordinator, monkeypatch):
    renders = _count_renders(monkeypatch)
    client = Client()
    client.force_login(coordinator)
    url = reverse("followup:report-pdf", args=[report.pk])
    with override_settings(TASKS=DATABASE_TASKS):
        first = client.get(url)
        assert first.status_code == 202
        assert "PDF:en väntar på sin tur" in first.content.decode()
        assert 'hx-trigger="every 2s"' in first.content.decode()
        again = client.get(url)  # asking again joins the same job
        assert again.status_code == 202 and PdfJob.objects.count() == 1
        assert renders == []  # nothing was printed in the web requests

        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        assert renders == ["Delår 2 2025"]
        job = PdfJob.objects.get()
        assert job.status == PdfJob.DONE and job.pdf

        polled = client.get(url, headers={"HX-Request": "true"})
        assert polled["HX-Redirect"] == url  # the progress page opens the PDF
        done = client.get(url)
        assert done["Content-Type"] == "application/pdf" and done.content.startswith(b"%PDF")
        assert renders == ["Delår 2 2025"]  # served from the job's file


def test_a_changed_report_is_a_new_job_and_an_unchanged_one_is_not_printed_again(
    report, coordinator_client, monkeypatch
):
    renders = _count_renders(monkeypatch)
    url = reverse("followup:report-pdf", args=[report.pk])
    assert coordinator_client.get(url)["Content-Type"] == "application/pdf"
    assert coordinator_client.get(url)["Content-Type"] == "application/pdf"
    assert len(renders) == 1
    FollowUpReport.objects.filter(pk=report.pk).update(summary="Arbetet går enligt plan.")
    assert coordinator_client.get(url)["Content-Type"] == "application/pdf"
    assert len(renders) == 2 and PdfJob.objects.count() == 2


def test_a_failed_job_says_so_and_is_tried_again_when_asked_again(
    report, coordinator_client, monkeypatch
):
    def broken(*args, **kwargs):
        raise core_pdf.PdfError("renderer down")

    monkeypatch.setattr("core.pdfjobs.render_html_to_pdf", broken)
    url = reverse("followup:report-pdf", args=[report.pk])
    response = coordinator_client.get(url)
    assert response.status_code == 503
    assert "PDF:en kunde inte skapas just nu" in response.content.decode()
    monkeypatch.undo()
    assert coordinator_client.get(url)["Content-Type"] == "application/pdf"
    assert PdfJob.objects.get().status == PdfJob.DONE


def test_another_municipalitys_report_pdf_is_not_found_and_queues_nothing(
    world, report, django_user_model
):
    from agreements.choices import Role
    from tests.factories import MembershipFactory

    outsider = django_user_model.objects.create_user("samordnare-b")
    MembershipFactory(user=outsider, organisation=world.other_municipality, role=Role.COORDINATOR)
    client = Client()
    client.force_login(outsider)
    assert client.get(reverse("followup:report-pdf", args=[report.pk])).status_code == 404
    assert not PdfJob.objects.exists()


def test_old_jobs_and_their_files_are_pruned_and_the_pdf_is_printed_again_when_asked(
    report, coordinator_client, monkeypatch
):
    import datetime

    from django.core.files.storage import default_storage
    from django.utils import timezone

    renders = _count_renders(monkeypatch)
    url = reverse("followup:report-pdf", args=[report.pk])
    first = coordinator_client.get(url).content
    job = PdfJob.objects.get()
    name = job.pdf.name
    assert default_storage.exists(name)

    call_command("prune_pdf_jobs", "--days", "30", verbosity=0)
    assert PdfJob.objects.count() == 1  # a fresh job is kept

    PdfJob.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=31)
    )
    stuck = PdfJob.objects.create(key="0" * 64, title="Fastnat", html="<p>x</p>")
    PdfJob.objects.filter(pk=stuck.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    call_command("prune_pdf_jobs", "--days", "30", verbosity=0)
    assert PdfJob.objects.count() == 0
    assert not default_storage.exists(name)

    again = coordinator_client.get(url).content
    assert again[:5] == b"%PDF-" and len(renders) == 2
    assert len(again) == len(first)
