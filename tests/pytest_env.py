"""Loaded with ``-p`` before Django is configured: test-run environment defaults.

Tests run with DJANGO_DEBUG=1 only so that static files need no collectstatic
manifest; pytest-django still forces ``settings.DEBUG = False`` while tests run.
Production settings are tested in a subprocess (tests/foundation/test_settings.py).
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("AXES_ENABLED", "0")
# PDF jobs run where they are asked for; tests/foundation/test_pdf_jobs.py runs the
# database backend and its worker as production does.
os.environ.setdefault("SAMVERKAN_TASKS_BACKEND", "immediate")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Close each request's connection: the live server's request threads would otherwise keep
# theirs open, and the test database could not be dropped at the end ("being accessed by
# other users").
os.environ.setdefault("DJANGO_CONN_MAX_AGE", "0")
