"""PDF routes of the action plans app (included from urls.py, namespace ``actionplans``)."""

from django.urls import path

from . import pdf

urlpatterns: list = [
    path("planer/<int:pk>/pdf/", pdf.PlanPdfView.as_view(), name="plan-pdf"),
]
