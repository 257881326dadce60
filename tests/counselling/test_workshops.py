"""Workshops: their rules in the database and in the services, the anonymous attendance with its
breakdown, and the staff pages (list with filters, month calendar, page, plan, attendance, cancel)."""

import datetime
import re
import zoneinfo

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cite.navigation import entries_for
from counselling import services
from counselling.models import AttendanceCount, Workshop
from partners.models import Institution
from tests.counselling.workshop_factories import make_lists, make_workshop

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


# --- The database keeps the invariants ---------------------------------------------------------------


def test_a_workshop_cannot_end_before_it_starts_nor_count_fewer_than_nobody():
    workshop = make_workshop()
    with transaction.atomic(), pytest.raises(IntegrityError, match="counselling_workshop_ends_after_start"):
        Workshop.objects.filter(pk=workshop.pk).update(ends_at=workshop.starts_at)
    with transaction.atomic(), pytest.raises(IntegrityError, match="attendance"):
        Workshop.objects.filter(pk=workshop.pk).update(attendance=-1)
    with transaction.atomic(), pytest.raises(IntegrityError, match="counselling_workshop_capacity_positive"):
        Workshop.objects.filter(pk=workshop.pk).update(capacity=0)


def test_a_breakdown_row_is_positive_and_one_per_item():
    workshop = make_workshop(days=-1, attendance=10)
    AttendanceCount.objects.create(workshop=workshop, profile_list="age_band", code="16-25", count=3)
    with transaction.atomic(), pytest.raises(IntegrityError, match="counselling_attendance_one_per_item"):
        AttendanceCount.objects.create(workshop=workshop, profile_list="age_band", code="16-25", count=2)
    with transaction.atomic(), pytest.raises(IntegrityError, match="counselling_attendance_count_positive"):
        AttendanceCount.objects.create(workshop=workshop, profile_list="age_band", code="26-44", count=0)


def test_no_model_of_workshops_holds_a_visitors_identity():
    forbidden = re.compile(r"name|email|phone|address|birth|identity", re.IGNORECASE)
    assert [f.name for f in AttendanceCount._meta.get_fields() if forbidden.search(f.name)] == []
    # A workshop names its staff facilitators and partners, never a participant.
    participant_fields = [f.name for f in Workshop._meta.get_fields() if forbidden.search(f.name)]
    assert participant_fields == []


# --- Services ----------------------------------------------------------------------------------------


def test_planning_a_workshop_records_its_partners_occupations_and_planner(back_office, counsellor, plumber, training):
    france_travail = Institution.objects.create(name="France Travail", kind="employment")
    starts = datetime.datetime(2027, 3, 4, 14, 0, tzinfo=PARIS)
    workshop = services.plan_workshop(
        data={
            "kind": Workshop.Kind.JOB_DATING,
            "title": "Job dating du bâtiment",
            "area": training,
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=3),
            "place": "Hall",
            "capacity": 40,
            "institutions": [france_travail],
            "facilitators": [counsellor],
            "occupations": [plumber],
            "occupation_groups": [plumber.group],
        },
        by=back_office,
    )
    workshop.refresh_from_db()
    assert (workshop.kind, workshop.capacity, workshop.created_by) == ("job_dating", 40, back_office)
    assert list(workshop.institutions.all()) == [france_travail]
    assert list(workshop.facilitators.all()) == [counsellor]
    assert list(workshop.occupations.all()) == [plumber]
    assert list(workshop.occupation_groups.all()) == [plumber.group]
    assert workshop.attendance is None and not workshop.is_cancelled


def test_times_that_end_before_the_start_are_refused_by_the_service(back_office):
    starts = timezone.now()
    with pytest.raises(services.WorkshopError, match="se termine après avoir commencé"):
        services.plan_workshop(
            data={"title": "x", "place": "y", "starts_at": starts, "ends_at": starts}, by=back_office
        )
    workshop = make_workshop()
    with pytest.raises(services.WorkshopError):
        services.update_workshop(workshop=workshop, data={"ends_at": workshop.starts_at - datetime.timedelta(hours=1)})


def test_attendance_with_a_breakdown_replaces_what_was_recorded_before():
    make_lists()
    workshop = make_workshop(days=-1, capacity=12)
    services.record_attendance(
        workshop=workshop,
        attendance=11,
        breakdown={"age_band": {"16-25": 6, "26-44": 4}, "first_visit": {"first": 7, "returning": 4}},
    )
    workshop.refresh_from_db()
    assert workshop.attendance == 11
    rows = {(r.profile_list, r.code): r.count for r in workshop.attendance_counts.all()}
    assert rows == {("age_band", "16-25"): 6, ("age_band", "26-44"): 4, ("first_visit", "first"): 7,
                    ("first_visit", "returning"): 4}  # fmt: skip

    services.record_attendance(workshop=workshop, attendance=9, breakdown={"situation": {"student": 9}})
    workshop.refresh_from_db()
    assert workshop.attendance == 9
    assert [(r.profile_list, r.code, r.count) for r in workshop.attendance_counts.all()] == [
        ("situation", "student", 9)
    ]


def test_one_lists_counts_may_not_add_up_to_more_than_the_people_who_came():
    make_lists()
    workshop = make_workshop(days=-1)
    with pytest.raises(services.WorkshopError, match="les effectifs font 13, plus que les 12 personnes venues"):
        services.record_attendance(workshop=workshop, attendance=12, breakdown={"age_band": {"16-25": 8, "26-44": 5}})
    workshop.refresh_from_db()
    assert workshop.attendance is None and not workshop.attendance_counts.exists()
    # Fewer is fine: not everyone answers; and each list is checked on its own.
    services.record_attendance(
        workshop=workshop,
        attendance=12,
        breakdown={"age_band": {"16-25": 8, "26-44": 3}, "situation": {"student": 12}},
    )
    assert workshop.attendance_counts.count() == 3


def test_items_that_are_not_in_a_list_are_refused():
    make_lists()
    workshop = make_workshop(days=-1)
    with pytest.raises(services.WorkshopError, match="n’a pas d’élément 99-120"):
        services.record_attendance(workshop=workshop, attendance=5, breakdown={"age_band": {"99-120": 1}})
    with pytest.raises(services.WorkshopError, match="Liste du profil inconnue : shoe_size"):
        services.record_attendance(workshop=workshop, attendance=5, breakdown={"shoe_size": {"42": 1}})


def test_attendance_waits_for_the_start_and_a_cancelled_workshop_has_none():
    coming = make_workshop(days=2)
    with pytest.raises(services.WorkshopError, match="une fois l’atelier commencé"):
        services.record_attendance(workshop=coming, attendance=3)
    services.cancel_workshop(workshop=coming)
    coming.refresh_from_db()
    assert coming.is_cancelled
    with pytest.raises(services.WorkshopError, match="a été annulé : il n’y a pas de fréquentation"):
        services.record_attendance(workshop=coming, attendance=3)
    with pytest.raises(services.WorkshopError, match="a été annulé ; il ne peut plus être modifié"):
        services.update_workshop(workshop=coming, data={"title": "Encore"})


def test_a_workshop_people_attended_cannot_be_cancelled():
    past = make_workshop(days=-1)
    services.record_attendance(workshop=past, attendance=0)  # nobody came: recorded as 0, still took place
    with pytest.raises(services.WorkshopError, match="ne peut pas être annulé"):
        services.cancel_workshop(workshop=past)


# --- Pages --------------------------------------------------------------------------------------------


def test_a_counsellor_plans_a_workshop_from_the_form(client, counsellor, training):
    mission_locale = Institution.objects.create(name="Mission Locale", kind="association")
    client.force_login(counsellor)
    assert client.get(reverse("counselling:workshop-create") + "?day=2027-03-04").status_code == 200
    response = client.post(
        reverse("counselling:workshop-create"),
        {
            "kind": "information_session",
            "title": "Découvrir l'alternance",
            "area": training.pk,
            "starts_at": "2027-03-04T14:00",
            "ends_at": "2027-03-04T16:00",
            "place": "Salle Ariane",
            "capacity": "25",
            "institutions": [mission_locale.pk],
            "facilitators": [counsellor.pk],
            "is_public": "on",
        },
    )
    workshop = Workshop.objects.get()
    assert response["Location"] == workshop.get_absolute_url()
    assert workshop.starts_at == datetime.datetime(2027, 3, 4, 14, 0, tzinfo=PARIS)
    assert (workshop.kind, workshop.capacity, workshop.created_by) == ("information_session", 25, counsellor)
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert "Découvrir l&#x27;alternance" in page and "Mission Locale" in page and "25 places" in page


def test_a_form_with_the_end_before_the_start_says_so_and_keeps_what_was_typed(client, back_office):
    client.force_login(back_office)
    response = client.post(
        reverse("counselling:workshop-create"),
        {
            "kind": "workshop",
            "title": "Réussir son CV",
            "starts_at": "2027-03-04T14:00",
            "ends_at": "2027-03-04T12:00",
            "place": "Salle Agora",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Un atelier se termine après avoir commencé." in page
    assert 'value="Réussir son CV"' in page and 'value="Salle Agora"' in page
    assert not Workshop.objects.exists()


def test_a_manager_reads_workshops_but_cannot_plan_them(client, manager):
    workshop = make_workshop()
    client.force_login(manager)
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert workshop.title in page
    assert reverse("counselling:workshop-edit", args=[workshop.pk]) not in page
    assert client.post(reverse("counselling:workshop-create"), {"title": "x"}).status_code == 403
    assert client.post(reverse("counselling:workshop-cancel", args=[workshop.pk])).status_code == 403
    workshop.refresh_from_db()
    assert not workshop.is_cancelled
    assert list(Workshop.objects.all()) == [workshop]


def test_attendance_form_records_the_count_and_its_breakdown(client, counsellor):
    make_lists()
    workshop = make_workshop(days=-1, capacity=15)
    client.force_login(counsellor)
    url = reverse("counselling:workshop-attendance", args=[workshop.pk])
    page = client.get(url).content.decode()
    assert "16 à 25 ans" in page and "Demandeur d" in page and "Première visite" in page
    response = client.post(
        url, {"attendance": "14", "age_band-16-25": "9", "age_band-26-44": "3", "first_visit-first": ""}
    )
    assert response["Location"] == workshop.get_absolute_url()
    workshop.refresh_from_db()
    assert workshop.attendance == 14
    assert {(r.code, r.count) for r in workshop.attendance_counts.all()} == {("16-25", 9), ("26-44", 3)}
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert "16 à 25 ans" in page and "Non demandé" in page  # 2 people did not say their age


def test_a_breakdown_larger_than_the_attendance_is_a_clear_form_error_and_nothing_is_lost(client, back_office):
    make_lists()
    workshop = make_workshop(days=-1)
    client.force_login(back_office)
    url = reverse("counselling:workshop-attendance", args=[workshop.pk])
    response = client.post(url, {"attendance": "10", "situation-job-seeker": "8", "situation-student": "4"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Situation : les effectifs font 12, plus que les 10 personnes venues." in page
    assert 'value="8"' in page and 'value="4"' in page and 'value="10"' in page
    workshop.refresh_from_db()
    assert workshop.attendance is None


def test_attendance_of_a_coming_workshop_is_not_offered(client, counsellor):
    workshop = make_workshop(days=3)
    client.force_login(counsellor)
    page = client.get(reverse("counselling:workshop-attendance", args=[workshop.pk])).content.decode()
    assert "La fréquentation se saisit une fois l’atelier commencé." in page
    assert 'name="attendance"' not in page
    response = client.post(reverse("counselling:workshop-attendance", args=[workshop.pk]), {"attendance": "5"})
    assert response.status_code == 200
    workshop.refresh_from_db()
    assert workshop.attendance is None


def test_cancelling_from_the_page(client, counsellor):
    workshop = make_workshop(days=3)
    client.force_login(counsellor)
    response = client.post(reverse("counselling:workshop-cancel", args=[workshop.pk]), follow=True)
    workshop.refresh_from_db()
    assert workshop.is_cancelled
    assert "est annulé" in response.content.decode()
    assert (
        client.get(reverse("counselling:workshop-edit", args=[workshop.pk]))["Location"] == workshop.get_absolute_url()
    )


def test_the_list_shows_coming_workshops_first_soonest_at_the_top_then_the_past_latest_first(client, receptionist):
    make_workshop("Passé lointain", days=-20)
    make_workshop("Passé récent", days=-2)
    make_workshop("Bientôt", days=1)
    make_workshop("Plus tard", days=10)
    client.force_login(receptionist)
    page = client.get(reverse("counselling:workshops")).content.decode()
    positions = [page.index(title) for title in ("Bientôt", "Plus tard", "Passé récent", "Passé lointain")]
    assert positions == sorted(positions)


def test_the_list_filters_by_period_kind_area_and_institution(client, manager, training, job):
    bge = Institution.objects.create(name="BGE", kind="association")
    forum = make_workshop("Forum de l'apprentissage", kind="forum", area=training, days=5)
    dating = make_workshop("Job dating", kind="job_dating", area=job, days=40)
    dating.institutions.add(bge)
    old = make_workshop("Atelier CV", days=-30)
    client.force_login(manager)

    def titles(**query):
        page = client.get(reverse("counselling:workshops"), query).content.decode()
        return {w.title for w in (forum, dating, old) if w.get_absolute_url() in page}

    assert titles() == {"Forum de l'apprentissage", "Job dating", "Atelier CV"}
    assert titles(kind="forum") == {"Forum de l'apprentissage"}
    assert titles(area=job.pk) == {"Job dating"}
    assert titles(institution=bge.pk) == {"Job dating"}
    today = timezone.localdate()
    assert titles(after=today.isoformat(), before=(today + datetime.timedelta(days=10)).isoformat()) == {
        "Forum de l'apprentissage"
    }
    assert client.get(reverse("counselling:workshops"), {"after": "not a date"}).status_code == 200


@pytest.mark.parametrize("rows", [1, 40])
def test_the_list_keeps_a_fixed_number_of_queries(client, back_office, training, rows, django_assert_max_num_queries):
    partners = [Institution.objects.create(name=f"Partenaire {i}", kind="association") for i in range(3)]
    for index in range(rows):
        workshop = make_workshop(f"Atelier {index}", days=index - rows // 2, area=training, attendance=None)
        workshop.institutions.set(partners)
    client.force_login(back_office)
    # Session, user, roles, permissions (2), the filter's area, the count, two filters' choices, the page,
    # the partners of the page's workshops: the same for 1 row or 40.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("counselling:workshops"), {"area": training.pk})
    assert response.status_code == 200
    assert response.content.decode().count("Partenaire 2") == rows + 1  # each row, and the filter's choice


@pytest.mark.parametrize("rows", [1, 40])
def test_the_calendar_keeps_a_fixed_number_of_queries(
    client, counsellor, training, rows, django_assert_max_num_queries
):
    first = timezone.localdate().replace(day=1)
    for index in range(rows):
        starts = datetime.datetime.combine(first + datetime.timedelta(days=index % 28), datetime.time(9 + index % 8),
                                           tzinfo=PARIS)  # fmt: skip
        make_workshop(f"Atelier {index}", starts_at=starts, area=training)
    client.force_login(counsellor)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("counselling:workshop-calendar"))
    assert response.content.decode().count('class="kind-workshop') == rows


def test_the_calendar_places_each_workshop_on_its_local_day_and_moves_month_by_month(client, counsellor, settings):
    settings.TIME_ZONE = "Europe/Paris"
    # 00:30 in Paris on 1 March is still 28 February in UTC: it belongs to 1 March.
    make_workshop("Petit matin", starts_at=datetime.datetime(2027, 3, 1, 0, 30, tzinfo=PARIS))
    make_workshop("Fin de mois", starts_at=datetime.datetime(2027, 3, 31, 18, 0, tzinfo=PARIS))
    make_workshop("Avril", starts_at=datetime.datetime(2027, 4, 15, 10, 0, tzinfo=PARIS))
    client.force_login(counsellor)
    page = client.get(reverse("counselling:workshop-calendar"), {"month": "2027-03"}).content.decode()
    cell = page.split('datetime="2027-03-01"')[1].split("</td>")[0]
    assert "Petit matin" in cell
    assert "Fin de mois" in page and "Avril" not in page
    assert 'href="?month=2027-02"' in page and 'href="?month=2027-04"' in page
    assert "mars 2027" in page
    april = client.get(reverse("counselling:workshop-calendar"), {"month": "2027-04"}).content.decode()
    assert "Avril" in april
    # A month it cannot show is refused with the reason (cite.dates), not swapped silently for this one.
    for nonsense in ("2027-13", "abc", "99999-01", "2027-3-1"):
        response = client.get(reverse("counselling:workshop-calendar"), {"month": nonsense})
        assert response.status_code == 400
        assert "n’est pas un mois" in response.content.decode() or "entre les années" in response.content.decode()


def test_the_calendar_lists_monday_first_in_english_too(client, counsellor):
    client.force_login(counsellor)
    client.cookies.load({"django_language": "en"})
    page = client.get(reverse("counselling:workshop-calendar"), {"month": "2027-03"}).content.decode()
    assert page.index('abbr="Monday"') < page.index('abbr="Sunday"')
    assert "March 2027" in page


def test_only_the_workshops_entry_is_current_on_a_workshop_page(counsellor):
    current = [item["entry"].url_name for item in entries_for(counsellor, "/counselling/workshops/calendar/")]
    marked = [
        item["entry"].url_name
        for item in entries_for(counsellor, "/counselling/workshops/calendar/")
        if item["current"]
    ]
    assert "counselling:desk" in current
    assert marked == ["counselling:workshops"]
    assert [i["entry"].url_name for i in entries_for(counsellor, "/counselling/") if i["current"]] == [
        "counselling:desk"
    ]
