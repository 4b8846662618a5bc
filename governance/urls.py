from django.urls import path

from governance import views

app_name = "governance"
urlpatterns = [
    path("core-group/meetings/", views.meeting_list, name="meetings"),
    path("core-group/meetings/<int:event_pk>/", views.meeting_detail, name="meeting"),
    path("core-group/decisions/", views.public_decisions, name="decisions"),
    path("work-plan/", views.work_plan, name="work-plan"),
]
