from django.urls import path

from accounts import views

# The page where a Secretariat member manages their calendar feed, under the admin's address.
app_name = "staff_calendar"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("new/", views.regenerate, name="regenerate"),
    path("revoke/", views.revoke, name="revoke"),
]
