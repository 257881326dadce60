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
    # Planning: the back office keeps opening hours, closures and permanences; managers read them.
    role_permissions[BACK_OFFICE] += [
        f"counselling.{action}_{model}"
        for model in ("openinghours", "closure", "permanence", "permanenceexception")
        for action in ("view", "add", "change", "delete")
    ]
    role_permissions[BACK_OFFICE] += ["counselling.view_hours_report"]
    role_permissions[MANAGER] += ["counselling.view_permanence", "counselling.view_hours_report"]

    # Reception's front desk asks this function who is expected in each area today (see
    # reception.selectors.planning_provider): reception never imports counselling.
    front_desk_planning = "counselling.planning.front_desk_plans"

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
    navigation += [
        Entry(
            _("Planning"),
            "counselling:planning",
            "counselling.view_permanence",
            _("Opening hours and the partners' permanences, week by week."),
        ),
        Entry(
            _("Hours against agreements"),
            "counselling:hours",
            "counselling.view_hours_report",
            _("Per institution and month: hours planned, committed and on duty."),
        ),
    ]
    demo_steps = [("counselling", "counselling.demo.build")]
