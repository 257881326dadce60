"""The centre's partners: institutions and their agreements, working groups, shared projects, the network.

A Cité is run by several institutions together: they sign agreements with it, second counsellors,
and work in cross-institution working groups. Sister centres are `cite.Centre`; this app adds the
mentoring links between them and the network's events.

Every model and helper is importable from `partners.models`; the migrations name
`PrivateStorage`, `DateRange` and the upload paths there, so they stay here.
"""

from partners.models.agreements import (
    ENDING_SOON_DAYS,
    Agreement,
    AgreementQuerySet,
    DateRange,
    Secondment,
    agreement_document_path,
)
from partners.models.calendar_tokens import CalendarToken
from partners.models.common import PrivateStorage, local_today, private_storage, sort_key
from partners.models.exchanges import Exchange
from partners.models.groups import (
    Action,
    ActionQuerySet,
    Attendance,
    GroupDocument,
    Meeting,
    WorkingGroup,
    WorkingGroupQuerySet,
    group_document_path,
)
from partners.models.institutions import Contact, Institution, logo_path
from partners.models.network import MentoringLink, NetworkEvent
from partners.models.projects import Objective, Project

__all__ = [
    "ENDING_SOON_DAYS",
    "Action",
    "ActionQuerySet",
    "Agreement",
    "AgreementQuerySet",
    "Attendance",
    "CalendarToken",
    "Contact",
    "DateRange",
    "Exchange",
    "GroupDocument",
    "Institution",
    "Meeting",
    "MentoringLink",
    "NetworkEvent",
    "Objective",
    "PrivateStorage",
    "Project",
    "Secondment",
    "WorkingGroup",
    "WorkingGroupQuerySet",
    "agreement_document_path",
    "group_document_path",
    "local_today",
    "logo_path",
    "private_storage",
    "sort_key",
]
