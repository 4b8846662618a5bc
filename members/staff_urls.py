from django.urls import path

from members import admin_representativeness

# The Secretariat's representativeness page and outreach list, under the admin's address.
app_name = "representativeness"
urlpatterns = [
    path("", admin_representativeness.page, name="page"),
    path("outreach.csv", admin_representativeness.outreach_csv, name="outreach-csv"),
]
