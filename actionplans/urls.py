from django.urls import path

from . import pdf_urls, views

app_name = "actionplans"

urlpatterns = [
    path("", views.ActivityListView.as_view(), name="activity-list"),
    path("export/<str:fmt>/", views.ActivityExportView.as_view(), name="activity-export"),
    path(
        "val/<str:field>/",
        views.ActivityFilterChoicesView.as_view(),
        name="activity-filter-choices",
    ),
    path("granskning/", views.ReviewQueueView.as_view(), name="review-queue"),
    path("planer/", views.PlanListView.as_view(), name="plan-list"),
    # The main menu's "Åtgärdsplan": the user's current plan (or a choice).
    path("planer/aktuell/", views.CurrentPlanView.as_view(), name="current-plan"),
    path(
        "overenskommelse/<int:agreement_pk>/ny-plan/",
        views.PlanCreateView.as_view(),
        name="plan-create",
    ),
    path("planer/<int:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("planer/<int:pk>/andra/", views.PlanUpdateView.as_view(), name="plan-edit"),
    path("planer/<int:pk>/import/", views.PlanImportView.as_view(), name="plan-import"),
    path(
        "planer/<int:pk>/ny-aktivitet/", views.ActivityCreateView.as_view(), name="activity-create"
    ),
    path("aktiviteter/<int:pk>/", views.ActivityDetailView.as_view(), name="activity-detail"),
    path("aktiviteter/<int:pk>/andra/", views.ActivityEditView.as_view(), name="activity-edit"),
    path(
        "aktiviteter/<int:pk>/rad/", views.ActivityRowEditView.as_view(), name="activity-row-edit"
    ),
    path("aktiviteter/<int:pk>/flytta/", views.ActivityMoveView.as_view(), name="activity-move"),
    path(
        "aktiviteter/<int:pk>/skicka-till-granskning/",
        views.ActivitySubmitView.as_view(),
        name="activity-submit",
    ),
    path("aktiviteter/<int:pk>/granska/", views.ReviewCreateView.as_view(), name="activity-review"),
]

# The PDF routes (agreements:pdf, …) live in pdf_urls.py; keep this line.
urlpatterns += pdf_urls.urlpatterns
