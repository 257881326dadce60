from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cite.navigation import Entry
from cite.roles import BACK_OFFICE, COUNSELLOR, MANAGER, RECEPTION

REFERENCE_DATA = ["ageband", "situation", "gender", "residencezone", "heardfrom", "desk"]


def _manage(models):
    return [f"reception.{action}_{model}" for model in models for action in ("view", "add", "change", "delete")]


class ReceptionConfig(AppConfig):
    name = "reception"
    verbose_name = _("Reception")

    role_permissions = {
        RECEPTION: [
            "reception.issue_ticket",
            "reception.view_queue",
            "reception.view_ticket",
            "reception.change_ticket",
            "reception.supervise_queue",
        ],
        COUNSELLOR: ["reception.view_queue"],
        BACK_OFFICE: [
            *_manage(REFERENCE_DATA),
            "reception.view_ticket",
            "reception.view_queue",
            "reception.view_feedback",
            "reception.delete_feedback",  # a comment that slipped past the personal-data guard
        ],
        MANAGER: [
            "reception.view_queue",
            "reception.view_ticket",
            "reception.supervise_queue",
            "reception.view_feedback",
        ],
    }
    navigation = [
        Entry(
            _("Front desk"),
            "reception:front-desk",
            "reception.issue_ticket",
            _("Welcome a visitor and give them a ticket."),
            workspace=True,
        ),
        Entry(_("Today"), "reception:today", "reception.view_ticket", _("Every ticket of the day, with filters.")),
    ]
    demo_steps = [("reception", "reception.demo.build")]

    def ready(self):
        from reception import receivers  # noqa: F401 (connects them)
