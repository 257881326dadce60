from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cite.navigation import Entry
from cite.roles import BACK_OFFICE, COUNSELLOR, MANAGER, RECEPTION

MODELS = [
    "institution",
    "contact",
    "exchange",
    "agreement",
    "secondment",
    "workinggroup",
    "groupdocument",
    "meeting",
    "attendance",
    "action",
    "project",
    "objective",
    "mentoringlink",
    "networkevent",
]


def _all(*actions, models=MODELS):
    return [f"partners.{action}_{model}" for model in models for action in actions]


# Everyone on the staff finds partners and their contacts, sees the working groups they belong to
# and follows their own actions. The back office runs all of it; managers see all of it and steer
# the shared projects.
EVERY_STAFF_MEMBER = [
    "partners.view_institution",
    "partners.view_contact",
    "partners.view_secondment",
    "partners.view_workinggroup",
    "partners.view_groupdocument",
    "partners.view_meeting",
    "partners.view_attendance",
    "partners.follow_own_actions",
]


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    role_permissions = {
        RECEPTION: EVERY_STAFF_MEMBER,
        COUNSELLOR: EVERY_STAFF_MEMBER,
        BACK_OFFICE: [
            *_all("view", "add", "change", "delete"),
            "partners.view_all_working_groups",
            "partners.follow_own_actions",
            "partners.view_network",
        ],
        MANAGER: [
            *_all("view"),
            *_all("add", "change", models=["project", "objective"]),
            "partners.view_all_working_groups",
            "partners.follow_own_actions",
            "partners.view_network",
        ],
    }
    navigation = [
        Entry(
            _("Partners"),
            "partners:institution-list",
            "partners.view_institution",
            _("Partner institutions, their contacts and the counsellors they second."),
        ),
        Entry(
            _("Working groups"),
            "partners:group-list",
            "partners.view_workinggroup",
            _("Meetings, minutes and actions of the groups you take part in."),
        ),
        Entry(
            _("My actions"),
            "partners:my-actions",
            "partners.follow_own_actions",
            _("What you have to do for the working groups, overdue first."),
        ),
        Entry(
            _("Shared projects"),
            "partners:project-list",
            "partners.view_project",
            _("The partners' common projects, their objectives and progress."),
        ),
        Entry(
            _("Network"),
            "partners:network",
            "partners.view_network",
            _("Sister centres, mentoring and network events such as the Winter School."),
        ),
    ]
    demo_steps = [("partners", "partners.demo.build")]

    def ready(self):
        from partners import receivers  # noqa: F401 (connects them)
