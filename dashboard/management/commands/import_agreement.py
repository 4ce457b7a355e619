"""``python manage.py import_agreement FILE`` — restore an agreement written by export_agreement."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from dashboard.backup import BackupError, import_agreement


class Command(BaseCommand):
    help = (
        "Restore an agreement exported with export_agreement, with the same ids, into a "
        "database that does not hold it yet. All or nothing. Use - to read standard input."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file (or - for standard input).")
        parser.add_argument(
            "--with-users",
            action="store_true",
            help=(
                "Also create the file's users that do not exist (never staff or superusers, "
                "without passwords) and restore their memberships. Existing accounts are "
                "never changed."
            ),
        )

    def handle(self, *args, file: str, with_users: bool = False, **options):
        try:
            if file == "-":
                data = json.load(sys.stdin)
            else:
                with open(file, encoding="utf-8") as fh:
                    data = json.load(fh)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            result = import_agreement(data, with_users=with_users)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        for label, count in sorted(result.created.items()):
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Agreement {data['agreement']} restored: {sum(result.created.values())} "
                f"objects created, {result.unchanged} already present, "
                f"{result.users_created} users created (without passwords)."
            )
        )
