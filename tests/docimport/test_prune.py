"""Abandoned uploads do not pile up: an upload that never became a draft is removed after 30
days with its stored original; one that made a draft, and a recent one, stay."""

import datetime

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from docimport.models import DocumentImport
from docimport.recognise import Tree
from docimport.services import document_import_finish, document_import_start

from .conftest import document


def _upload(parties, key="eslov"):
    municipality, police_area, user = parties[key]
    name, data = document("eslov", "txt")
    return document_import_start(
        user=user, municipality=municipality, police_area=police_area, name=name, data=data
    ), user


def _age(record, days):
    DocumentImport.objects.filter(pk=record.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_an_abandoned_upload_is_removed_with_its_file_after_thirty_days(parties):
    old, _ = _upload(parties)
    recent, _ = _upload(parties)
    old_file = old.original.name
    assert default_storage.exists(old_file)
    _age(old, 31)
    _age(recent, 29)

    call_command("prune_imports", verbosity=0)

    assert list(DocumentImport.objects.all()) == [recent]
    assert not default_storage.exists(old_file)
    assert default_storage.exists(recent.original.name)


def test_an_upload_that_made_a_draft_is_kept(parties):
    record, user = _upload(parties)
    document_import_finish(record=record, user=user, tree=Tree.from_dict(record.tree))
    _age(record, 400)
    call_command("prune_imports", verbosity=0)
    record.refresh_from_db()
    assert record.agreement is not None and default_storage.exists(record.original.name)
