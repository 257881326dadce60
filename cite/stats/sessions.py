"""The dashboard's sections on what happens at the desk: sessions, topics, occupations explored by
ISCO-08 group, referrals, activity per partner institution and documents handed.

Every figure is a count of visits (tickets, walk-ins included) by the local day of the visit, as
the sections on reception's tickets count them, so the two halves of the dashboard agree. A visit
counts once per topic, occupation group, institution or document however many sessions it had.

A visit may discuss several topics or explore several occupations, so these breakdowns are not a
partition of the visits: their total row counts *mentions* (each visit once per value), which the
rows do add up to, so small-count suppression (and its complementary cell) works as for the
profile lists and the network file's rule "cells never add up to more than the total" holds. The
share column, on screen, is the share of the visits that had a session.

Each section runs one or two aggregate queries for the period and its previous period together.
No figure here names or ranks a counsellor: activity is by institution.
"""

from django.db import connection
from django.db.models import Count, Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cite.stats.tables import CHANGE, COUNT, SHARE, Column, Row, Stat, Table
from counselling.models import Referral, Session, Topic
from partners.models import Institution
from resources.models import IscoGroup, Occupation, Record

MOST_ASKED = 10  # rows of the "most asked-about" tables


def _share(part, whole):
    return 100 * part / whole if whole else None


def _change(now, before):
    return 100 * (now - before) / before if before else None


def _in(period, field="ticket__day"):
    return Q(**{f"{field}__range": (period.start, period.end)})


class SessionFigures:
    """The visits that had a session, read once for all the sections of one dashboard."""

    def __init__(self, figures):
        self.period, self.previous = figures.period, figures.previous
        both = Session.objects.filter(ticket__day__range=(self.previous.start, self.period.end))
        totals = both.aggregate(
            visits=Count("ticket", distinct=True, filter=_in(self.period)),
            visits_before=Count("ticket", distinct=True, filter=_in(self.previous)),
            sessions=Count("id", filter=_in(self.period)),
            sessions_before=Count("id", filter=_in(self.previous)),
            **{
                f"{outcome}{suffix}": Count("ticket", distinct=True, filter=_in(p) & Q(outcome=outcome))
                for outcome in Session.Outcome.values
                for suffix, p in (("", self.period), ("_before", self.previous))
            },
        )
        self.totals = totals
        self.visits, self.visits_before = totals["visits"], totals["visits_before"]

    @classmethod
    def of(cls, figures):
        """One SessionFigures per Figures: the sections share it."""
        if not hasattr(figures, "_session_figures"):
            figures._session_figures = cls(figures)
        return figures._session_figures


def _columns(label):
    return [
        Column("label", label, "label"),
        Column("visits", _("Visits"), COUNT),
        Column("share", _("Share of visits with a session"), SHARE),
        Column("previous", _("Previous period"), COUNT),
        Column("previous_share", pgettext("part of a total", "Previous share"), SHARE),
        Column("change", pgettext("compared with the previous period", "Change"), CHANGE),
    ]


def _row(code, label, now, before, base, *, css="", whole=False):
    """A line of visits: `base` is the SessionFigures whose visits with a session make the shares."""
    return Row(
        code=code,
        label=label,
        css=css,
        cells={
            "visits": Stat(now, COUNT, whole=whole),
            "share": Stat(_share(now, base.visits), SHARE, basis=now, whole=whole),
            "previous": Stat(before, COUNT, whole=whole),
            "previous_share": Stat(_share(before, base.visits_before), SHARE, basis=before, whole=whole),
            "change": Stat(_change(now, before), CHANGE, basis=min(now, before) or None, whole=whole),
        },
    )


def _mentions_table(base, rows, *, key, title, label, group, network=None, description="", totals=None):
    """A table of visits by a value a visit may have several of; its total row counts the mentions
    (of the rows, or `totals` when the rows are only the first of a longer list)."""
    rows = [r for r in rows if r[2] or r[3]]  # (code, label, now, before[, css])
    total_now, total_before = totals or (sum(r[2] for r in rows), sum(r[3] for r in rows))
    return Table(
        key=key,
        title=title,
        group=group,
        description=description,
        columns=_columns(label),
        rows=[_row(r[0], r[1], r[2], r[3], base, css=r[4] if len(r) > 4 else "") for r in rows],
        total=Row(
            None,
            _("All mentions"),
            {
                "visits": Stat(total_now, COUNT),
                "share": Stat(None, SHARE),
                "previous": Stat(total_before, COUNT),
                "previous_share": Stat(None, SHARE),
                "change": Stat(_change(total_now, total_before), CHANGE, basis=min(total_now, total_before) or None),
            },
        ),
        chart="bars",
        network=network,
        public_total=False,  # mentions are not a figure shown elsewhere: a small one is withheld
    )


def session_figures(figures):
    """Sessions, the visits that had one, and whether the visitor's question was answered."""
    base = SessionFigures.of(figures)
    t = base.totals
    referrals = Referral.objects.filter(session__ticket__day__range=(base.previous.start, base.period.end)).aggregate(
        now=Count("id", filter=_in(base.period, "session__ticket__day")),
        before=Count("id", filter=_in(base.previous, "session__ticket__day")),
    )
    handed = Session.documents.through.objects.filter(
        session__ticket__day__range=(base.previous.start, base.period.end)
    ).aggregate(
        now=Count("id", filter=_in(base.period, "session__ticket__day")),
        before=Count("id", filter=_in(base.previous, "session__ticket__day")),
    )

    def row(code, label, now, before, *, basis=True):
        return Row(
            code=code,
            label=label,
            cells={
                "value": Stat(now, COUNT, whole=not basis),
                "previous": Stat(before, COUNT, whole=not basis),
                "change": Stat(_change(now, before), CHANGE, basis=(min(now, before) or None) if basis else None),
            },
        )

    outcomes = {
        Session.Outcome.YES: _("Question answered"),
        Session.Outcome.PARTLY: _("Question partly answered"),
        Session.Outcome.NO: _("Question not answered"),
    }
    rows = [
        row("sessions", _("Sessions"), t["sessions"], t["sessions_before"], basis=False),
        row("visits-with-session", _("Visits with a session"), t["visits"], t["visits_before"], basis=False),
        *[row(f"outcome-{o}", label, t[o], t[f"{o}_before"]) for o, label in outcomes.items()],
        row("referrals", _("Referrals"), referrals["now"], referrals["before"], basis=False),
        row("documents-handed", _("Documents handed"), handed["now"], handed["before"], basis=False),
    ]
    return Table(
        key="session-figures",
        title=_("Sessions"),
        group=_("At the desk"),
        description=_("A visit may have several sessions (after a referral to another area)."),
        columns=[
            Column("label", _("Figure"), "label"),
            Column("value", figures.period.label, COUNT),
            Column("previous", figures.previous.label, COUNT),
            Column("change", pgettext("compared with the previous period", "Change"), CHANGE),
        ],
        rows=rows,
        partition=False,
    )


def topics(figures):
    base = SessionFigures.of(figures)
    counted = Topic.objects.annotate(
        now=Count("session__ticket", distinct=True, filter=_in(base.period, "session__ticket__day")),
        before=Count("session__ticket", distinct=True, filter=_in(base.previous, "session__ticket__day")),
    ).order_by("order", "code")
    return _mentions_table(
        base,
        [(t.code, t.label, t.now, t.before) for t in counted],
        key="topics",
        title=_("Topics discussed in sessions"),
        label=_("Topic"),
        group=_("At the desk"),
        network="topics",
    )


# Visits by the ISCO-08 group (at one level) of the occupations and groups explored in their sessions:
# an ESCO occupation counts for the groups above its unit group; a group chosen directly counts for
# itself and the groups above it (a major group chosen alone does not count for any sub-major group).
EXPLORED_GROUPS = """
WITH explored AS (
    SELECT s.ticket_id, t.day, g.code
      FROM {session} s JOIN {ticket} t ON t.id = s.ticket_id
      JOIN {session_occupations} so ON so.session_id = s.id
      JOIN {occupation} o ON o.id = so.occupation_id
      JOIN {group} g ON g.id = o.group_id
     WHERE t.day BETWEEN %(first)s AND %(last)s
    UNION
    SELECT s.ticket_id, t.day, g.code
      FROM {session} s JOIN {ticket} t ON t.id = s.ticket_id
      JOIN {session_groups} sg ON sg.session_id = s.id
      JOIN {group} g ON g.id = sg.iscogroup_id
     WHERE t.day BETWEEN %(first)s AND %(last)s
)
SELECT level, left(code, level) AS prefix,
       count(DISTINCT ticket_id) FILTER (WHERE day >= %(start)s),
       count(DISTINCT ticket_id) FILTER (WHERE day < %(start)s)
  FROM explored CROSS JOIN (VALUES (1), (2)) AS levels (level)
 WHERE length(code) >= level
 GROUP BY 1, 2
"""


def _explored_groups(base):
    from reception.models import Ticket

    sql = EXPLORED_GROUPS.format(
        session=Session._meta.db_table,
        ticket=Ticket._meta.db_table,
        session_occupations=Session.occupations.through._meta.db_table,
        session_groups=Session.occupation_groups.through._meta.db_table,
        occupation=Occupation._meta.db_table,
        group=IscoGroup._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"first": base.previous.start, "last": base.period.end, "start": base.period.start})
        return cursor.fetchall()


def occupations(figures):
    """Occupations explored by ISCO-08 major and sub-major group, and the most asked-about occupations."""
    base = SessionFigures.of(figures)
    counted = _explored_groups(base)
    groups = {g.code: g for g in IscoGroup.objects.filter(code__in=[prefix for _level, prefix, *_c in counted])}
    tables = []
    for level, key, title, network in [
        (1, "occupations-isco-major", _("Occupations explored, by ISCO-08 major group"), "occupations_isco_major"),
        (
            2,
            "occupations-isco-sub-major",
            _("Occupations explored, by ISCO-08 sub-major group"),
            "occupations_isco_sub_major",
        ),
    ]:
        rows = sorted(
            (prefix, f"{prefix} {groups[prefix].label}" if prefix in groups else prefix, now, before)
            for lvl, prefix, now, before in counted
            if lvl == level
        )
        tables.append(
            _mentions_table(
                base,
                rows,
                key=key,
                title=title,
                label=_("ISCO-08 group"),
                group=_("Occupations explored"),
                network=network,
                description=_("Occupations and occupation groups explored in sessions, counted once per visit."),
            )
        )

    explored = list(
        Occupation.objects.annotate(
            now=Count("sessions__ticket", distinct=True, filter=_in(base.period, "sessions__ticket__day")),
            before=Count("sessions__ticket", distinct=True, filter=_in(base.previous, "sessions__ticket__day")),
        )
        .filter(sessions__ticket__day__range=(base.previous.start, base.period.end))
        .order_by("-now", "id")
    )
    most_asked = _mentions_table(
        base,
        [(o.uri, o.label, o.now, o.before) for o in explored if o.now][:MOST_ASKED],
        key="occupations-most-asked",
        title=_("Most asked-about occupations"),
        label=_("Occupation"),
        group=_("Occupations explored"),
        network="occupations_esco",
        description=_("The %(count)s ESCO occupations explored in the most visits of the period.")
        % {"count": MOST_ASKED},
        totals=(sum(o.now for o in explored), sum(o.before for o in explored)),
    )
    tables.append(most_asked)
    return tables


def referrals(figures):
    """Referrals by partner institution (named here, by kind for the network) and to other areas."""
    base = SessionFigures.of(figures)
    counted = list(
        Referral.objects.filter(session__ticket__day__range=(base.previous.start, base.period.end))
        .values("institution", "institution__name", "institution__kind", "area", "area__code")
        .annotate(
            now=Count("session__ticket", distinct=True, filter=_in(base.period, "session__ticket__day")),
            before=Count("session__ticket", distinct=True, filter=_in(base.previous, "session__ticket__day")),
        )
        .order_by("institution__name", "area__order")
    )
    areas = {area.pk: area for area in figures.areas}
    to_institutions = [r for r in counted if r["institution"]]
    kinds = _by_kind(to_institutions)
    group = _("Referrals")
    return [
        _mentions_table(
            base,
            [(str(r["institution"]), r["institution__name"], r["now"], r["before"]) for r in to_institutions],
            key="referrals-by-institution",
            title=_("Referrals by institution"),
            label=_("Institution"),
            group=group,
            description=_("Visits referred to each partner institution."),
        ),
        _mentions_table(
            base,
            [(kind, capfirst(label), *kinds.get(kind, (0, 0))) for kind, label in Institution.Kind.choices],
            key="referrals-by-institution-kind",
            title=_("Referrals, by kind of institution"),
            label=_("Kind of institution"),
            group=group,
            network="referrals_by_institution_kind",
        ),
        _mentions_table(
            base,
            [
                (areas[r["area"]].code, areas[r["area"]].name, r["now"], r["before"], f"area-{areas[r['area']].letter}")
                for r in counted
                if r["area"] in areas
            ],
            key="referrals-to-area",
            title=_("Referrals to another area"),
            label=_("Area"),
            group=group,
            network="referrals_to_area",
        ),
    ]


def _by_kind(rows):
    kinds = {}
    for r in rows:
        now, before = kinds.get(r["institution__kind"], (0, 0))
        kinds[r["institution__kind"]] = (now + r["now"], before + r["before"])
    return kinds


def institutions(figures):
    """Activity per partner institution: visits received in sessions by the counsellors it seconds."""
    base = SessionFigures.of(figures)
    counted = list(
        Session.objects.filter(ticket__day__range=(base.previous.start, base.period.end), institution__isnull=False)
        .values("institution", "institution__name", "institution__kind")
        .annotate(
            now=Count("ticket", distinct=True, filter=_in(base.period)),
            before=Count("ticket", distinct=True, filter=_in(base.previous)),
        )
        .order_by("institution__name")
    )
    kinds = _by_kind(counted)
    group = _("Partner institutions")
    description = _("Visits received by the counsellors each institution seconds (never by counsellor).")
    return [
        _mentions_table(
            base,
            [(str(r["institution"]), r["institution__name"], r["now"], r["before"]) for r in counted],
            key="sessions-by-institution",
            title=_("Activity per partner institution"),
            label=_("Institution"),
            group=group,
            description=description,
        ),
        _mentions_table(
            base,
            [(kind, capfirst(label), *kinds.get(kind, (0, 0))) for kind, label in Institution.Kind.choices],
            key="sessions-by-institution-kind",
            title=_("Sessions, by kind of partner institution"),
            label=_("Kind of institution"),
            group=group,
            network="sessions_by_institution_kind",
            description=description,
        ),
    ]


def documents(figures):
    """Documents of the library handed in sessions: the most handed-out ones, and by kind of record."""
    base = SessionFigures.of(figures)
    annotations = {
        "now": Count("sessions__ticket", distinct=True, filter=_in(base.period, "sessions__ticket__day")),
        "before": Count("sessions__ticket", distinct=True, filter=_in(base.previous, "sessions__ticket__day")),
    }
    handed = Record.objects.filter(sessions__ticket__day__range=(base.previous.start, base.period.end))
    top = list(handed.annotate(**annotations).filter(now__gt=0).order_by("-now", "title")[:MOST_ASKED])
    kinds = {r["kind"]: (r["now"], r["before"]) for r in handed.values("kind").annotate(**annotations).order_by()}
    group = _("Documents handed")
    return [
        Table(
            key="documents-most-handed",
            title=_("Most handed-out documents"),
            group=group,
            description=_("The %(count)s records of the library handed in the most visits of the period.")
            % {"count": MOST_ASKED},
            columns=_columns(_("Record")),
            rows=[_row(str(r.pk), r.title, r.now, r.before, base) for r in top],
            partition=False,
            chart="bars",
        ),
        _mentions_table(
            base,
            [(kind, capfirst(label), *kinds.get(kind, (0, 0))) for kind, label in Record.Kind.choices],
            key="documents-by-kind",
            title=_("Documents handed, by kind"),
            label=_("Kind of record"),
            group=group,
            network="documents_by_kind",
        ),
    ]


SECTIONS = [session_figures, topics, occupations, referrals, institutions, documents]
