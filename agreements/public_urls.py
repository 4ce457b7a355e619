from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.PublicAgreementListView.as_view(), name="agreement-list"),
    path(
        "overenskommelser/<int:pk>/",
        views.PublicAgreementDetailView.as_view(),
        name="agreement-detail",
    ),
]
