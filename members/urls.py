from django.urls import path

from members import indicator_views, public_views, views

app_name = "members"
urlpatterns = [
    path("members/", public_views.directory, name="directory"),
    path("members/export.csv", public_views.export_csv, name="export-csv"),
    path("members/export.json", public_views.export_json, name="export-json"),
    path("members/representativeness/", public_views.representativeness, name="representativeness"),
    path("indicators/", indicator_views.indicators_page, name="indicators"),
    path("letters/<int:pk>/file/", views.letter_file, name="letter-file"),
    path("notices/<int:pk>/file/", views.notice_file, {"which": "notice"}, name="notice-file"),
    path("notices/<int:pk>/withdrawal/file/", views.notice_file, {"which": "withdrawal"}, name="withdrawal-file"),
    path("champions/", views.champions, name="champions"),
    path("champions/<int:pk>/photo.jpg", views.champion_photo, name="champion-photo"),
]
