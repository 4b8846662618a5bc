from django.urls import path

from coalition import converters  # noqa: F401 - registers the URL part shapes used below
from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("recap/", views.recap, name="recap"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("verify/<code:code>/", views.verify, name="verify"),
]
