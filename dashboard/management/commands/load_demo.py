"""``python manage.py load_demo`` — idempotent demo data for every app."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from dashboard.demo import LOADERS, DemoContext


class Command(BaseCommand):
    help = "Load demo organisations, users and the three reference agreements (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (never in production)."
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo creates users with the password 'demo' and refuses to run when "
                "DEBUG is off. Use --force if you really mean it."
            )
        ctx = DemoContext()
        # The demo goes through the real services, which e-mail people (the police when an
        # agreement goes on remiss, reviewers, invitees): its made-up addresses get nothing.
        no_mail = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
        with no_mail, transaction.atomic():
            for name, loader in LOADERS:
                loader(ctx)
                self.stdout.write(f"  {name}: ok")
        for line in ctx.log:
            self.stdout.write(f"  {line}")
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data loaded. Users: samordnare, kommunpolis, "
                "kug, samordnare-eslov (password: demo)."
            )
        )
