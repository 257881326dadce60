from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cite.navigation import Entry
from cite.roles import BACK_OFFICE, COUNSELLOR, MANAGER


class CounsellingConfig(AppConfig):
    name = "counselling"
    verbose_name = _("Counselling")

    role_permissions = {
        COUNSELLOR: ["counselling.add_session", "counselling.change_session", "counselling.view_session"],
        BACK_OFFICE: [f"counselling.{action}_topic" for action in ("view", "add", "change", "delete")]
        + [
            "counselling.view_counsellorprofile",
            "counselling.add_counsellorprofile",
            "counselling.change_counsellorprofile",
        ],
        MANAGER: ["counselling.view_session", "counselling.view_all_sessions"],
    }
    navigation = [
        Entry(
            _("My desk"),
            "counselling:desk",
            "counselling.add_session",
            _("Call visitors, record their sessions, call the next one."),
            workspace=True,
        ),
        Entry(
            _("Sessions"),
            "counselling:sessions",
            "counselling.view_session",
            _("Sessions recorded at the desks, with filters."),
        ),
    ]
    demo_steps = [("counselling", "counselling.demo.build")]
