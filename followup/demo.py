"""Demo data for the followup app (filled in by the followup issue); idempotent."""

from agreements.demo import DemoContext


def load(ctx: DemoContext) -> None:
    """Nothing yet."""
