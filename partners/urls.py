from django.urls import path

from partners import views

app_name = "partners"

# Each menu entry's pages share its URL prefix, so the menu marks where the reader is.
urlpatterns = [
    path("institutions/", views.institution_list, name="institution-list"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution-detail"),
    path("institutions/<int:pk>/logo", views.institution_logo, name="institution-logo"),
    path("institutions/new/", views.institution_create, name="institution-create"),
    path("institutions/<int:pk>/edit/", views.institution_edit, name="institution-edit"),
    path("institutions/<int:pk>/archive/", views.institution_archive, name="institution-archive"),
    path("institutions/<int:pk>/contacts/new/", views.contact_add, name="contact-add"),
    path("institutions/<int:pk>/agreements/new/", views.agreement_create, name="agreement-create"),
    path("institutions/<int:pk>/exchanges/new/", views.exchange_add, name="exchange-add"),
    path("institutions/contacts/<int:pk>/edit/", views.contact_edit, name="contact-edit"),
    path("institutions/contacts/<int:pk>/archive/", views.contact_archive, name="contact-archive"),
    path("institutions/contacts/", views.contact_list, name="contact-list"),
    path("institutions/agreements/", views.agreement_list, name="agreement-list"),
    path("institutions/agreements/<int:pk>/sign/", views.agreement_sign, name="agreement-sign"),
    path("institutions/agreements/<int:pk>/edit/", views.agreement_edit, name="agreement-edit"),
    path("institutions/agreements/<int:pk>/renew/", views.agreement_renew, name="agreement-renew"),
    path("institutions/agreements/<int:pk>/document", views.agreement_document, name="agreement-document"),
    path("groups/", views.group_list, name="group-list"),
    path("groups/<int:pk>/", views.group_detail, name="group-detail"),
    path("groups/documents/<int:pk>", views.group_document, name="group-document"),
    path("groups/<int:pk>/meetings/new/", views.meeting_plan, name="meeting-plan"),
    path("groups/meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("groups/meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("groups/meetings/<int:pk>/autosave/", views.meeting_autosave, name="meeting-autosave"),
    path("groups/meetings/<int:pk>/unpublish/", views.meeting_unpublish, name="meeting-unpublish"),
    path("groups/meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting-minutes"),
    path("groups/calendar/", views.calendar, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("actions/", views.my_actions, name="my-actions"),
    path("actions/<int:pk>/status/", views.action_status, name="action-status"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/objectives/<int:pk>/progress/", views.objective_progress, name="objective-progress"),
    path("network/", views.network, name="network"),
]
