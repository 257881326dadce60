from django.urls import path

from reception import views

app_name = "reception"

urlpatterns = [
    path("", views.front_desk, name="front-desk"),
    path("queue/", views.queue_overview, name="queue-overview"),
    path("today/", views.today, name="today"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket"),
    path("tickets/<int:pk>/print/", views.print_ticket, name="print-ticket"),
    path("tickets/<int:pk>/cancel/", views.cancel_ticket, name="cancel-ticket"),
    path("tickets/<int:pk>/undo-cancel/", views.undo_cancel, name="undo-cancel"),
    path("tickets/<int:pk>/requeue/", views.requeue_ticket, name="requeue-ticket"),
    path("tickets/<int:pk>/transfer/", views.transfer_ticket, name="transfer-ticket"),
    path("display/", views.display, name="display"),
    path("display/state/", views.display_state, name="display-state"),
    path("display/board/", views.display_board, name="display-board"),
]

# The visitor's phone page sits at the root (/t/<token>/) to keep the QR code small.
phone_patterns = [
    path("<str:token>/", views.phone, name="ticket"),
    path("<str:token>/status/", views.phone_status, name="status"),
    path("<str:token>/feedback/", views.phone_feedback, name="feedback"),
]
