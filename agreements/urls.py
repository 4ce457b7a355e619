from django.urls import path

from . import pdf_urls, views

app_name = "agreements"

urlpatterns = [
    path("", views.AgreementListView.as_view(), name="list"),
]

# The PDF routes (agreements:pdf, …) live in pdf_urls.py; keep this line.
urlpatterns += pdf_urls.urlpatterns
