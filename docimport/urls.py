from django.urls import path

from . import views

app_name = "docimport"

urlpatterns = [
    path("", views.UploadView.as_view(), name="upload"),
    path("<int:pk>/", views.ReviewView.as_view(), name="review"),
]
