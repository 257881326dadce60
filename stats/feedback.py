"""The statistics' section on visitors' anonymous feedback (reception.Feedback): answers by area
for the period, whether visitors found what they came for, and the share who rated their visit 4 or
5. By area and period only, never by counsellor or desk; small counts are withheld with the rest of
the dashboard (stats/disclosure.py), the share when fewer than the threshold rated the visit."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from cite.models import Area
from reception.models import Feedback
from stats.tables import COUNT, SHARE, Column, Row, Stat, Table, share

FOUND = [*Feedback.Found.values, ""]  # "": the question was left unanswered


def feedback_by_area(figures):
    """One query: the period's answers, grouped by area and by the answer to "did you find…"."""
    period = figures.period
    counted = (
        Feedback.objects.filter(day__range=(period.start, period.end))
        .values("area_id", "found")
        .annotate(
            answers=Count("id"),
            rated=Count("id", filter=Q(rating__isnull=False)),
            good=Count("id", filter=Q(rating__gte=4)),
        )
        .order_by()
    )
    by_area = {}
    for item in counted:
        area = by_area.setdefault(item["area_id"], {"answers": 0, "rated": 0, "good": 0, **dict.fromkeys(FOUND, 0)})
        area["answers"] += item["answers"]
        area["rated"] += item["rated"]
        area["good"] += item["good"]
        area[item["found"]] += item["answers"]
    areas = {area.pk: area for area in Area.objects.filter(pk__in=by_area)}

    def row(code, label, values, *, whole=False):
        def ref(what):
            return (False, f"feedback-{what}", code)

        cells = {"answers": Stat(values["answers"], COUNT, whole=whole, ref=ref("answers"))}
        for found in FOUND:
            cells[found or "unanswered"] = Stat(values[found], COUNT, whole=whole, ref=ref(found or "unanswered"))
        cells["satisfied"] = Stat(share(values["good"], values["rated"]), SHARE, basis=values["rated"], whole=whole)
        return Row(code=code, label=label, cells=cells, css=f"area-{areas[code].letter}" if code in areas else "")

    rows = [row(pk, areas[pk].name, values) for pk, values in by_area.items() if pk in areas]
    rows.sort(key=lambda item: (areas[item.code].order, areas[item.code].letter))
    total = {key: sum(values[key] for values in by_area.values()) for key in ["answers", "rated", "good", *FOUND]}
    parts = ["yes", "partly", "no", "unanswered"]
    return Table(
        key="visitor-feedback",
        title=_("Visitors' feedback"),
        group=_("Visitors' feedback"),
        description=_(
            "Answers given on the phone page after the visit, anonymously: did visitors find what they came "
            "for, and the share who rated their visit 4 or 5 out of 5. By area, never by counsellor."
        ),
        columns=[
            Column("label", _("Area"), "label"),
            Column("answers", _("Answers"), COUNT),
            Column("yes", _("Found it"), COUNT),
            Column("partly", _("Partly"), COUNT),
            Column("no", _("Did not find it"), COUNT),
            Column("unanswered", _("Not answered"), COUNT),
            Column("satisfied", _("Rated 4 or 5"), SHARE),
        ],
        rows=rows,
        total=row(None, _("All areas"), total, whole=True),
        relations=[
            ([(False, f"feedback-{part}", r.code) for part in parts], [(False, "feedback-answers", r.code)])
            for r in [*rows]
        ],
    )
