from django.urls import path

from coalition import converters  # noqa: F401 - registers the URL part shapes used below
from pledges import views

app_name = "pledges"
urlpatterns = [
    path("pledges/", views.pledge_list, name="list"),
    path("pledges/export.csv", views.export_csv, name="export-csv"),
    path("pledges/export.json", views.export_json, name="export-json"),
    path("pledges/<int:pk>/", views.pledge_detail, name="detail"),
    path("pledges/<int:pk>/edit/", views.edit, name="edit"),
    path("pledges/<int:pk>/review/", views.review, name="review"),
    path("pledges/<int:pk>/recall/", views.recall, name="recall"),
    path("pledges/<int:pk>/changes/", views.changes, name="changes"),
    path("pledges/<int:pk>/progress/start/", views.progress_start, name="progress-start"),
    path("progress/<int:pk>/", views.progress_detail, name="progress"),
    path("progress/<int:pk>/edit/", views.progress_edit, name="progress-edit"),
    path("progress/<int:pk>/review/", views.progress_review, name="progress-review"),
    path("progress/evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("countries/<iso3:iso3>/", views.country_page, name="country"),
    path("countries/<iso3:iso3>/pledge/start/", views.start, name="start"),
    path("countries/<iso3:iso3>/contact/", views.public_contact, name="public-contact"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("invitations/<token:token>/", views.accept_invitation, name="invitation"),
]
