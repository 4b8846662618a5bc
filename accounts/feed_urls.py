from django.urls import path

from accounts import views

# Outside the language prefix: a calendar program keeps one URL (the feed is in its owner's language).
app_name = "staff_calendar_feed"
urlpatterns = [
    path("staff/<str:token>.ics", views.feed, name="feed"),
]
