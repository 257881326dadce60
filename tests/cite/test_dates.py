"""One bounded parser for the dates of URLs and forms: what it accepts, what it refuses and how it says so."""

import datetime
import re
from pathlib import Path

import pytest
from django import forms

from cite import dates

D = datetime.date
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-03-09", D(2026, 3, 9)),
        (" 2026-3-9 ", D(2026, 3, 9)),
        ("1900-01-01", D(1900, 1, 1)),
        ("2200-12-31", D(2200, 12, 31)),
    ],
)
def test_a_date_within_the_years_is_read(text, day):
    assert dates.parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0001-01-01", "Donnez une date comprise entre les années 1900 et 2200."),
        ("9999-12-31", "Donnez une date comprise entre les années 1900 et 2200."),
        ("99999-01-01", "Donnez une date comprise entre les années 1900 et 2200."),
        ("1899-12-31", "Donnez une date comprise entre les années 1900 et 2200."),
        ("2026-02-30", "2026-02-30 n’est pas un jour du calendrier."),
        ("-1", "« -1 » n’est pas une date : écrivez-la sous la forme AAAA-MM-JJ."),
        ("2026-03", "« 2026-03 » n’est pas une date : écrivez-la sous la forme AAAA-MM-JJ."),
        ("٢٠٢٦-٠٣-٠٩", "« ٢٠٢٦-٠٣-٠٩ » n’est pas une date : écrivez-la sous la forme AAAA-MM-JJ."),  # digits, not ASCII
        ("x" * 80, f"« {'x' * 29}… » n’est pas une date : écrivez-la sous la forme AAAA-MM-JJ."),
    ],
)
def test_a_date_it_cannot_use_is_refused_with_the_reason(text, message):
    with pytest.raises(dates.BadDate) as refused:
        dates.parse_date(text)
    assert refused.value.message == message


def test_months_are_read_as_their_first_day_and_refused_outside_the_years():
    assert dates.parse_month("2026-03") == D(2026, 3, 1)
    for text in ("2026-13", "2026-00", "2026-03-01", "", "garbage"):
        with pytest.raises(dates.BadDate, match="n’est pas un mois"):
            dates.parse_month(text)
    for text in ("0001-01", "9999-12"):
        with pytest.raises(dates.BadDate, match="entre les années"):
            dates.parse_month(text)


def test_the_years_are_settings(settings):
    settings.DATES_FIRST_YEAR, settings.DATES_LAST_YEAR = 2000, 2050
    assert dates.parse_date("2050-12-31") == D(2050, 12, 31)
    with pytest.raises(dates.BadDate, match="entre les années 2000 et 2050"):
        dates.parse_date("2051-01-01")
    assert not dates.within(datetime.datetime(1999, 12, 31, 23, 59))


def test_form_fields_refuse_dates_outside_the_years_as_a_form_error():
    class Form(forms.Form):
        day = dates.DateField()
        moment = dates.DateTimeField()

    form = Form({"day": "9999-12-31", "moment": "0001-01-01T10:00"})
    assert not form.is_valid()
    assert form.errors == {
        "day": ["Donnez une date comprise entre les années 1900 et 2200."],
        "moment": ["Donnez une date comprise entre les années 1900 et 2200."],
    }
    assert Form({"day": "2026-03-09", "moment": "2026-03-09T10:00"}).is_valid()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Donnez une date comprise entre les années 1900 et 2200."),
        ("en", "Give a date between the years 1900 and 2200."),
    ],
)
def test_a_public_page_refuses_a_far_date_with_a_400_in_the_readers_language(client, language, text):
    response = client.get("/counselling/when-to-come/?week=9999-12-31", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert text in response.content.decode()


@pytest.mark.django_db
def test_no_link_leads_past_the_last_week_or_month(client, back_office):
    client.force_login(back_office)
    assert 'rel="next"' not in client.get("/counselling/when-to-come/?week=2200-12-31").content.decode()
    assert 'rel="next"' not in client.get("/counselling/planning/?week=2200-12-31").content.decode()
    assert 'rel="prev"' not in client.get("/counselling/planning/?week=1900-01-01").content.decode()
    assert 'rel="next"' not in client.get("/counselling/planning/hours/?month=2200-12").content.decode()
    page = client.get("/counselling/planning/hours/?month=2200-11").content.decode()
    assert 'href="?month=2200-12" rel="next"' in page


@pytest.mark.django_db
def test_the_dashboard_offers_no_period_outside_the_years(client, manager):
    client.force_login(manager)
    page = client.get("/statistics/?period=year&date=2200-06-01").content.decode()
    assert 'rel="prev"' in page and 'rel="next"' not in page
    page = client.get("/statistics/?period=year&date=1900-06-01").content.decode()
    assert 'rel="prev"' not in page and 'rel="next"' in page


# Parsing a date by hand, or with a form field that knows no bounds, skips the rule: only cite/dates.py
# does. Allowed: OAI-PMH resumption tokens (signed by cite itself) and a time of day.
BY_HAND = re.compile(r"\b(fromisoformat|strptime)\(|\bforms\.Date(Time)?Field\(|django_filters\.Date(Time)?Filter\(")
ALLOWED = {
    ("resources/oai.py", 'datetime.fromisoformat(state["'),
    ("resources/oai.py", "time.fromisoformat(value[11:19])"),
}


def test_no_page_parses_a_date_but_through_cite_dates():
    found = []
    for app in ("cite", "counselling", "partners", "reception", "resources"):
        for path in sorted((ROOT / app).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            if "/migrations/" in name or name == "cite/dates.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if BY_HAND.search(line) and not any(name == where and text in line for where, text in ALLOWED):
                    found.append(f"{name}:{number}: {line.strip()}")
    assert found == []
