from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cite.navigation import Entry
from cite.roles import BACK_OFFICE, COUNSELLOR, MANAGER, RECEPTION

# Everyone on the staff reads the workshops (reception tells visitors about them); counsellors and
# the back office plan them and count who came; the back office may also delete one in the admin.
PLAN_WORKSHOPS = ["counselling.view_workshop", "counselling.add_workshop", "counselling.change_workshop"]


class CounsellingConfig(AppConfig):
    name = "counselling"
    verbose_name = _("Counselling")

    role_permissions = {
        RECEPTION: ["counselling.view_workshop"],
        COUNSELLOR: [
            "counselling.add_session",
            "counselling.change_session",
            "counselling.view_session",
            *PLAN_WORKSHOPS,
        ],
        BACK_OFFICE: [
            *[f"counselling.{action}_topic" for action in ("view", "add", "change", "delete")],
            "counselling.view_counsellorprofile",
            "counselling.add_counsellorprofile",
            "counselling.change_counsellorprofile",
            *PLAN_WORKSHOPS,
            "counselling.delete_workshop",
            "counselling.view_attendancecount",
        ],
        MANAGER: ["counselling.view_session", "counselling.view_all_sessions", "counselling.view_workshop"],
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
    # And the median session time of each area, for the estimated wait (reception.selectors.service_times).
    queue_service_times = "counselling.selectors.service_times"
    # What the waiting-room display shows beside the calls: today's hours and the next public workshops
    # (reception.selectors.display_board).
    display_board = "counselling.public.display_board"
    # What `/` shows to anyone not logged in (cite.views.home): the kernel never imports counselling.
    public_home = "counselling.views.public.home"

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
        Entry(
            _("Workshops"),
            "counselling:workshops",
            "counselling.view_workshop",
            _("Workshops, information sessions, forums and job datings: the calendar, and who came."),
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
    demo_steps = [("counselling", "counselling.demo.build"), ("workshops", "counselling.demo.build_workshops")]

    def ready(self):
        from counselling import services  # noqa: F401 (connects its receiver of reception's visit_left_desk)
