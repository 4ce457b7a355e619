"""Demo data for the actionplans app (filled in by the actionplans issue); idempotent."""

from agreements.demo import DemoContext


def load(ctx: DemoContext) -> None:
    """Nothing yet."""
