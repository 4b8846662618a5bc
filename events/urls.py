from django.urls import path

from coalition import converters  # noqa: F401 - registers the URL part shapes used below
from events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/attendees.csv", views.attendees_csv, name="attendees-csv"),
    path("<int:pk>/materials/<int:material_pk>/", views.material_file, name="material"),
    path("<int:pk>/registrations/<int:registration_pk>/cancel/", views.cancel_registration, name="cancel-registration"),
    path("<int:pk>/registrations/<int:registration_pk>/confirm-delegate/", views.confirm_delegate,
         name="confirm-delegate"),
    path("registration/<token:token>/", views.registration_page, name="registration"),
]
