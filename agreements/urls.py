from django.urls import path

from . import pdf_urls, views

app_name = "agreements"

urlpatterns = [
    path("", views.AgreementListView.as_view(), name="list"),
    path("ny/", views.AgreementCreateView.as_view(), name="create"),
    path("<int:pk>/", views.AgreementDetailView.as_view(), name="detail"),
    path("<int:pk>/andra/", views.AgreementUpdateView.as_view(), name="edit"),
    path("<int:pk>/status/", views.AgreementTransitionView.as_view(), name="transition"),
    path("<int:pk>/underteckna/", views.AgreementSignView.as_view(), name="sign"),
    path("<int:pk>/revidera/", views.AgreementRevisionView.as_view(), name="revise"),
    path("<int:pk>/historik/", views.AgreementHistoryView.as_view(), name="history"),
    path(
        "<int:pk>/historik/aterstall/", views.HistoryRestoreView.as_view(), name="history-restore"
    ),
    path("<int:pk>/remiss/kommentar/", views.RemissCommentView.as_view(), name="remiss-comment"),
    path("<int:pk>/remiss/godkann/", views.RemissApproveView.as_view(), name="remiss-approve"),
    path(
        "remiss/kommentar/<int:pk>/hanterad/",
        views.RemissResolveView.as_view(),
        name="remiss-resolve",
    ),
    path("<int:pk>/bilagor/ny/", views.AttachmentCreateView.as_view(), name="attachment-create"),
    path("bilagor/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment-download"),
    path(
        "bilagor/<int:pk>/ta-bort/", views.AttachmentDeleteView.as_view(), name="attachment-delete"
    ),
    path("<int:pk>/medborgarloften/", views.PromiseListView.as_view(), name="promise-list"),
    path(
        "<int:pk>/medborgarloften/nytt/", views.PromiseCreateView.as_view(), name="promise-create"
    ),
    path("medborgarloften/<int:pk>/", views.PromiseDetailView.as_view(), name="promise-detail"),
    path("medborgarloften/<int:pk>/andra/", views.PromiseUpdateView.as_view(), name="promise-edit"),
    path("<slug:kind>/<int:parent>/ny/", views.ItemCreateView.as_view(), name="item-create"),
    path("<slug:kind>/<int:pk>/andra/", views.ItemUpdateView.as_view(), name="item-edit"),
    path("<slug:kind>/<int:pk>/ta-bort/", views.ItemDeleteView.as_view(), name="item-delete"),
    path("<slug:kind>/<int:pk>/flytta/", views.ItemMoveView.as_view(), name="item-move"),
]

# The PDF routes (agreements:pdf, …) live in pdf_urls.py; keep this line.
urlpatterns += pdf_urls.urlpatterns
