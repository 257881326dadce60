"""Reads of partners that are more than a filter, shaped so every page runs a fixed number of queries.

`institution_of(user)` is the one other apps use: the institution that seconds a counsellor.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cite.models import Area, Centre
from partners.models import (
    Action,
    Agreement,
    Attendance,
    CalendarToken,
    Contact,
    Exchange,
    Institution,
    Meeting,
    MentoringLink,
    NetworkEvent,
    Objective,
    Project,
    Secondment,
    WorkingGroup,
    local_today,
    sort_key,
)

User = get_user_model()


def _current(today):
    """Secondments running on `today` (an empty date is an open end)."""
    return (Q(start_date__isnull=True) | Q(start_date__lte=today)) & (Q(end_date__isnull=True) | Q(end_date__gte=today))


def _count(queryset, field):
    """COUNT(*) of `queryset` per row of the outer query, as a subquery (no join that multiplies rows)."""
    counted = queryset.order_by().values(field).annotate(count=Count("*")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def institution_of(user, *, on=None):
    """The institution that seconds `user` to the centre on date `on` (today by default), or None."""
    secondment = (
        Secondment.objects.filter(_current(on or local_today()), user=user).select_related("institution").first()
    )
    return secondment.institution if secondment else None


# --- Institutions -------------------------------------------------------------------------------------


def institution_directory(today=None):
    """Institutions with their areas, how many contacts and current counsellors, agreements ending soon."""
    today = today or local_today()
    return (
        Institution.objects.prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("order", "letter")))
        .annotate(
            contact_count=_count(Contact.objects.filter(institution=OuterRef("pk")), "institution"),
            counsellor_count=_count(
                Secondment.objects.filter(_current(today), institution=OuterRef("pk")), "institution"
            ),
            ending_soon=Exists(Agreement.objects.ending_soon(today).filter(institution=OuterRef("pk"))),
            renewal_due=Exists(Agreement.objects.renewal_due(today).filter(institution=OuterRef("pk"))),
        )
        .order_by("-is_active", sort_key("name"))
    )


def institution_page(today=None):
    """Institutions with everything their page shows, for a get_object_or_404."""
    today = today or local_today()
    return Institution.objects.prefetch_related(
        Prefetch("areas", queryset=Area.objects.order_by("order", "letter")),
        Prefetch("contacts", queryset=Contact.objects.order_by("-is_active", sort_key("name"))),
        Prefetch(
            "agreements",
            queryset=Agreement.objects.with_renewal_due(today)
            .select_related("renews", "renewal")
            .order_by("-end_date", "title"),
        ),
        Prefetch(
            "secondments",
            queryset=Secondment.objects.filter(_current(today)).select_related("user"),
            to_attr="current_secondments",
        ),
        Prefetch("working_groups", queryset=WorkingGroup.objects.exclude(status=WorkingGroup.Status.CLOSED)),
    )


def exchanges_of(institution, *, limit=None):
    """The exchanges with `institution`, newest first, with who took part: three queries."""
    exchanges = (
        Exchange.objects.filter(institution=institution)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("staff", queryset=User.objects.order_by("last_name", "first_name")),
            Prefetch("contacts", queryset=Contact.objects.order_by(sort_key("name"))),
        )
        .order_by("-date", "-created_at")
    )
    return exchanges[:limit] if limit else exchanges


def partner_activity(institution, *, today=None):
    """What `institution` does at the centre this month, from the app that can count it (the
    `partner_activity` AppConfig hook: the figures come from counselling and the statistics, which
    partners may not import), or None when no installed app provides it."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    for config in apps.get_app_configs():
        if path := getattr(config, "partner_activity", None):
            return import_string(path)(institution=institution, today=today or local_today())
    return None


def contact_directory():
    return (
        Contact.objects.select_related("institution")
        .filter(institution__is_active=True, is_active=True)
        .order_by(sort_key("name"), sort_key("institution__name"))
    )


def agreement_overview(today=None):
    return (
        Agreement.objects.with_renewal_due(today)
        .select_related("institution", "renews", "renewal")
        .order_by("end_date", "title")
    )


# --- Working groups -----------------------------------------------------------------------------------


def visible_groups(user):
    """The working groups `user` may open: all of them for the back office and managers, else their own."""
    groups = WorkingGroup.objects.all()
    if not user.has_perm("partners.view_all_working_groups"):
        groups = groups.of_member(user)
    return groups


def group_list(user):
    now = timezone.now()
    return (
        visible_groups(user)
        .select_related("lead")
        .prefetch_related(Prefetch("institutions", queryset=Institution.objects.order_by("name")))
        .annotate(
            member_count=_count(
                WorkingGroup.members.through.objects.filter(workinggroup=OuterRef("pk")), "workinggroup"
            ),
            pending_count=_count(Action.objects.pending().filter(group=OuterRef("pk")), "group"),
            next_meeting=Subquery(
                Meeting.objects.filter(group=OuterRef("pk"), starts_at__gte=now)
                .order_by("starts_at")
                .values("starts_at")[:1]
            ),
        )
        .order_by("name")
    )


def group_page(user, today=None):
    today = today or local_today()
    return (
        visible_groups(user)
        .select_related("lead")
        .prefetch_related(
            Prefetch("members", queryset=User.objects.order_by("last_name", "first_name")),
            Prefetch("institutions", queryset=Institution.objects.order_by("name")),
            "documents",
            Prefetch("meetings", queryset=Meeting.objects.order_by("-starts_at")),
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("owner", "meeting").in_work_order(today),
            ),
            Prefetch("projects", queryset=Project.objects.order_by("name")),
        )
    )


def meeting_page(user, today=None):
    today = today or local_today()
    return (
        Meeting.objects.filter(group__in=visible_groups(user))
        .select_related("group", "group__lead")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("user", "contact", "contact__institution").order_by(
                    "status", "pk"
                ),
            ),
            Prefetch("actions", queryset=Action.objects.select_related("owner").in_work_order(today)),
        )
    )


def meeting_members(meeting):
    """Whose attendance the meeting's page asks about: the group's lead and members, by name."""
    group = meeting.group
    return (
        User.objects.filter(Q(working_groups=group) | Q(led_working_groups=group))
        .distinct()
        .order_by("last_name", "first_name")
    )


def meeting_contacts(meeting):
    """Partner contacts who may come as guests: those of the group's institutions, and any who came."""
    return (
        Contact.objects.filter(
            Q(is_active=True, institution__working_groups=meeting.group) | Q(attendances__meeting=meeting)
        )
        .select_related("institution")
        .distinct()
        .order_by("institution__name", "name")
    )


def action_owners(group):
    """Who may be given an action: anyone still on the staff, the group's members first in the list."""
    return User.objects.filter(is_active=True, groups__isnull=False).distinct().order_by("first_name", "last_name")


def actions_of(user, today=None):
    """`user`'s actions: pending first, overdue at the top, then by due date."""
    return Action.objects.filter(owner=user).select_related("group", "meeting").in_work_order(today)


# --- Projects -----------------------------------------------------------------------------------------


def project_overview():
    return Project.objects.prefetch_related(
        Prefetch("objectives", queryset=Objective.objects.order_by("deadline", "pk")),
        Prefetch("working_groups", queryset=WorkingGroup.objects.order_by("name")),
    ).order_by("-is_active", "name")


# --- The network --------------------------------------------------------------------------------------


def network_centres():
    return Centre.objects.prefetch_related(
        Prefetch("mentoring_given", queryset=MentoringLink.objects.select_related("mentee").order_by("-start_date")),
        Prefetch("mentoring_received", queryset=MentoringLink.objects.select_related("mentor").order_by("-start_date")),
    ).order_by("-is_active", "name")


def network_events():
    return NetworkEvent.objects.select_related("host").prefetch_related(
        Prefetch("participants", queryset=User.objects.order_by("last_name", "first_name"))
    )


# --- Calendar feed ------------------------------------------------------------------------------------

FEED_PAST_DAYS = 365  # a feed keeps a year of past meetings: enough to look back, small enough to poll


def user_for_calendar_token(token):
    """The active staff member whose feed `token` opens, or None."""
    from partners.services import token_digest

    if not token or len(token) > 100:
        return None
    found = CalendarToken.objects.select_related("user").filter(digest=token_digest(token)).first()
    if found is None or not found.user.is_active or not found.user.has_perm("partners.view_meeting"):
        return None
    return found.user


def feed_meetings(user):
    """Meetings of the groups `user` leads or belongs to, from a year ago on."""
    since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    return (
        Meeting.objects.filter(group__in=WorkingGroup.objects.of_member(user), starts_at__gte=since)
        .select_related("group")
        .order_by("starts_at")
    )


def feed_events(user):
    """Network events `user` takes part in, from a year ago on."""
    since = local_today() - datetime.timedelta(days=FEED_PAST_DAYS)
    return (
        NetworkEvent.objects.filter(participants=user, ends_on__gte=since).select_related("host").order_by("starts_on")
    )
