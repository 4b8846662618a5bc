from django.urls import path

from announcements import views
from coalition import converters  # noqa: F401 - registers the URL part shapes used below

app_name = "announcements"
urlpatterns = [
    path("", views.news_list, name="list"),
    path("<int:pk>/", views.news_detail, name="detail"),
    path("feed.atom", views.NewsFeed(), name="feed"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/sent/", views.subscribe_sent, name="subscribe-sent"),
    path("subscribe/confirm/<token:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<token:token>/", views.unsubscribe, name="unsubscribe"),
]
