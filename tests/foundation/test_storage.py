"""Stored files live behind Django's storage API (#20): with SAMVERKAN_STORAGE=s3 the signed PDF
and the PDF cache go to an S3 bucket — nothing is written to the app server's disk — and the
views serve them from there, so several app servers can stand side by side.

The bucket is moto's in-process S3 (the same boto3 calls a real object store answers)."""

from __future__ import annotations

import datetime
import hashlib
import os
import subprocess
import sys

import boto3
import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from moto import mock_aws

from agreements import services
from agreements.choices import AgreementStatus
from tests.pdf.conftest import fill_agreement

BUCKET = "samverkan-test"
S3_STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "region_name": "eu-north-1",
            "default_acl": "private",
            "file_overwrite": False,
        },
    },
    "staticfiles": settings.STORAGES["staticfiles"],
}


@pytest.fixture
def bucket(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-north-1")
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-north-1")
        s3.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-north-1"}
        )
        media = tmp_path / "no-files-here"
        with override_settings(STORAGES=S3_STORAGES, MEDIA_ROOT=media):
            yield s3, media


def _objects(s3) -> dict[str, bytes]:
    listing = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {
        item["Key"]: s3.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
        for item in listing
    }


def test_a_signed_agreement_is_stored_in_the_bucket_and_served_from_it(
    world, coordinator, coordinator_client, bucket
):
    s3, media = bucket
    fill_agreement(world.agreement, focus_areas=1, sub_goals=1)
    world.agreement.status = AgreementStatus.APPROVED
    world.agreement.save()
    signed = services.agreement_sign(
        agreement=world.agreement, user=coordinator, signed_on=datetime.date(2024, 1, 10)
    )

    stored = _objects(s3)
    key = signed.signed_pdf.name
    assert key.startswith("agreements/signed/") and key in stored
    assert hashlib.sha256(stored[key]).hexdigest() == signed.signed_pdf_sha256
    assert not media.exists()  # nothing on the app server's disk

    response = coordinator_client.get(reverse("agreements:pdf", args=[signed.pk]))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response["Content-Type"] == "application/pdf"
    assert body == stored[key]


def test_a_printed_draft_is_cached_in_the_bucket_and_served_again_from_it(
    world, coordinator_client, bucket, monkeypatch
):
    s3, media = bucket
    fill_agreement(world.agreement, focus_areas=1, sub_goals=1)
    url = reverse("agreements:pdf", args=[world.agreement.pk])
    first = coordinator_client.get(url)
    assert first["Content-Type"] == "application/pdf"

    cached = {k: v for k, v in _objects(s3).items() if k.startswith("pdf-cache/")}
    assert len(cached) == 1
    assert list(cached.values())[0] == first.content
    assert not media.exists()

    def must_not_render(*args, **kwargs):
        raise AssertionError("an unchanged draft must be served from the stored file")

    monkeypatch.setattr("core.pdfjobs.render_html_to_pdf", must_not_render)
    again = coordinator_client.get(url)
    assert again.content == first.content


def _settings_in_subprocess(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1"}
    full.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=full,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )


def test_the_environment_selects_object_storage():
    result = _settings_in_subprocess(
        {
            "SAMVERKAN_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": "kommunens-filer",
            "AWS_S3_ENDPOINT_URL": "https://objects.example.se",
        },
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.default_acl, s.file_overwrite)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "S3Storage",
        "kommunens-filer",
        "https://objects.example.se",
        "private",
        "False",
    ]


def test_object_storage_without_a_bucket_refuses_to_start():
    result = _settings_in_subprocess({"SAMVERKAN_STORAGE": "s3"}, "pass")
    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME" in result.stderr


def test_stored_files_are_not_served_by_url_even_in_development():
    # A stored file's name is no key: downloads go through views that check access, also
    # under `make run` (DEBUG on), where Django would otherwise serve MEDIA_ROOT as it is.
    result = _settings_in_subprocess(
        {},
        "from django.conf import settings; from django.urls import resolve, Resolver404\n"
        "assert settings.DEBUG\n"
        "try:\n    resolve('/' + settings.MEDIA_URL + 'agreements/signed/avtal.pdf'); print('served')\n"
        "except Resolver404:\n    print('not found')",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "not found"
