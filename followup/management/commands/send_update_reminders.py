"""``python manage.py send_update_reminders`` — remind those who owe updates before a report is due (cron, daily)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from followup.notifications import update_reminder_messages


class Command(BaseCommand):
    help = "Email those who owe activity updates for reports due in --days days (default 7)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="Days before the due date.")
        parser.add_argument("--date", help="Pretend today is this date (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be sent.")

    def handle(self, *args, days=7, date=None, dry_run=False, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--date must be YYYY-MM-DD") from exc
        messages = update_reminder_messages(today=today, days=days)
        for message in messages:
            if not dry_run:
                message.send()
            self.stdout.write(f"  {'would send' if dry_run else 'sent'}: {message.to[0]}")
        self.stdout.write(self.style.SUCCESS(f"{len(messages)} reminder(s)."))
