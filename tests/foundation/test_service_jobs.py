"""Signing and approving off the web workers (#20): the request checks and queues; the task
worker signs or approves and stores the PDF; the user's page follows the job."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

import agreements.signing
from agreements.choices import AgreementStatus, Role
from core.models import ServiceJob
from followup import printing as report_printing
from followup.choices import ReportStatus
from tests.factories import MembershipFactory
from tests.followup.conftest import followup, submitted_report  # noqa: F401
from tests.pdf.conftest import fill_agreement
from tests.rendered import form_data

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def _count_agreement_renders(monkeypatch) -> list:
    calls = []
    real = agreements.signing.render_agreement_pdf

    def counting(agreement, *args, **kwargs):
        calls.append(agreement.pk)
        return real(agreement, *args, **kwargs)

    monkeypatch.setattr(agreements.signing, "render_agreement_pdf", counting)
    return calls


def _signing_post(client, agreement):
    """Approve, fill in the dates, reach the confirmation; its URL and POST data."""
    agreement.status = AgreementStatus.APPROVED
    agreement.save()
    url = reverse("agreements:sign", args=[agreement.pk])
    page = client.get(url)
    dates = {f"signed_on_{s.pk}": "2024-01-10" for s in agreement.signatories.all()}
    confirmation = client.post(url, form_data(page, values=dates))
    assert confirmation.status_code == 200
    return url, form_data(confirmation)


@pytest.mark.django_db(transaction=True)
def test_signing_returns_at_once_and_the_worker_signs_and_stores_the_pdf(
    world, coordinator, monkeypatch
):
    fill_agreement(world.agreement)
    renders = _count_agreement_renders(monkeypatch)
    client = Client()
    client.force_login(coordinator)
    url, data = _signing_post(client, world.agreement)
    with override_settings(TASKS=DATABASE_TASKS):
        response = client.post(url, data)
        job = ServiceJob.objects.get()
        assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
        assert job.title == f"Undertecknande av {world.agreement.title}"
        assert renders == []  # the web request printed nothing
        world.agreement.refresh_from_db()
        assert world.agreement.status == AgreementStatus.APPROVED  # not yet signed
        waiting = client.get(job.get_absolute_url())
        assert waiting.status_code == 200
        assert "Väntar på sin tur" in waiting.content.decode()
        assert 'hx-trigger="every 1s"' in waiting.content.decode()

        _run_worker()
        assert renders == [world.agreement.pk]
        world.agreement.refresh_from_db()
        assert world.agreement.status == AgreementStatus.SIGNED
        assert world.agreement.signed_pdf and len(world.agreement.signed_pdf_sha256) == 64
        assert ServiceJob.objects.get().status == ServiceJob.DONE

        polled = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
        assert polled["HX-Redirect"] == world.agreement.get_absolute_url()
        page = client.get(world.agreement.get_absolute_url()).content.decode()
        assert "Överenskommelsen är undertecknad." in page


@pytest.mark.django_db(transaction=True)
def test_an_agreement_changed_before_the_worker_signs_is_not_signed(
    world, coordinator, monkeypatch
):
    fill_agreement(world.agreement)
    client = Client()
    client.force_login(coordinator)
    url, data = _signing_post(client, world.agreement)
    with override_settings(TASKS=DATABASE_TASKS):
        job_page = client.post(url, data)["Location"]
        # Someone adds a commitment after the confirmation was posted, before the worker ran.
        world.agreement.commitments.create(position=99, text="Ett sent tillägg.")
        _run_worker()
    world.agreement.refresh_from_db()
    assert world.agreement.status == AgreementStatus.APPROVED
    assert not world.agreement.signed_pdf
    assert not world.agreement.signatories.exclude(signed_on=None).exists()
    job = ServiceJob.objects.get()
    assert job.status == ServiceJob.FAILED
    page = client.get(job_page).content.decode()
    assert "ändrades efter att du granskade den" in page
    assert f'href="{url}"' in page


@pytest.mark.django_db(transaction=True)
def test_the_worker_writes_the_outcome_in_the_language_of_who_asked(world, coordinator):
    fill_agreement(world.agreement)
    client = Client()
    client.force_login(coordinator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    url, data = _signing_post(client, world.agreement)
    with override_settings(TASKS=DATABASE_TASKS):
        job_page = client.post(url, data)["Location"]
        world.agreement.commitments.create(position=99, text="Ett sent tillägg.")
        _run_worker()
    page = client.get(job_page).content.decode()
    assert "The agreement changed after you reviewed it" in page
    assert "ändrades efter att du granskade den" not in page
    # The signed PDF itself is always printed in Swedish; only the user's message follows them.
    assert ServiceJob.objects.get().lang == "en"


def test_a_job_page_is_only_for_the_one_who_asked(world, coordinator, django_user_model):
    fill_agreement(world.agreement)
    client = Client()
    client.force_login(coordinator)
    url, data = _signing_post(client, world.agreement)
    job_page = client.post(url, data)["Location"]
    colleague = django_user_model.objects.create_user("samordnare-2")
    MembershipFactory(user=colleague, organisation=world.municipality, role=Role.COORDINATOR)
    other = Client()
    other.force_login(colleague)
    assert other.get(job_page).status_code == 404
    assert Client().get(job_page).status_code == 302  # to the login page


@pytest.mark.django_db(transaction=True)
def test_approving_a_report_returns_at_once_and_the_worker_approves_it(
    followup,  # noqa: F811
    coordinator,
    police,
    monkeypatch,
):
    report = submitted_report(followup, coordinator, police)
    calls = []
    real = report_printing.store_approved_pdf

    def counting(**kwargs):
        calls.append(kwargs["report"].pk)
        return real(**kwargs)

    monkeypatch.setattr(report_printing, "store_approved_pdf", counting)
    client = Client()
    client.force_login(coordinator)
    with override_settings(TASKS=DATABASE_TASKS):
        response = client.post(
            reverse("followup:report-status", args=[report.pk]), {"action": "approve"}
        )
        job = ServiceJob.objects.get()
        assert response["Location"] == job.get_absolute_url()
        assert calls == []
        report.refresh_from_db()
        assert report.status == ReportStatus.SUBMITTED
        _run_worker()
    report.refresh_from_db()
    assert calls == [report.pk]
    assert report.status == ReportStatus.APPROVED and report.approved_pdf_sha256
    done = client.get(job.get_absolute_url(), follow=True)
    assert done.redirect_chain[-1][0] == report.get_absolute_url()
    assert "Rapporten har godkänts." in done.content.decode()


def test_a_report_that_is_not_ready_is_refused_at_once_and_queues_nothing(
    followup,  # noqa: F811
    coordinator_client,
):
    response = coordinator_client.post(
        reverse("followup:report-status", args=[followup.report.pk]),
        {"action": "approve"},
        follow=True,
    )
    assert "Bara en inlämnad rapport kan godkännas." in response.content.decode()
    assert not ServiceJob.objects.exists()


def test_a_job_that_waits_too_long_says_whom_to_contact(world, coordinator):
    import datetime

    from django.utils import timezone

    job = ServiceJob.objects.create(
        kind="agreement_sign",
        title="Undertecknande",
        target_pk=world.agreement.pk,
        user=coordinator,
        next_url=world.agreement.get_absolute_url(),
    )
    client = Client()
    client.force_login(coordinator)
    assert "kontakta systemförvaltarna" not in client.get(job.get_absolute_url()).content.decode()
    ServiceJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=3)
    )
    page = client.get(job.get_absolute_url()).content.decode()
    assert "kontakta systemförvaltarna" in page and 'hx-trigger="every 1s"' in page


def test_old_background_actions_are_pruned_and_recent_ones_kept(world, coordinator):
    import datetime

    from django.utils import timezone

    def job(**times):
        made = ServiceJob.objects.create(
            kind="agreement_sign", title="x", target_pk=1, user=coordinator, next_url="/"
        )
        ServiceJob.objects.filter(pk=made.pk).update(**times)
        return made.pk

    now = timezone.now()
    old_done = job(status=ServiceJob.DONE, finished_at=now - datetime.timedelta(days=31))
    stuck = job(created_at=now - datetime.timedelta(days=40))
    recent = job(status=ServiceJob.FAILED, finished_at=now - datetime.timedelta(days=2))
    waiting = job()
    out = StringIO()
    call_command("prune_pdf_jobs", "--days", "30", stdout=out)
    assert set(ServiceJob.objects.values_list("pk", flat=True)) == {recent, waiting}
    assert old_done and stuck
    assert "2 background action(s) removed" in out.getvalue()
