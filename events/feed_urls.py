from django.urls import path

from events import views

# iCalendar feeds, outside the language prefix (calendar programs keep one URL).
app_name = "event_feeds"
urlpatterns = [
    path("feed.ics", views.feed, name="feed"),
    path("<int:pk>/event.ics", views.event_ics, name="event"),
]
