from django.urls import path

from . import pdf_urls, views

app_name = "actionplans"

urlpatterns = [
    path("", views.ActivityListView.as_view(), name="activity-list"),
]

# The PDF routes (agreements:pdf, …) live in pdf_urls.py; keep this line.
urlpatterns += pdf_urls.urlpatterns
