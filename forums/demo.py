"""Demo data for the forums app (filled in by the forums issue); idempotent."""

from agreements.demo import DemoContext


def load(ctx: DemoContext) -> None:
    """Nothing yet."""
