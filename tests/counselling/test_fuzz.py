"""Hostile input at the counsellor's desk: the desk's buttons, the session record form, walk-ins,
the session list's filters and the document type-ahead never answer with a server error."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from counselling.models import Session
from partners.models import Institution
from tests.fuzz import (
    assert_handled,
    field,
    form_data,
    fuzz,
    logged_in,
    pks,
    raw_query,
    refused_with_a_reason,
    rolled_back,
)

MOMENTS = st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M"))


@pytest.fixture
def session(client, on_duty, called):
    logged_in(client, on_duty)
    client.post(reverse("counselling:desk-action"), {"action": "receive", "ticket": called.pk})
    return Session.objects.get(ticket=called)


@pytest.fixture
def institution(db):
    return Institution.objects.create(name="Mission Locale", kind=Institution.Kind.EMPLOYMENT)


@pytest.fixture
def waiting(issue, training):
    return issue(training)


@fuzz
@given(data=st.data())
def test_the_desk_buttons_and_the_walk_in_form_refuse_any_input_cleanly(
    client, on_duty, desk, areas, called, waiting, data
):
    logged_in(client, on_duty)
    action = form_data(
        action=field(
            st.sampled_from(
                ["open", "take-over", "leave", "call-next", "walk-in", "call", "recall", "no-show", "receive"]
            )
        ),
        ticket=field(pks(called, waiting)),
        desk=field(pks(desk)),
        area=field(pks(*areas.values())),
        first_visit=field(st.sampled_from(["", "yes", "no"])),
        age_band=field(),
        situation=field(),
    )
    with rolled_back():
        response = client.post(reverse("counselling:desk-action"), data.draw(action))
        assert_handled(response)
        assert response.status_code == 302


@fuzz
@given(data=st.data())
def test_the_session_form_refuses_any_input_cleanly_and_loses_nothing(
    client, session, topics, plumber, areas, institution, data
):
    record = form_data(
        topics=field(pks(*topics)),
        occupations=field(pks(plumber)),
        occupation_groups=field(pks(plumber.group)),
        information_given=field(st.text(max_size=200)),
        documents=field(),
        outcome=field(st.sampled_from([choice for choice, _ in Session.Outcome.choices])),
        next_steps=field(st.text(max_size=200)),
        note=field(st.text(max_size=200)),
        started_at=field(MOMENTS),
        ended_at=field(MOMENTS),
        referral_institutions=field(pks(institution)),
        referral_area=field(pks(*areas.values())),
        action=field(st.sampled_from(["save", "finish"])),
    )
    posted = data.draw(record)
    with rolled_back():
        response = client.post(reverse("counselling:session-save", args=[session.pk]), posted)
        assert_handled(response, form=True)
        if response.status_code == 400:  # refused: what was typed is still in the form
            page = response.content.decode()
            assert refused_with_a_reason(page)
            typed = posted.get("next_steps")
            if isinstance(typed, str) and typed.strip() and typed.isalnum():
                assert typed in page


@fuzz
@given(data=st.data())
def test_the_session_filters_accept_any_query_string(client, manager, session, topics, areas, data):
    logged_in(client, manager)
    filters = form_data(
        after=field(st.dates().map(str)),
        before=field(st.dates().map(str)),
        area=field(pks(*areas.values())),
        counsellor=field(pks(session.counsellor)),
        institution=field(),
        topic=field(pks(*topics)),
        group=field(st.from_regex(r"\A[0-9]{1,4}\Z")),
        outcome=field(st.sampled_from([choice for choice, _ in Session.Outcome.choices])),
        referral=field(),
    )
    with rolled_back():
        if data.draw(st.integers(0, 4)):
            response = client.get(reverse("counselling:sessions"), data.draw(filters))
        else:
            response = client.get(reverse("counselling:sessions") + "?" + data.draw(raw_query()))
        assert_handled(response)
        assert response.status_code == 200


@fuzz
@given(query=field())
def test_the_document_type_ahead_accepts_any_text(client, on_duty, query):
    logged_in(client, on_duty)
    response = client.get(reverse("counselling:record-lookup"), {"q": query})
    assert response.status_code == 200
    assert "results" in response.json()
