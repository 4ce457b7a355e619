"""E-mail sent by the services: after the transaction commits, and never at the cost of what
was saved."""

from __future__ import annotations

import logging
import smtplib

from django.core.mail import EmailMessage
from django.db import transaction

logger = logging.getLogger("samverkan.mail")

#: What a mail server that refuses or cannot be reached raises.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def send_on_commit(message: EmailMessage) -> None:
    """Send ``message`` once the current transaction has committed (at once outside one).

    What the user did is saved by then; a mail server that refuses or cannot be reached must
    not turn that into a server error (the user would think the work was lost and do it
    again). The failure is logged with subject and recipients, for the administrators."""

    def send() -> None:
        try:
            message.send()
        except MAIL_ERRORS:
            logger.exception("E-mail not sent (%s) to %s", message.subject, ", ".join(message.to))

    transaction.on_commit(send)
