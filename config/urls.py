"""Root URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dashboard import views as dashboard_views

admin.site.site_header = "Samverkan"
admin.site.site_title = "Samverkan"

urlpatterns = [
    path("healthz", dashboard_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("overenskommelser/", include("agreements.urls")),
    path("atgardsplaner/", include("actionplans.urls")),
    path("forum/", include("forums.urls")),
    path("uppfoljning/", include("followup.urls")),
    path("offentligt/", include("agreements.public_urls")),
    path("", include("dashboard.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
