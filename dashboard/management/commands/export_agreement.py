"""``python manage.py export_agreement PK [-o FILE]`` — one agreement's whole tree as JSON."""

from django.core.management.base import BaseCommand, CommandError

from agreements.models import Agreement
from dashboard.backup import export_agreement_json


class Command(BaseCommand):
    help = (
        "Write an agreement with everything below it (plans, forums, reports, indicators) "
        "as JSON, to standard output or a file. Restore it with import_agreement."
    )

    def add_arguments(self, parser):
        parser.add_argument("pk", type=int, help="The agreement's id.")
        parser.add_argument("-o", "--output", help="Write to this file instead of stdout.")

    def handle(self, *args, pk: int, output: str | None = None, **options):
        agreement = Agreement._base_manager.filter(pk=pk).first()
        if agreement is None:
            raise CommandError(f"There is no agreement with id {pk}.")
        text = export_agreement_json(agreement)
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
            self.stderr.write(f"Agreement {pk} written to {output}.")
        else:
            self.stdout.write(text, ending="")
