"""The order in which each app's demo data is loaded. Each app owns its own ``demo.py``."""

from actionplans import demo as actionplans_demo
from agreements import demo as agreements_demo
from agreements.demo import DemoContext
from followup import demo as followup_demo
from forums import demo as forums_demo

LOADERS = [
    ("agreements", agreements_demo.load),
    ("forums", forums_demo.load),
    ("signing", agreements_demo.sign),
    ("actionplans", actionplans_demo.load),
    ("followup", followup_demo.load),
]

__all__ = ["LOADERS", "DemoContext"]
