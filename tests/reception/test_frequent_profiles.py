"""The front desk's frequent profiles: which complete profiles become buttons (enough visitors, the last
30 days, answers still on their lists), how they are kept, what a button does without JavaScript, and a
quoted return code answering "has come before"."""

import itertools
import re

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from reception.models import AgeBand, Desk, Gender, HeardFrom, ResidenceZone, Situation, Ticket
from reception.selectors import frequent_profiles
from reception.services import issue_ticket
from tests.factories import make_past_visit

pytestmark = pytest.mark.django_db
numbers = itertools.count(1)
FRONT_DESK = reverse("reception:front-desk")


@pytest.fixture
def lists(db):
    """Two items on each list of the profile: lists[AgeBand][0]…"""
    return {
        model: [
            model.objects.create(
                code=f"{model.__name__.lower()}-{n}",
                label_fr=f"{model.__name__} {n} fr",
                label_en=f"{model.__name__} {n} en",
                order=n,
            )
            for n in (0, 1)
        ]
        for model in (AgeBand, Situation, Gender, ResidenceZone, HeardFrom)
    }


def profile(lists, first_visit=True, age=0, situation=0, gender=0, zone=0, heard=0):
    return {
        "first_visit": first_visit,
        "age_band": lists[AgeBand][age],
        "situation": lists[Situation][situation],
        "gender": lists[Gender][gender],
        "residence_zone": lists[ResidenceZone][zone],
        "heard_from": lists[HeardFrom][heard],
    }


def visits(area, count, *, days_ago=1, **answers):
    """`count` visits of an earlier day with these answers."""
    desk, _created = Desk.objects.get_or_create(name="9")
    for _ in range(count):
        make_past_visit(area, next(numbers), desk=desk, days_ago=days_ago, **answers)


def shown(profiles):
    return [(p.values, p.visits) for p in profiles]


def test_a_complete_profile_becomes_a_button_from_five_visitors_on(training, lists):
    common = profile(lists)
    visits(training, 4, **common)
    assert frequent_profiles() == []  # four visitors: a button would come too close to describing them
    visits(training, 1, days_ago=3, **common)
    [button] = frequent_profiles()
    assert button.visits == 5
    assert button.values == {
        "first_visit": "yes",
        "age_band": str(lists[AgeBand][0].pk),
        "situation": str(lists[Situation][0].pk),
        "gender": str(lists[Gender][0].pk),
        "residence_zone": str(lists[ResidenceZone][0].pk),
        "heard_from": str(lists[HeardFrom][0].pk),
    }


def test_the_threshold_follows_the_statistics_when_they_are_stricter(training, lists, settings):
    settings.STATS_SUPPRESSION_THRESHOLD = 8
    visits(training, 7, **profile(lists))
    assert frequent_profiles() == []
    settings.STATS_SUPPRESSION_THRESHOLD = 1  # never below five
    visits(training, 4, **profile(lists, age=1))
    assert [p.visits for p in frequent_profiles()] == [7]


def test_only_complete_profiles_of_the_last_thirty_days_with_answers_still_on_their_lists(training, lists):
    unasked_gender = {**profile(lists), "gender": None}
    visits(training, 9, **unasked_gender)  # one question not asked: "not asked" is no answer to offer
    visits(training, 9, **{**profile(lists), "first_visit": None})
    visits(training, 9, days_ago=31, **profile(lists, situation=1))  # too old
    visits(training, 9, **profile(lists, zone=1))
    lists[ResidenceZone][1].is_active = False  # taken off its list by the back office
    lists[ResidenceZone][1].save()
    assert frequent_profiles() == []
    visits(training, 5, days_ago=30, **profile(lists, situation=1))
    assert [p.values["situation"] for p in frequent_profiles()] == [str(lists[Situation][1].pk)]


def test_the_most_frequent_first_and_four_at_most(training, job, lists):
    for index, count in enumerate([5, 9, 6, 12, 7]):
        visits(
            training if index % 2 else job,
            count,
            **profile(lists, age=index % 2, gender=index // 2 % 2, heard=index // 4),
        )
    assert [p.visits for p in frequent_profiles()] == [12, 9, 7, 6]


def test_the_buttons_show_the_answers_in_the_pages_language(client, receptionist, training, lists):
    visits(training, 5, **profile(lists, first_visit=False, age=1))
    client.force_login(receptionist)
    page = client.get(FRONT_DESK, headers={"accept-language": "en"}).content.decode()
    [button] = re.findall(r'<button type="submit" name="frequent_profile".*?</button>', page, re.S)
    text = re.sub(r"<[^>]+>|\s+", " ", button)
    assert "Has come before" in text and "AgeBand 1 en" in text and "HeardFrom 0 en" in text
    assert "AgeBand 1 fr" not in page


def test_the_profiles_are_kept_an_hour_not_read_at_every_load(client, receptionist, training, lists):
    client.force_login(receptionist)
    assert "frequent_profile" not in client.get(FRONT_DESK).content.decode()
    visits(training, 6, **profile(lists))
    assert "frequent_profile" not in client.get(FRONT_DESK).content.decode()  # the same hour: kept
    caches["queue"].clear()  # as the next hour would
    assert 'name="frequent_profile"' in client.get(FRONT_DESK).content.decode()


def checked(page, name):
    """The value of the radio button of `name` that is checked."""
    [value] = re.findall(rf'<input type="radio" name="{name}" value="([^"]*)"[^>]*checked', page)
    return value


def test_without_javascript_a_profiles_button_fills_the_six_answers_and_loses_nothing_typed(
    client, receptionist, training, lists
):
    visits(training, 5, **profile(lists, situation=1))
    [button] = frequent_profiles()
    client.force_login(receptionist)
    response = client.post(
        FRONT_DESK,
        {"frequent_profile": button.encoded, "age_band": lists[AgeBand][1].pk, "quoted_return_code": "k7p-4qx"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert not Ticket.objects.filter(day=timezone.localdate()).exists()  # no area chosen: no ticket
    assert checked(page, "first_visit") == "yes"
    assert checked(page, "age_band") == str(lists[AgeBand][0].pk)  # the profile's answer replaced the other
    assert checked(page, "situation") == str(lists[Situation][1].pk)
    assert 'value="k7p-4qx"' in page
    assert "errorlist" not in page and 'role="alert"' not in page


def test_a_forged_profiles_button_leaves_unknown_answers_unasked(client, receptionist, training, lists):
    client.force_login(receptionist)
    forged = f"first_visit=maybe&age_band=999999&situation={lists[Situation][0].pk}&gender=%00&x=" + "&" * 3000
    response = client.post(FRONT_DESK, {"frequent_profile": forged})
    page = response.content.decode()
    assert response.status_code == 200
    assert checked(page, "first_visit") == "" and checked(page, "age_band") == "" and checked(page, "gender") == ""
    assert checked(page, "situation") == str(lists[Situation][0].pk)


def test_the_area_button_issues_the_ticket_whatever_else_was_posted(client, receptionist, training, lists):
    client.force_login(receptionist)
    response = client.post(FRONT_DESK, {"frequent_profile": "first_visit=yes", "area": training.pk})
    assert response.status_code == 302
    assert Ticket.objects.get(day=timezone.localdate()).first_visit is None  # only the questions' answers count


def test_a_quoted_return_code_answers_has_come_before_when_the_question_was_not_asked(client, receptionist, training):
    earlier = issue_ticket(area=training, issued_by=receptionist, return_code=True)
    client.force_login(receptionist)
    client.post(FRONT_DESK, {"area": training.pk, "quoted_return_code": earlier.return_code.code})
    ticket = Ticket.objects.exclude(pk=earlier.pk).get()
    assert (ticket.return_code, ticket.first_visit) == (earlier.return_code, False)
    assert (ticket.age_band, ticket.situation) == (None, None)  # nothing else is taken from the earlier visit


def test_a_first_visit_with_a_quoted_return_code_is_refused_in_words_keeping_the_answers(
    client, receptionist, training, lists
):
    earlier = issue_ticket(area=training, issued_by=receptionist, return_code=True)
    client.force_login(receptionist)
    response = client.post(
        FRONT_DESK,
        {
            "area": training.pk,
            "first_visit": "yes",
            "age_band": lists[AgeBand][1].pk,
            "quoted_return_code": earlier.return_code.code,
        },
        headers={"accept-language": "fr"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert Ticket.objects.count() == 1
    assert "Un visiteur qui donne un code de suivi est déjà venu" in page
    assert checked(page, "first_visit") == "yes" and checked(page, "age_band") == str(lists[AgeBand][1].pk)
    assert f'value="{earlier.return_code.code}"' in page
