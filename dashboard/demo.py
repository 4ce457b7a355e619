"""The order in which each app's demo data is loaded. Each app owns its own ``demo.py``."""

from agreements import demo as agreements_demo
from agreements.demo import DemoContext

LOADERS = [
    ("agreements", agreements_demo.load),
]

__all__ = ["LOADERS", "DemoContext"]
