from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("letters/<int:pk>/file/", views.letter_file, name="letter-file"),
]
