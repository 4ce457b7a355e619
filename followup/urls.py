from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("", views.DeviationListView.as_view(), name="deviations"),
    path("rapporter/", views.ReportListView.as_view(), name="report-list"),
    path("rapporter/<int:pk>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("rapporter/<int:pk>/pdf/", views.ReportPdfView.as_view(), name="report-pdf"),
    path("rapporter/<int:pk>/redigera/", views.ReportUpdateView.as_view(), name="report-edit"),
    path("rapporter/<int:pk>/status/", views.ReportTransitionView.as_view(), name="report-status"),
    path("rapporter/<int:pk>/fyll-i/", views.ReportFillView.as_view(), name="report-fill"),
    path("rapporter/<int:pk>/granska/", views.ReportReviewView.as_view(), name="report-review"),
    path("rapporter/<int:pk>/paminn/", views.ReportRemindView.as_view(), name="report-remind"),
    path(
        "rapporter/<int:pk>/aktiviteter/<int:activity_pk>/ej-rapporterad/",
        views.UpdateNotReportedView.as_view(),
        name="update-not-reported",
    ),
    path(
        "rapporter/<int:pk>/aktiviteter/<int:activity_pk>/",
        views.UpdateEditView.as_view(),
        name="update-edit",
    ),
    path("uppdateringar/<int:pk>/", views.UpdateActionView.as_view(), name="update-action"),
    path(
        "overenskommelser/<int:agreement_pk>/ny-rapport/",
        views.ReportCreateView.as_view(),
        name="report-create",
    ),
    path("overenskommelser/<int:agreement_pk>/rytm/", views.RhythmView.as_view(), name="rhythm"),
    path("indikatorer/", views.IndicatorListView.as_view(), name="indicator-list"),
    path("indikatorer/ny/", views.IndicatorCreateView.as_view(), name="indicator-create"),
    path("indikatorer/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator-detail"),
    path(
        "indikatorer/<int:pk>/redigera/", views.IndicatorUpdateView.as_view(), name="indicator-edit"
    ),
    path(
        "indikatorer/<int:pk>/nytt-varde/",
        views.IndicatorValueCreateView.as_view(),
        name="indicator-value-create",
    ),
    path(
        "indikatorer/<int:pk>/import/", views.IndicatorImportView.as_view(), name="indicator-import"
    ),
]
