"""``python manage.py send_deviation_digest`` — email each coordinator the month's deviations (cron)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from followup.notifications import deviation_digest_messages


class Command(BaseCommand):
    help = "Email every coordinator the activities at risk or delayed in what they may see."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Pretend today is this date (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be sent.")

    def handle(self, *args, date=None, dry_run=False, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--date must be YYYY-MM-DD") from exc
        messages = deviation_digest_messages(today=today)
        for message in messages:
            if not dry_run:
                message.send()
            self.stdout.write(f"  {'would send' if dry_run else 'sent'}: {message.to[0]}")
        self.stdout.write(self.style.SUCCESS(f"{len(messages)} digest(s)."))
