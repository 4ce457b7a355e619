"""``python manage.py prune_imports`` — forget abandoned document uploads (cron, daily).

An upload waits on its review page until the coordinator creates the draft; one never
finished is removed after --days days with its stored original. Imports that made a draft
are kept."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from docimport.services import document_imports_prune


class Command(BaseCommand):
    help = "Remove document uploads that never became a draft, older than --days days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Keep uploads this many days.")

    def handle(self, *args, days=30, **options):
        if days < 1:
            raise CommandError("--days must be at least 1")
        removed = document_imports_prune(older_than=datetime.timedelta(days=days))
        self.stdout.write(self.style.SUCCESS(f"{removed} abandoned upload(s) removed."))
