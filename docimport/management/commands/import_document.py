"""``python manage.py import_document FILE --municipality NAME --police-area NAME [--user U]``.

Creates a draft from an agreement document the way the web import does, accepting
every recognised item; prints what was recognised and what was left over; the
last line is ``agreement <pk>``.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from agreements.choices import OrganisationKind, Role
from agreements.models import Membership, Organisation
from docimport import readers, services
from docimport.recognise import KINDS, summary


def _organisation(name: str, kinds, what: str) -> Organisation:
    matches = Organisation.objects.filter(kind__in=kinds).filter(
        Q(name__iexact=name) | Q(short_name__iexact=name)
    )
    if not matches:
        raise CommandError(f"No {what} called {name!r}.")
    if len(matches) > 1:
        raise CommandError(f"More than one {what} called {name!r}.")
    return matches[0]


class Command(BaseCommand):
    help = "Import an agreement document (.docx, .pdf, .txt) as a draft agreement."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--municipality", required=True)
        parser.add_argument("--police-area", required=True)
        parser.add_argument(
            "--user",
            help="The coordinator the draft is created as (default: the municipality's "
            "first coordinator).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        municipality = _organisation(
            options["municipality"], [OrganisationKind.MUNICIPALITY], "municipality"
        )
        police_area = _organisation(
            options["police_area"],
            [OrganisationKind.POLICE_AREA, OrganisationKind.POLICE_REGION],
            "police area",
        )
        user = self._user(options.get("user"), municipality)
        if path.stat().st_size > readers.MAX_UPLOAD_BYTES:
            raise CommandError(
                readers.ReadError("The file is larger than 20 MB. Upload a smaller file.").message
            )
        data = path.read_bytes()
        try:
            tree = services.read_and_recognise(
                name=path.name, data=data, municipality=municipality, police_area=police_area
            )
        except readers.ReadError as error:
            raise CommandError(error.message) from None
        counts = summary(tree)
        self.stdout.write(f"title: {tree.title}")
        self.stdout.write(f"period: {tree.valid_from} – {tree.valid_to}")
        for kind in KINDS:
            self.stdout.write(f"{kind}: {counts[kind]}")
        for item in tree.items:
            if item.kind == "section":
                continue
            label = " ".join((item.title or item.text).split())
            party = f" [{item.party}]" if item.party else ""
            self.stdout.write(f"  {item.kind}{party} ({item.confidence}): {label[:100]}")
        by_number = {block["n"]: block for block in tree.blocks}
        self.stdout.write(f"left over: {len(tree.leftovers)}")
        for number in tree.leftovers:
            block = by_number[number]
            self.stdout.write(f"  {block['where']}: {' '.join(block['text'].split())[:100]}")
        self.stdout.write(f"ignored as noise: {len(tree.noise)}")
        for warning in tree.warnings:
            self.stdout.write(f"warning: {warning}")
        try:
            report = services.document_import_run(
                user=user, municipality=municipality, police_area=police_area, tree=tree
            )
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("; ".join(messages)) from None
        for name in report.created_organisations:
            self.stdout.write(f"created organisation: {name}")
        for name in report.created_forums:
            self.stdout.write(f"created forum: {name}")
        for name in report.reused_forums:
            self.stdout.write(f"linked existing forum: {name}")
        for name in report.created_areas:
            self.stdout.write(f"created area: {name}")
        for note in report.notes:
            self.stdout.write(f"note: {note}")
        self.stdout.write(f"agreement {report.agreement.pk}")

    def _user(self, username, municipality):
        users = get_user_model().objects
        if username:
            user = users.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {username!r}.")
            return user
        membership = (
            Membership.objects.filter(
                organisation=municipality, role=Role.COORDINATOR, user__is_active=True
            )
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if membership is not None:
            return membership.user
        user = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("Give --user: the municipality has no coordinator.")
        return user
