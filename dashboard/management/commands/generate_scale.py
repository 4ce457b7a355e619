"""``python manage.py generate_scale`` — synthetic national-scale data for benchmarks."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dashboard.scale import STAFF_USERNAME, ScaleConfig, ScaleGenerator


class Command(BaseCommand):
    help = (
        "Generate deterministic synthetic data for every municipality in the country "
        "(organisations, users, agreements in every state, plans, forums, reports, "
        "indicators, with history). For benchmarks; run on an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipalities", type=int, default=290)
        parser.add_argument("--activities-per-plan", type=int, default=50)
        parser.add_argument("--years", type=int, default=4, help="Years of the agreement in force.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            help="Processes writing in parallel (PostgreSQL only; one inside a transaction).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (never in production)."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "generate_scale creates users with the password 'demo' and refuses to run when "
                "DEBUG is off. Use --force if you really mean it."
            )
        for name in ("municipalities", "activities_per_plan", "years"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1.")
        if get_user_model().objects.filter(username="samordnare-0001").exists():
            raise CommandError(
                "Synthetic data already exist (user samordnare-0001). Use an empty database."
            )
        config = ScaleConfig(
            municipalities=options["municipalities"],
            activities_per_plan=options["activities_per_plan"],
            years=options["years"],
            seed=options["seed"],
            workers=options["workers"],
        )
        verbose = options["verbosity"] > 0
        started = time.monotonic()
        counts = ScaleGenerator(config, log=self.stdout.write if verbose else lambda _m: None).run()
        elapsed = time.monotonic() - started
        if verbose:
            width = max(len(k) for k in counts)
            for label, n in sorted(counts.items()):
                self.stdout.write(f"  {label:<{width}}  {n:>9}")
            self.stdout.write(f"  {'rows in all':<{width}}  {sum(counts.values()):>9}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {config.municipalities} municipalities in {elapsed:.1f} s. Users: "
                f"samordnare-0001…, kommunpolis-0001…, kug-0001…, {STAFF_USERNAME} (staff); "
                "password: demo."
            )
        )
