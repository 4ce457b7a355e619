"""``python manage.py prune_pdf_jobs`` — forget old PDF jobs and their files, and old
background actions (signing, approving: ``core.jobs``) (cron, daily).

Signed agreements' and approved reports' PDFs are records, stored on the objects themselves;
they are never touched. This removes only the cache of printed open documents."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from core import jobs, pdfjobs


class Command(BaseCommand):
    help = (
        "Remove PDF jobs (and their cached files) and background actions finished more than "
        "--days days ago."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Keep jobs this many days.")

    def handle(self, *args, days=30, **options):
        if days < 1:
            raise CommandError("--days must be at least 1")
        older_than = datetime.timedelta(days=days)
        pdfs = pdfjobs.prune_jobs(older_than=older_than)
        actions = jobs.prune_jobs(older_than=older_than)
        self.stdout.write(
            self.style.SUCCESS(f"{pdfs} PDF job(s) and {actions} background action(s) removed.")
        )
