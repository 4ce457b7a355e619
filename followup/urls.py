from django.urls import path

from . import views

app_name = "followup"

urlpatterns = [
    path("", views.ActivityUpdateListView.as_view(), name="deviations"),
]
