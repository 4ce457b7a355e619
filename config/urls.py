"""Root URL configuration."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import PasswordResetForm
from dashboard import views as dashboard_views

admin.site.site_header = "Samverkan"
admin.site.site_title = "Samverkan"

urlpatterns = [
    path("healthz", dashboard_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password change and reset: Django's own views with Swedish templates and e-mails.
    path("losenord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "losenord/andrat/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path(
        "losenord/glomt/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path(
        "losenord/glomt/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "losenord/nytt/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "losenord/nytt/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("organisation/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("atgard/", include("core.urls")),
    path("overenskommelser/importera/", include("docimport.urls")),
    path("overenskommelser/", include("agreements.urls")),
    path("atgardsplaner/", include("actionplans.urls")),
    path("forum/", include("forums.urls")),
    path("uppfoljning/", include("followup.urls")),
    path("offentligt/", include("agreements.public_urls")),
    path("", include("dashboard.urls")),
]

# Uploaded and stored files are never served from MEDIA_URL, not even in development: every
# download goes through a view that checks who may read it (signed PDFs, scans, reports, jobs).
