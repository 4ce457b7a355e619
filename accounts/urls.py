from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("ny-kommun/", views.OnboardingView.as_view(), name="onboarding"),
    path("inbjudan/<str:token>/", views.AcceptInvitationView.as_view(), name="accept"),
    path(
        "inbjudningar/<int:pk>/aterkalla/",
        views.InvitationRevokeView.as_view(),
        name="invitation-revoke",
    ),
    path("kommun/<int:pk>/", views.ManageView.as_view(), name="manage"),
    path("kommun/<int:pk>/bjud-in/", views.InviteView.as_view(), name="invite"),
    path(
        "kommun/<int:pk>/behorighet/<int:membership_pk>/",
        views.MembershipRoleView.as_view(),
        name="membership-role",
    ),
    path(
        "kommun/<int:pk>/personer/<int:user_pk>/konto/",
        views.UserActiveView.as_view(),
        name="user-active",
    ),
    path("kommun/<int:pk>/enheter/ny/", views.UnitCreateView.as_view(), name="unit-create"),
    path("kommun/<int:pk>/enheter/<int:item_pk>/", views.UnitEditView.as_view(), name="unit-edit"),
    path("kommun/<int:pk>/omraden/nytt/", views.AreaCreateView.as_view(), name="area-create"),
    path("kommun/<int:pk>/omraden/<int:item_pk>/", views.AreaEditView.as_view(), name="area-edit"),
]
