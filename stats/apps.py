from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cite.navigation import Entry


class StatsConfig(AppConfig):
    """The statistics: figures of the centre's activity, their exports, the annual report, the network."""

    name = "stats"
    label = "stats"
    verbose_name = _("Statistics")

    # A partner's page (partners) asks this function what the partner did this month: partners may not
    # import the statistics (docs/architecture.md, the AppConfig hooks).
    partner_activity = "stats.partners.partner_activity"
    # Visitors' feedback has a module of its own (stats/feedback.py), after the sections of figures.py.
    statistics_sections = ["stats.feedback.feedback_by_area"]

    # cite.view_statistics (managers) and reception.view_queue are granted by cite.roles and reception.
    navigation = [
        Entry(
            _("Statistics"),
            "stats:dashboard",
            "cite.view_statistics",
            _("The centre's activity at a glance, exports, the annual report and the network."),
        ),
        Entry(
            _("Today at the centre"),
            "stats:today",
            "reception.view_queue",
            _("Arrivals so far, who is waiting and for how long, who is on duty."),
        ),
    ]
