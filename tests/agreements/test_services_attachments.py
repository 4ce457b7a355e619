"""agreements.services: attachments and restoring from history, called directly."""

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext

from agreements import services
from agreements.models import Attachment, FocusArea, RemissComment
from tests.factories import FocusAreaFactory

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class _Unnamed(io.BytesIO):
    """An upload that does not say what it was called (some clients send none)."""

    @property
    def size(self):
        return len(self.getvalue())


def _attach(agreement, user, title="Bilaga", upload=None, data=PDF):
    return services.attachment_create(
        agreement=agreement,
        user=user,
        title=title,
        upload=upload or SimpleUploadedFile(f"{title}.pdf", data),
        kind="pdf",
        sha256=hashlib.sha256(data + title.encode()).hexdigest(),
    )


def _stored_files():
    root = Path(settings.MEDIA_ROOT)
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_attachments_are_numbered_within_their_agreement_one_history_row_each(
    world, coordinator, outsider
):
    _attach(world.other_agreement, outsider, "Grannens bilaga")
    first = _attach(world.agreement, coordinator, "Bilaga 1")
    second = _attach(world.agreement, coordinator, "Bilaga 2")
    assert (first.position, second.position) == (1, 2)
    assert first.original_name == "Bilaga 1.pdf"
    assert [r.history_type for r in first.history.all()] == ["+"]
    assert Attachment.objects.get(pk=second.pk).file.read() == PDF


def test_an_upload_without_a_name_is_called_bilaga(world, coordinator):
    attachment = _attach(world.agreement, coordinator, "Namnlös", upload=_Unnamed(PDF))
    assert Attachment.objects.get(pk=attachment.pk).original_name == "bilaga"


def test_an_attachment_that_does_not_validate_leaves_no_row_and_no_file(world, coordinator):
    before = _stored_files()
    with pytest.raises(ValidationError) as exc_info:
        _attach(world.agreement, coordinator, title="B" * 201)
    assert "title" in exc_info.value.message_dict
    assert Attachment._base_manager.filter(agreement=world.agreement).count() == 0
    assert _stored_files() == before


def test_only_content_is_restored_with_a_message_that_says_why_not(world, coordinator, police):
    from agreements.choices import AgreementStatus

    from .conftest import set_status

    set_status(world.agreement, AgreementStatus.REVIEW)
    comment = services.remiss_comment_create(
        agreement=world.agreement, user=police, item_key="section:whole", text="Fråga"
    )
    record = RemissComment.history.filter(id=comment.pk).first()
    with pytest.raises(ValidationError) as exc_info:
        services.history_restore(agreement=world.agreement, user=coordinator, record=record)
    assert exc_info.value.messages == [gettext("This kind of change cannot be restored here.")]
    # A focus area of another agreement of the same municipality is not this one's.
    set_status(world.agreement, AgreementStatus.DRAFT)
    sibling = type(world.agreement).objects.create(
        municipality=world.municipality,
        police_area=world.police_area,
        title="Annan överenskommelse",
        valid_from=world.agreement.valid_from,
        valid_to=world.agreement.valid_to,
    )
    foreign = FocusAreaFactory(agreement=sibling, title="Annans")
    record = FocusArea.history.filter(id=foreign.pk).first()
    with pytest.raises(PermissionDenied) as denied:
        services.history_restore(agreement=world.agreement, user=coordinator, record=record)
    assert str(denied.value) == gettext("You may not edit this agreement.")
