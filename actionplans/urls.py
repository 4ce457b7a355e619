from django.urls import path

from . import views

app_name = "actionplans"

urlpatterns = [
    path("", views.ActivityListView.as_view(), name="activity-list"),
]
