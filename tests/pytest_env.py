"""Loaded with ``-p`` before Django is configured: test-run environment defaults.

Tests run with DJANGO_DEBUG=1 only so that static files need no collectstatic
manifest; pytest-django still forces ``settings.DEBUG = False`` while tests run.
Production settings are tested in a subprocess (tests/foundation/test_settings.py).
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("AXES_ENABLED", "0")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
