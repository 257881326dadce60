from django.urls import path

from counselling import views

app_name = "counselling"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("action/", views.desk_action, name="desk-action"),
    path("presence/", views.desk_presence, name="desk-presence"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/save/", views.session_save, name="session-save"),
    path("day/", views.my_day, name="my-day"),
    path("records/lookup/", views.record_lookup, name="record-lookup"),
    path("workshops/", views.workshops, name="workshops"),
    path("workshops/calendar/", views.workshop_calendar, name="workshop-calendar"),
    path("workshops/new/", views.workshop_create, name="workshop-create"),
    path("workshops/<int:pk>/", views.workshop_detail, name="workshop"),
    path("workshops/<int:pk>/edit/", views.workshop_edit, name="workshop-edit"),
    path("workshops/<int:pk>/attendance/", views.workshop_attendance, name="workshop-attendance"),
    path("workshops/<int:pk>/cancel/", views.workshop_cancel, name="workshop-cancel"),
    path("workshops/workshops.ics", views.workshop_feed, name="workshop-feed"),
    path("workshops/public.ics", views.workshop_public_feed, name="workshop-public-feed"),
]

urlpatterns += [
    path("planning/", views.planning_week, name="planning"),
    path("planning/new/", views.permanence_add, name="permanence-add"),
    path("planning/opening-hours/", views.opening_hours, name="opening-hours"),
    path("planning/closures/", views.closures, name="closures"),
    path("planning/closures/<int:pk>/delete/", views.closure_delete, name="closure-delete"),
    path("planning/<int:pk>/", views.permanence_edit, name="permanence-edit"),
    path("planning/<int:pk>/extra-date/", views.occurrence_add, name="occurrence-add"),
    path("planning/<int:pk>/<str:day>/", views.occurrence, name="occurrence"),
    path("planning/hours/", views.hours, name="hours"),
    path("planning/hours.csv", views.hours_csv, name="hours-csv"),
    path("when-to-come/", views.when_to_come, name="when-to-come"),
    path("when-to-come/permanences.ics", views.when_to_come_ics, name="when-to-come-ics"),
]

# The visitors' pages, served from the root (cite/urls.py, namespace "public"): no login.
public_patterns = [
    path("occupations/", views.public.occupations, name="occupations"),
    path("occupations/<int:pk>/", views.public.occupation, name="occupation"),
    path("occupations/isco/<str:code>/", views.public.occupation_group, name="occupation-group"),
    path("workshops/", views.public.workshops, name="workshops"),
    path("workshops/<uuid:uid>/", views.public.workshop, name="workshop"),
    path("workshops/<uuid:uid>/calendar.ics", views.public.workshop_ics, name="workshop-ics"),
]
