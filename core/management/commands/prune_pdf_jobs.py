"""``python manage.py prune_pdf_jobs`` — forget old PDF jobs and their files (cron, daily).

Signed agreements' and approved reports' PDFs are records, stored on the objects themselves;
they are never touched. This removes only the cache of printed open documents."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from core.pdfjobs import prune_jobs


class Command(BaseCommand):
    help = "Remove PDF jobs (and their cached files) finished more than --days days ago."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Keep jobs this many days.")

    def handle(self, *args, days=30, **options):
        if days < 1:
            raise CommandError("--days must be at least 1")
        removed = prune_jobs(older_than=datetime.timedelta(days=days))
        self.stdout.write(self.style.SUCCESS(f"{removed} PDF job(s) removed."))
