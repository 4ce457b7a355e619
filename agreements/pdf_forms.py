"""Forms of the PDF work: uploading a scanned signed copy, verifying a PDF."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.forms import AccessibleFormMixin

PDF_MAGIC = b"%PDF-"


def check_pdf_upload(upload, *, parse: bool = True) -> None:
    """Raise ``ValidationError`` unless ``upload`` is a small enough, readable PDF."""
    limit = settings.SAMVERKAN_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file is too large. The largest allowed size is %(limit)s."),
            code="too_large",
            params={"limit": filesizeformat(limit)},
        )
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise forms.ValidationError(_("The file is not a PDF."), code="not_pdf")
    if not parse:
        return
    from pypdf import PdfReader

    try:
        reader = PdfReader(upload, strict=False)
        if len(reader.pages) < 1:
            raise ValueError("no pages")
    except Exception as exc:
        raise forms.ValidationError(
            _("The file could not be read as a PDF."), code="unreadable_pdf"
        ) from exc
    finally:
        upload.seek(0)


class PdfUploadForm(AccessibleFormMixin, forms.Form):
    """One PDF file, checked by size, its first bytes and by parsing it."""

    file = forms.FileField(
        label=_("PDF file"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    parse = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A PDF of at most %(limit)s.") % {
            "limit": filesizeformat(settings.SAMVERKAN_MAX_UPLOAD_BYTES)
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_pdf_upload(upload, parse=self.parse)
        return upload


class ScanUploadForm(PdfUploadForm):
    """The scanned, signed paper copy of an agreement."""

    file = forms.FileField(
        label=_("Scanned signed copy (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class VerifyForm(PdfUploadForm):
    """A PDF to compare with the stored signed versions."""

    parse = False  # only its bytes matter; any damaged copy simply will not match
