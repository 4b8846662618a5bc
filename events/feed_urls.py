# iCalendar feeds, outside the language prefix (calendar programs keep one URL).
app_name = "event_feeds"
urlpatterns: list = []
