"""Storing the signed PDF (filled in by the PDF issue).

``store_signed_pdf(agreement=...)`` is called by the signing service inside its
transaction, once the agreement's status is ``signed``: it renders the agreement
PDF once, stores it with its SHA-256, and never re-renders it afterwards.
"""

from __future__ import annotations


def store_signed_pdf(*, agreement) -> None:
    """Render and store the signed PDF. Implemented by the PDF work (issue 7)."""
