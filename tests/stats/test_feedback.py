"""Visitors' feedback in the statistics: answers by area and period, small counts withheld, never a
counsellor."""

import datetime

import pytest

from reception import services
from reception.models import Feedback, Ticket
from stats import figures
from stats.periods import Period
from tests.factories import make_areas

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 10, 14)


def answers(area, found, count, rating=None):
    for _index in range(count):
        ticket = services.issue_ticket(area=area, issued_by=None)
        Ticket.objects.filter(pk=ticket.pk).update(day=DAY)
        Feedback.objects.create(ticket=ticket, area=area, day=DAY, found=found, rating=rating)


def feedback_table():
    return {t.key: t for t in figures.dashboard(Period.of("month", DAY))}["visitor-feedback"]


def test_feedback_is_counted_by_area_and_small_counts_are_withheld():
    areas = make_areas("find-job", "find-training")
    job, training = areas["find-job"], areas["find-training"]
    answers(job, "yes", 6, rating=5)
    answers(job, "no", 2, rating=2)
    answers(training, "partly", 3, rating=4)
    table = feedback_table()
    rows = {row.code: row for row in table.rows}
    job_cells = rows[job.pk].cells
    assert job_cells["no"].suppressed and "2" not in job_cells["no"].text  # 2 visitors
    # The 2 cannot be worked out from the rest of the row: another of its parts is withheld too.
    assert any(job_cells[key].suppressed for key in ("answers", "yes", "partly", "unanswered"))
    assert job_cells["satisfied"].value == 75  # 6 of 8 ratings: 8 visitors behind it
    assert rows[training.pk].cells["answers"].suppressed  # 3 answers in all
    assert rows[training.pk].cells["satisfied"].suppressed  # a share of 3 ratings
    assert table.total.cells["answers"].text == "11"


def test_no_column_or_row_names_a_counsellor():
    make_areas("find-job")
    table = feedback_table()
    labels = [column.label.lower() for column in table.columns]
    assert not any("counsellor" in label or "conseiller" in label or "desk" in label for label in labels)
