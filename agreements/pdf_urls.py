"""PDF routes of the agreements app (included from urls.py, namespace ``agreements``)."""

from django.urls import path

from . import pdf_views

urlpatterns: list = [
    path("<int:pk>/pdf/", pdf_views.AgreementPdfView.as_view(), name="pdf"),
    path("<int:pk>/skannad-kopia/", pdf_views.ScanUploadView.as_view(), name="scan-upload"),
    path(
        "<int:pk>/skannad-kopia/pdf/",
        pdf_views.ScanDownloadView.as_view(),
        name="scan-download",
    ),
    path("<int:pk>/verifiera/", pdf_views.VerifyView.as_view(), name="agreement-verify"),
    path("verifiera/", pdf_views.VerifyView.as_view(), name="verify"),
    path("medborgarloften/<int:pk>/pdf/", pdf_views.PromisePdfView.as_view(), name="promise-pdf"),
]
