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

One SQL statement (SESSION_FACTS) counts every breakdown per day; closed days are rolled up into
DailySessionCount by the nightly roll-up with reception's figures, the other days are counted
live, and one query (SESSION_COUNTS) reads both periods at once for every section. No figure here
names or ranks a counsellor: activity is by institution.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from counselling.models import Referral, Session, Topic
from partners.models import Institution
from reception.models import Ticket
from resources.models import IscoGroup, Occupation, Record
from stats.models import DailySessionCount, MonthlySessionCount
from stats.models import SessionBreakdown as B
from stats.scopes import one_scope
from stats.tables import CHANGE, COUNT, NUMBER, SHARE, Column, Row, Stat, Table, change, share

MOST_ASKED = 10  # rows of the "most asked-about" tables

_T = {
    "t_session": Session._meta.db_table,
    "t_ticket": Ticket._meta.db_table,
    "t_topics": Session.topics.through._meta.db_table,
    "t_occupations": Session.occupations.through._meta.db_table,
    "t_groups": Session.occupation_groups.through._meta.db_table,
    "t_documents": Session.documents.through._meta.db_table,
    "t_referral": Referral._meta.db_table,
    "t_institution": Institution._meta.db_table,
    "t_occupation": Occupation._meta.db_table,
    "t_isco": IscoGroup._meta.db_table,
    "t_record": Record._meta.db_table,
}

# (day, scope area, scope institution, breakdown, key, visits) for the days of {days} (a condition on
# `day`), in the scopes of {scopes} (stats.scopes.all_scopes or one_scope of the same days). ISCO-08
# groups: an ESCO occupation counts for the groups above its unit group; a group chosen directly counts
# for itself and the groups above it (a major group chosen alone counts for no sub-major group).
SESSION_FACTS = """
WITH s AS (
    SELECT s.id, s.ticket_id, t.day, sc.scope_area AS sa, sc.scope_institution AS si, s.institution_id, s.outcome
      FROM {t_session} s JOIN {t_ticket} t ON t.id = s.ticket_id
      JOIN ({{scopes}}) AS sc ON sc.ticket_id = t.id
     WHERE {{days}}
), explored AS (
    SELECT s.ticket_id, s.day, s.sa, s.si, g.code FROM s
      JOIN {t_occupations} so ON so.session_id = s.id
      JOIN {t_occupation} o ON o.id = so.occupation_id JOIN {t_isco} g ON g.id = o.group_id
    UNION
    SELECT s.ticket_id, s.day, s.sa, s.si, g.code FROM s
      JOIN {t_groups} sg ON sg.session_id = s.id JOIN {t_isco} g ON g.id = sg.iscogroup_id
)
SELECT day, sa, si, '{sessions}', '', count(*) FROM s GROUP BY 1, 2, 3
UNION ALL SELECT day, sa, si, '{visits}', '', count(DISTINCT ticket_id) FROM s GROUP BY 1, 2, 3
UNION ALL SELECT day, sa, si, '{outcome}', outcome, count(DISTINCT ticket_id) FROM s WHERE outcome <> ''
           GROUP BY 1, 2, 3, 5
UNION ALL SELECT day, sa, si, '{institution}', institution_id::text, count(DISTINCT ticket_id)
            FROM s WHERE institution_id IS NOT NULL GROUP BY 1, 2, 3, 5
UNION ALL SELECT s.day, s.sa, s.si, '{institution_kind}', i.kind, count(DISTINCT s.ticket_id)
            FROM s JOIN {t_institution} i ON i.id = s.institution_id GROUP BY 1, 2, 3, 5
UNION ALL SELECT s.day, s.sa, s.si, '{topic}', st.topic_id::text, count(DISTINCT s.ticket_id)
            FROM s JOIN {t_topics} st ON st.session_id = s.id GROUP BY 1, 2, 3, 5
UNION ALL SELECT day, sa, si, '{isco1}', left(code, 1), count(DISTINCT ticket_id) FROM explored GROUP BY 1, 2, 3, 5
UNION ALL SELECT day, sa, si, '{isco2}', left(code, 2), count(DISTINCT ticket_id)
            FROM explored WHERE length(code) >= 2 GROUP BY 1, 2, 3, 5
UNION ALL SELECT s.day, s.sa, s.si, '{occupation}', so.occupation_id::text, count(DISTINCT s.ticket_id)
            FROM s JOIN {t_occupations} so ON so.session_id = s.id GROUP BY 1, 2, 3, 5
UNION ALL SELECT s.day, s.sa, s.si, '{referrals}', '', count(*)
            FROM s JOIN {t_referral} r ON r.session_id = s.id GROUP BY 1, 2, 3
UNION ALL SELECT s.day, s.sa, s.si, '{ref_institution}', r.institution_id::text, count(DISTINCT s.ticket_id)
            FROM s JOIN {t_referral} r ON r.session_id = s.id WHERE r.institution_id IS NOT NULL GROUP BY 1, 2, 3, 5
UNION ALL SELECT s.day, s.sa, s.si, '{ref_kind}', i.kind, count(DISTINCT s.ticket_id)
            FROM s JOIN {t_referral} r ON r.session_id = s.id JOIN {t_institution} i ON i.id = r.institution_id
           GROUP BY 1, 2, 3, 5
UNION ALL SELECT s.day, s.sa, s.si, '{ref_area}', r.area_id::text, count(DISTINCT s.ticket_id)
            FROM s JOIN {t_referral} r ON r.session_id = s.id WHERE r.area_id IS NOT NULL GROUP BY 1, 2, 3, 5
UNION ALL SELECT s.day, s.sa, s.si, '{handed}', '', count(*)
            FROM s JOIN {t_documents} sd ON sd.session_id = s.id GROUP BY 1, 2, 3
UNION ALL SELECT s.day, s.sa, s.si, '{document}', sd.record_id::text, count(DISTINCT s.ticket_id)
            FROM s JOIN {t_documents} sd ON sd.session_id = s.id GROUP BY 1, 2, 3, 5
UNION ALL SELECT s.day, s.sa, s.si, '{document_kind}', rec.kind, count(DISTINCT s.ticket_id)
            FROM s JOIN {t_documents} sd ON sd.session_id = s.id JOIN {t_record} rec ON rec.id = sd.record_id
           GROUP BY 1, 2, 3, 5
""".format(  # noqa: S608 (our own table names and codes)
    **_T,
    sessions=B.SESSIONS,
    visits=B.VISITS,
    outcome=B.OUTCOME,
    institution=B.INSTITUTION,
    institution_kind=B.INSTITUTION_KIND,
    topic=B.TOPIC,
    isco1=B.ISCO_MAJOR,
    isco2=B.ISCO_SUB_MAJOR,
    occupation=B.OCCUPATION,
    referrals=B.REFERRALS,
    ref_institution=B.REFERRAL_INSTITUTION,
    ref_kind=B.REFERRAL_KIND,
    ref_area=B.REFERRAL_AREA,
    handed=B.HANDED,
    document=B.DOCUMENT,
    document_kind=B.DOCUMENT_KIND,
)

# Both periods at once: rolled-up days from DailySessionCount, the others ({live}) counted on the fly.
# Whole months come from the monthly sums, the days at the edges from the daily rows ({edges}), both
# in the page's scope ({rolled}).
SESSION_COUNTS = f"""
WITH facts (day, breakdown, key, visits) AS (
    SELECT month, breakdown, key, visits FROM {MonthlySessionCount._meta.db_table}
     WHERE {{rolled}} AND month = ANY(%(months)s)
    UNION ALL
    SELECT day, breakdown, key, visits FROM {DailySessionCount._meta.db_table} WHERE {{rolled}} AND {{edges}}
    UNION ALL
    SELECT day, breakdown, key, visits
      FROM ({SESSION_FACTS.format(days="{live}", scopes=one_scope("{live}"))})
           AS live (day, scope_area, scope_institution, breakdown, key, visits)
)
SELECT breakdown, key,
       COALESCE(sum(visits) FILTER (WHERE day >= %(start)s), 0)::int,
       COALESCE(sum(visits) FILTER (WHERE day < %(start)s), 0)::int
  FROM facts GROUP BY 1, 2
"""  # noqa: S608


class SessionFigures:
    """Every count of the sections on sessions, for the period and the previous one: one query."""

    def __init__(self, figures):
        self.period, self.previous = figures.period, figures.previous
        self.counts = {}  # {breakdown: {key: (now, before)}}
        months, edges = figures.months_and_edges
        for breakdown, key, now, before in figures._run(SESSION_COUNTS, edges=edges, months=months):
            self.counts.setdefault(breakdown, {})[key] = (now, before)
        self.visits, self.visits_before = self.get(B.VISITS)

    def get(self, breakdown, key=""):
        return self.counts.get(breakdown, {}).get(key, (0, 0))

    def of_breakdown(self, breakdown):
        return self.counts.get(breakdown, {})

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


def session_ref(breakdown, key="", *, previous=False):
    """The ref of the visits whose sessions had `key` in `breakdown` (disclosure.py)."""
    return (previous, "session", str(breakdown), key)


def _row(code, label, now, before, base, *, breakdown, css="", whole=False):
    """A line of visits: `base` is the SessionFigures whose visits with a session make the shares."""
    return Row(
        code=code,
        label=label,
        css=css,
        cells={
            "visits": Stat(now, COUNT, whole=whole, ref=session_ref(breakdown, code)),
            "share": Stat(share(now, base.visits), SHARE, basis=now, whole=whole),
            "previous": Stat(before, COUNT, whole=whole, ref=session_ref(breakdown, code, previous=True)),
            "previous_share": Stat(share(before, base.visits_before), SHARE, basis=before, whole=whole),
            "change": Stat(change(now, before), CHANGE, basis=min(now, before) or None, whole=whole),
        },
    )


def _mentions_table(
    base, rows, *, breakdown, key, title, label, group, network=None, description="", totals=None, relations=()
):
    """A table of visits by a value a visit may have several of; its total row counts the mentions
    (of the rows, or `totals` when the rows are only the first of a longer list). A total of mentions
    is no figure of the period: a small one is withheld like any count."""
    rows = [r for r in rows if r[2] or r[3]]  # (code, label, now, before[, css])
    total_now, total_before = totals or (sum(r[2] for r in rows), sum(r[3] for r in rows))
    return Table(
        key=key,
        title=title,
        group=group,
        description=description,
        columns=_columns(label),
        rows=[_row(r[0], r[1], r[2], r[3], base, breakdown=breakdown, css=r[4] if len(r) > 4 else "") for r in rows],
        total=Row(
            None,
            _("All mentions"),
            {
                "visits": Stat(total_now, COUNT, ref=(False, "mentions", key)),
                "share": Stat(None, SHARE),
                "previous": Stat(total_before, COUNT, ref=(True, "mentions", key)),
                "previous_share": Stat(None, SHARE),
                "change": Stat(change(total_now, total_before), CHANGE, basis=min(total_now, total_before) or None),
            },
        ),
        chart="bars",
        network=network,
        relations=list(relations),
    )


def _kind_relations(breakdown, kinds_breakdown, items):
    """The visits of a kind add up to those of its items (institutions, records) when a visit is
    counted under one item of each kind: the relation is used only where the counts say it holds."""
    kinds = {}
    for code, kind in items:
        kinds.setdefault(kind, []).append(code)
    return [
        (
            [session_ref(kinds_breakdown, kind, previous=previous)],
            [session_ref(breakdown, c, previous=previous) for c in codes],
        )
        for kind, codes in kinds.items()
        for previous in (False, True)
    ]


def session_figures(figures):
    """Sessions, the visits that had one, whether the question was answered, referrals, documents."""
    base = SessionFigures.of(figures)

    def row(code, label, counted, *, ref, basis=True):
        now, before = counted
        return Row(
            code=code,
            label=label,
            cells={
                "value": Stat(now, COUNT, whole=not basis, ref=session_ref(*ref)),
                "previous": Stat(before, COUNT, whole=not basis, ref=session_ref(*ref, previous=True)),
                "change": Stat(change(now, before), CHANGE, basis=(min(now, before) or None) if basis else None),
            },
        )

    outcomes = {
        Session.Outcome.YES: _("Question answered"),
        Session.Outcome.PARTLY: _("Question partly answered"),
        Session.Outcome.NO: _("Question not answered"),
    }
    rows = [
        row("sessions", _("Sessions"), base.get(B.SESSIONS), basis=False, ref=(B.SESSIONS,)),
        row("visits-with-session", _("Visits with a session"), base.get(B.VISITS), basis=False, ref=(B.VISITS,)),
        *[row(f"outcome-{o}", label, base.get(B.OUTCOME, o), ref=(B.OUTCOME, o)) for o, label in outcomes.items()],
        row("referrals", _("Referrals"), base.get(B.REFERRALS), basis=False, ref=(B.REFERRALS,)),
        row("documents-handed", _("Documents handed"), base.get(B.HANDED), basis=False, ref=(B.HANDED,)),
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


def _lines(base, breakdown, items, code=lambda item: str(item.pk)):
    """(code, label, now, before) of `items` by their key in `breakdown`."""
    counted = base.of_breakdown(breakdown)
    return [(code(item), item.label, *counted.get(str(item.pk), (0, 0))) for item in items]


def _kinds(base, breakdown, choices):
    counted = base.of_breakdown(breakdown)
    return [(kind, capfirst(label), *counted.get(kind, (0, 0))) for kind, label in choices]


def _most(counted, limit=MOST_ASKED):
    """The keys of the `limit` values counted in the most visits of the period."""
    ranked = sorted(((now, int(key)) for key, (now, _before) in counted.items() if now), key=lambda x: (-x[0], x[1]))
    return [str(key) for _now, key in ranked[:limit]]


def topics(figures):
    base = SessionFigures.of(figures)
    return _mentions_table(
        base,
        _lines(base, B.TOPIC, Topic.objects.order_by("order", "code"), code=lambda t: t.code),
        breakdown=B.TOPIC,
        key="topics",
        title=_("Topics discussed in sessions"),
        label=_("Topic"),
        group=_("At the desk"),
        network="topics",
    )


def occupations(figures):
    """Occupations explored by ISCO-08 major and sub-major group, and the most asked-about occupations."""
    base = SessionFigures.of(figures)
    major, sub_major = base.of_breakdown(B.ISCO_MAJOR), base.of_breakdown(B.ISCO_SUB_MAJOR)
    most = _most(base.of_breakdown(B.OCCUPATION))
    groups = {g.code: g for g in IscoGroup.objects.filter(code__in=[*major, *sub_major])}
    occupations = Occupation.objects.in_bulk([int(pk) for pk in most])
    tables = []
    # A visit explores a sub-major group within one major group: where each visit explored one, the
    # sub-major groups add up to their major group.
    within = _kind_relations(B.ISCO_SUB_MAJOR, B.ISCO_MAJOR, [(code, code[0]) for code in sub_major])
    for counted, breakdown, key, title, network, relations in [
        (
            major,
            B.ISCO_MAJOR,
            "occupations-isco-major",
            _("Occupations explored, by ISCO-08 major group"),
            "occupations_isco_major",
            within,
        ),
        (
            sub_major,
            B.ISCO_SUB_MAJOR,
            "occupations-isco-sub-major",
            _("Occupations explored, by ISCO-08 sub-major group"),
            "occupations_isco_sub_major",
            (),
        ),
    ]:
        rows = [
            (code, f"{code} {groups[code].label}" if code in groups else code, now, before)
            for code, (now, before) in sorted(counted.items())
        ]
        tables.append(
            _mentions_table(
                base,
                rows,
                breakdown=breakdown,
                key=key,
                title=title,
                label=_("ISCO-08 group"),
                group=_("Occupations explored"),
                network=network,
                description=_("Occupations and occupation groups explored in sessions, counted once per visit."),
                relations=relations,
            )
        )
    explored = base.of_breakdown(B.OCCUPATION)
    tables.append(
        _mentions_table(
            base,
            [
                (occupations[int(pk)].uri, occupations[int(pk)].label, *explored[pk])
                for pk in most
                if int(pk) in occupations
            ],
            breakdown=B.OCCUPATION,
            key="occupations-most-asked",
            title=_("Most asked-about occupations"),
            label=_("Occupation"),
            group=_("Occupations explored"),
            network="occupations_esco",
            description=_("The %(count)s ESCO occupations explored in the most visits of the period.")
            % {"count": MOST_ASKED},
            # The total counts the mentions of every occupation explored, not only of those shown.
            totals=(sum(now for now, _b in explored.values()), sum(b for _n, b in explored.values())),
        )
    )
    return tables


def referrals(figures):
    """Referrals by partner institution (named here, by kind for the network) and to other areas."""
    base = SessionFigures.of(figures)
    to_institutions = base.of_breakdown(B.REFERRAL_INSTITUTION)
    institutions = Institution.objects.filter(pk__in=[int(pk) for pk in to_institutions]).order_by("name")
    group = _("Referrals")
    return [
        _mentions_table(
            base,
            [(str(i.pk), i.name, *to_institutions[str(i.pk)]) for i in institutions],
            breakdown=B.REFERRAL_INSTITUTION,
            key="referrals-by-institution",
            title=_("Referrals by institution"),
            label=_("Institution"),
            group=group,
            description=_("Visits referred to each partner institution."),
        ),
        _mentions_table(
            base,
            _kinds(base, B.REFERRAL_KIND, Institution.Kind.choices),
            breakdown=B.REFERRAL_KIND,
            key="referrals-by-institution-kind",
            title=_("Referrals, by kind of institution"),
            label=_("Kind of institution"),
            group=group,
            network="referrals_by_institution_kind",
            relations=_kind_relations(
                B.REFERRAL_INSTITUTION, B.REFERRAL_KIND, [(str(i.pk), i.kind) for i in institutions]
            ),
        ),
        _mentions_table(
            base,
            [
                (area.code, area.name, *base.get(B.REFERRAL_AREA, str(area.pk)), f"area-{area.letter}")
                for area in figures.areas
            ],
            breakdown=B.REFERRAL_AREA,
            key="referrals-to-area",
            title=_("Referrals to another area"),
            label=_("Area"),
            group=group,
            network="referrals_to_area",
        ),
    ]


def institutions(figures):
    """Activity per partner institution: visits received in sessions by the counsellors it seconds."""
    base = SessionFigures.of(figures)
    counted = base.of_breakdown(B.INSTITUTION)
    named = Institution.objects.filter(pk__in=[int(pk) for pk in counted]).order_by("name")
    group = _("Partner institutions")
    description = _("Visits received by the counsellors each institution seconds (never by counsellor).")
    return [
        _mentions_table(
            base,
            [(str(i.pk), i.name, *counted[str(i.pk)]) for i in named],
            breakdown=B.INSTITUTION,
            key="sessions-by-institution",
            title=_("Activity per partner institution"),
            label=_("Institution"),
            group=group,
            description=description,
        ),
        _mentions_table(
            base,
            _kinds(base, B.INSTITUTION_KIND, Institution.Kind.choices),
            breakdown=B.INSTITUTION_KIND,
            key="sessions-by-institution-kind",
            title=_("Sessions, by kind of partner institution"),
            label=_("Kind of institution"),
            group=group,
            network="sessions_by_institution_kind",
            description=description,
            relations=_kind_relations(B.INSTITUTION, B.INSTITUTION_KIND, [(str(i.pk), i.kind) for i in named]),
        ),
    ]


def documents(figures):
    """Documents of the library handed in sessions: the most handed-out ones, and by kind of record."""
    base = SessionFigures.of(figures)
    handed = base.of_breakdown(B.DOCUMENT)
    most = _most(handed)
    records = Record.objects.in_bulk([int(pk) for pk in most])
    group = _("Documents handed")
    return [
        Table(
            key="documents-most-handed",
            title=_("Most handed-out documents"),
            group=group,
            description=_("The %(count)s records of the library handed in the most visits of the period.")
            % {"count": MOST_ASKED},
            columns=_columns(_("Record")),
            rows=[
                _row(pk, records[int(pk)].title, *handed[pk], base, breakdown=B.DOCUMENT)
                for pk in most
                if int(pk) in records
            ],
            partition=False,  # the other records are not shown: nothing to subtract from
            chart="bars",
        ),
        _mentions_table(
            base,
            _kinds(base, B.DOCUMENT_KIND, Record.Kind.choices),
            breakdown=B.DOCUMENT_KIND,
            key="documents-by-kind",
            title=_("Documents handed, by kind"),
            label=_("Kind of record"),
            group=group,
            network="documents_by_kind",
            relations=_kind_relations(
                B.DOCUMENT, B.DOCUMENT_KIND, [(pk, records[int(pk)].kind) for pk in most if int(pk) in records]
            ),
        ),
    ]


def workshops(figures):
    """Workshops held (not cancelled, by the local day they started) and the people who came, by kind."""
    from django.db.models import Count, Q, Sum

    from counselling.models import Workshop

    scope = figures.scope

    def held(period):
        condition = Q(is_cancelled=False, starts_at__date__range=(period.start, period.end))
        if scope.area is not None:
            condition &= Q(area_id=scope.area)
        if scope.institution is not None:  # a workshop run with the institution
            condition &= Q(institutions=scope.institution)
        return condition

    counted = {
        row["kind"]: row
        for row in Workshop.objects.filter(held(figures.period) | held(figures.previous))
        .values("kind")
        .annotate(
            held=Count("id", filter=held(figures.period)),
            held_before=Count("id", filter=held(figures.previous)),
            people=Sum("attendance", filter=held(figures.period), default=0),
            people_before=Sum("attendance", filter=held(figures.previous), default=0),
            counted=Count("id", filter=held(figures.period) & Q(attendance__isnull=False)),
        )
        .order_by()
    }

    def row(code, label, values, *, whole=False):
        now, before = values["people"], values["people_before"]
        return Row(
            code=code,
            label=label,
            cells={
                "held": Stat(values["held"], NUMBER),
                "people": Stat(now, COUNT, whole=whole, ref=(False, "workshops", code)),
                "average": Stat(now / values["counted"] if values["counted"] else None, NUMBER, basis=now),
                "previous_held": Stat(values["held_before"], NUMBER),
                "previous": Stat(before, COUNT, whole=whole, ref=(True, "workshops", code)),
                "change": Stat(change(now, before), CHANGE, basis=min(now, before) or None, whole=whole),
            },
        )

    empty = {"held": 0, "held_before": 0, "people": 0, "people_before": 0, "counted": 0}
    rows = [row(kind, label, counted[kind]) for kind, label in Workshop.Kind.choices if kind in counted]
    total = {key: sum(r[key] for r in counted.values()) for key in empty}
    return Table(
        key="workshops",
        title=_("Workshops and attendance"),
        group=_("Workshops"),
        description=_(
            "Workshops, information sessions, forums and job datings held (not cancelled), and the people "
            "who came, counted anonymously after each one."
        ),
        columns=[
            Column("label", _("Kind"), "label"),
            Column("people", _("People who came"), COUNT),
            Column("held", _("Held"), NUMBER),
            Column("average", _("Average per counted event"), NUMBER),
            Column("previous_held", _("Held, previous period"), NUMBER),
            Column("previous", _("People, previous period"), COUNT),
            Column("change", pgettext("compared with the previous period", "Change"), CHANGE),
        ],
        rows=rows,
        total=row(None, _("All kinds"), total, whole=True),
        chart="bars",
        network="workshop_attendance_by_kind",
    )


SECTIONS = [session_figures, topics, occupations, referrals, institutions, documents, workshops]
