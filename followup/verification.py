"""The verification page's source for approved follow-up reports (registered in ``apps``)."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from core.pdf import PdfError

from .models import FollowUpReport
from .printing import read_approved_pdf

logger = logging.getLogger(__name__)


def approved_report_matches(digest: str, user) -> list[dict]:
    """Approved reports the user may see whose stored PDF has the SHA-256 ``digest``
    (and whose stored bytes still have it)."""
    matches = []
    reports = FollowUpReport.objects.visible_to(user).filter(approved_pdf_sha256=digest)
    for report in reports.select_related("agreement"):
        try:
            read_approved_pdf(report)
        except (OSError, PdfError):
            logger.warning("approved report %s: stored PDF missing or altered", report.pk)
            continue
        matches.append(
            {
                "label": _("the PDF of the approved follow-up report"),
                "title": f"{report} – {report.agreement}",
                "url": report.get_absolute_url(),
            }
        )
    return matches
