"""Secondments: which institution a counsellor comes from, one institution at a time."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from partners import services
from partners.models import Secondment
from partners.selectors import institution_of
from tests.partners.factories import make_institution

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)


def days(offset):
    return DAY + datetime.timedelta(days=offset)


def test_institution_of_gives_the_institution_that_seconds_the_counsellor_on_a_day(counsellor):
    cio = make_institution("CIO")
    mission_locale = make_institution("Mission Locale")
    services.second_counsellor(user=counsellor, institution=cio, start_date=days(-400), end_date=days(-1))
    services.second_counsellor(user=counsellor, institution=mission_locale, start_date=days(0))

    assert institution_of(counsellor, on=days(-10)) == cio
    assert institution_of(counsellor, on=days(0)) == mission_locale
    assert institution_of(counsellor, on=days(-500)) is None


def test_institution_of_is_none_for_someone_nobody_seconds(receptionist):
    assert institution_of(receptionist) is None


def test_an_open_ended_secondment_runs_today(counsellor):
    france_travail = make_institution("France Travail")
    services.second_counsellor(user=counsellor, institution=france_travail)
    assert institution_of(counsellor) == france_travail


def test_overlapping_secondments_of_one_person_are_refused_with_a_clear_message(counsellor):
    services.second_counsellor(user=counsellor, institution=make_institution("CIO"), start_date=days(0))

    with pytest.raises(services.SecondmentError, match="already seconded by an institution during these dates"):
        services.second_counsellor(
            user=counsellor, institution=make_institution("AFPA"), start_date=days(-30), end_date=days(5)
        )
    assert Secondment.objects.count() == 1


def test_the_database_itself_refuses_overlapping_secondments(counsellor):
    cio, afpa = make_institution("CIO"), make_institution("AFPA")
    Secondment.objects.create(user=counsellor, institution=cio, start_date=days(0), end_date=days(10))
    with pytest.raises(IntegrityError), transaction.atomic():
        Secondment.objects.create(user=counsellor, institution=afpa, start_date=days(10))
    Secondment.objects.create(user=counsellor, institution=afpa, start_date=days(11))  # the next day is free


def test_two_counsellors_may_be_seconded_by_the_same_institution_at_once(counsellor, receptionist):
    cio = make_institution("CIO")
    services.second_counsellor(user=counsellor, institution=cio)
    services.second_counsellor(user=receptionist, institution=cio)
    assert Secondment.objects.filter(institution=cio).count() == 2


def test_ending_a_secondment_frees_the_person_for_another_institution(counsellor):
    secondment = services.second_counsellor(user=counsellor, institution=make_institution("CIO"), start_date=days(0))
    services.end_secondment(secondment=secondment, end_date=days(30))
    services.second_counsellor(user=counsellor, institution=make_institution("AFPA"), start_date=days(31))
    assert institution_of(counsellor, on=days(40)).name == "AFPA"

    with pytest.raises(services.SecondmentError, match="cannot end before it starts"):
        services.end_secondment(secondment=secondment, end_date=days(-1))


@pytest.mark.django_db(transaction=True)
def test_two_people_recording_a_secondment_at_once_never_give_one_person_two_institutions():
    import threading

    from django.db import connection

    from tests.conftest import make_staff

    person = make_staff("yanis@example.org", "Counsellor")
    cio, afpa = make_institution("CIO"), make_institution("AFPA")
    barrier = threading.Barrier(2)
    outcomes = []

    def record(institution):
        try:
            barrier.wait()
            services.second_counsellor(user=person, institution=institution, start_date=days(0))
            outcomes.append("recorded")
        except services.SecondmentError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(institution,)) for institution in (cio, afpa)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["recorded", "refused"]
    assert Secondment.objects.filter(user=person).count() == 1
