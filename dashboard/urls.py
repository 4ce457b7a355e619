from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("organisationer/<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation"),
    path("lagkontroll/<int:pk>/", views.LawCheckView.as_view(), name="law-check"),
    path("lagkontroll/<int:pk>/pdf/", views.LawCheckPdfView.as_view(), name="law-check-pdf"),
    path("lagkontroll/", views.LawCheckNationalView.as_view(), name="law-check-national"),
]
