"""Counselling's pages, one module per job: the desk, the sessions and my day, the planning, the
workshops. Each view is thin: a form, one service or selector, a template."""

from counselling.views import public
from counselling.views.desk import desk, desk_action, desk_presence, record_lookup, session_save
from counselling.views.planning import (
    closure_delete,
    closures,
    hours,
    hours_csv,
    occurrence,
    occurrence_add,
    opening_hours,
    permanence_add,
    permanence_edit,
    planning_week,
    when_to_come,
    when_to_come_ics,
)
from counselling.views.sessions import my_day, session_detail, sessions
from counselling.views.workshops import (
    workshop_attendance,
    workshop_calendar,
    workshop_cancel,
    workshop_create,
    workshop_detail,
    workshop_edit,
    workshop_feed,
    workshop_public_feed,
    workshops,
)

__all__ = [
    "closure_delete",
    "closures",
    "desk",
    "desk_action",
    "desk_presence",
    "hours",
    "hours_csv",
    "my_day",
    "occurrence",
    "occurrence_add",
    "opening_hours",
    "permanence_add",
    "permanence_edit",
    "planning_week",
    "public",
    "record_lookup",
    "session_detail",
    "session_save",
    "sessions",
    "when_to_come",
    "when_to_come_ics",
    "workshop_attendance",
    "workshop_calendar",
    "workshop_cancel",
    "workshop_create",
    "workshop_detail",
    "workshop_edit",
    "workshop_feed",
    "workshop_public_feed",
    "workshops",
]
