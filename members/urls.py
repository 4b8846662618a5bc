from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("letters/<int:pk>/file/", views.letter_file, name="letter-file"),
    path("champions/", views.champions, name="champions"),
    path("champions/<int:pk>/photo.jpg", views.champion_photo, name="champion-photo"),
]
