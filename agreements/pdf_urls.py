"""PDF routes of this app (owned by the PDF work; included from urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
