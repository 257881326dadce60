from django.urls import path

from counselling import views

app_name = "counselling"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("action/", views.desk_action, name="desk-action"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/save/", views.session_save, name="session-save"),
    path("day/", views.my_day, name="my-day"),
    path("records/lookup/", views.record_lookup, name="record-lookup"),
]
