from django.urls import path

from . import views

app_name = "forums"

urlpatterns = [
    path("", views.ForumListView.as_view(), name="list"),
    path("organisation/", views.ForumTreeView.as_view(), name="tree"),
    path("nytt/", views.ForumCreateView.as_view(), name="create"),
    path("kalender/", views.CalendarSubscriptionView.as_view(), name="calendar"),
    path("kalender.ics", views.MyCalendarFeedView.as_view(), name="ical-mine"),
    path("kalender/<str:token>.ics", views.TokenCalendarFeedView.as_view(), name="ical-token"),
    path("<int:pk>/", views.ForumDetailView.as_view(), name="detail"),
    path("<int:pk>/andra/", views.ForumUpdateView.as_view(), name="edit"),
    path("<int:pk>/kalender.ics", views.ForumCalendarFeedView.as_view(), name="ical"),
    path("<int:pk>/platser/ny/", views.SeatCreateView.as_view(), name="seat-create"),
    path("platser/<int:pk>/andra/", views.SeatUpdateView.as_view(), name="seat-edit"),
    path("platser/<int:pk>/ta-bort/", views.SeatDeleteView.as_view(), name="seat-delete"),
    path("<int:pk>/moten/", views.MeetingListView.as_view(), name="meeting-list"),
    path("<int:pk>/moten/nytt/", views.MeetingCreateView.as_view(), name="meeting-create"),
    path("<int:pk>/moten/serie/", views.MeetingSeriesView.as_view(), name="meeting-series"),
    path("moten/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("moten/<int:pk>/andra/", views.MeetingUpdateView.as_view(), name="meeting-edit"),
    path("moten/<int:pk>/narvaro/", views.AttendanceView.as_view(), name="attendance"),
    path("moten/<int:pk>/beslut/", views.DecisionCreateView.as_view(), name="decision-add"),
    path("beslut/<int:pk>/ta-bort/", views.DecisionDeleteView.as_view(), name="decision-delete"),
]
