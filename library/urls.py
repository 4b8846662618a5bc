from django.urls import path

from library import views

app_name = "library"
urlpatterns = [
    path("", views.library, name="list"),
    path("<int:pk>/", views.resource_detail, name="detail"),
    path("<int:pk>/file/", views.resource_file, name="file"),
]
