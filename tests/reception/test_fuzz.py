"""Hostile input at reception: the front desk's ticket form, the desk panel's buttons, cancelling,
today's filters and the public pages never answer with a server error."""

from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reception.models import AgeBand, Gender, HeardFrom, ResidenceZone, Situation, Ticket
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


@pytest.fixture
def profile_lists(db):
    return {
        model: [model.objects.create(code=f"{model.__name__.lower()}-{n}", label_fr="x", label_en="x") for n in (1, 2)]
        for model in (AgeBand, Situation, Gender, ResidenceZone, HeardFrom)
    }


@pytest.fixture
def waiting(issue, training, job):
    return [issue(training), issue(job), issue(training)]


def frequent_profile_values(profile_lists):
    """What a frequent profile's button posts: the six answers as a query string, some of them forged."""
    answers = {
        "first_visit": st.sampled_from(["yes", "no", "", "maybe"]),
        **{
            name: st.one_of(pks(*profile_lists[model]), st.text(max_size=5))
            for name, model in [
                ("age_band", AgeBand),
                ("situation", Situation),
                ("gender", Gender),
                ("residence_zone", ResidenceZone),
                ("heard_from", HeardFrom),
            ]
        },
    }
    return st.fixed_dictionaries({}, optional=answers).map(urlencode)


@fuzz
@given(data=st.data())
def test_the_front_desk_form_refuses_any_input_cleanly(client, receptionist, areas, profile_lists, data):
    logged_in(client, receptionist)
    ticket_form = form_data(
        area=field(pks(*areas.values())),
        first_visit=field(st.sampled_from(["", "yes", "no"])),
        age_band=field(pks(*profile_lists[AgeBand])),
        situation=field(pks(*profile_lists[Situation])),
        gender=field(pks(*profile_lists[Gender])),
        residence_zone=field(pks(*profile_lists[ResidenceZone])),
        heard_from=field(pks(*profile_lists[HeardFrom])),
        new_return_code=field(st.sampled_from(["on", ""])),
        quoted_return_code=field(st.from_regex(r"\A[A-Z0-9]{3}-[A-Z0-9]{3}\Z")),
        frequent_profile=field(frequent_profile_values(profile_lists)),
    )
    with rolled_back():
        if data.draw(st.integers(0, 4)):
            posted = data.draw(ticket_form)
            response = client.post("/reception/", posted)
            assert_handled(response, form=True)
            filled_in = "frequent_profile" in posted and "area" not in posted  # a profile's button, no ticket
            if response.status_code == 200 and not filled_in:  # refused: the reason is on the page
                assert refused_with_a_reason(response.content.decode())
        else:
            assert_handled(client.get("/reception/", {"issued": data.draw(field(pks(*areas.values())))}))


@fuzz
@given(data=st.data())
def test_cancelling_never_fails_and_never_redirects_off_site(client, receptionist, waiting, data):
    logged_in(client, receptionist)
    pk = data.draw(st.one_of(pks(*waiting), st.integers(min_value=0, max_value=2**63 - 1).map(str)))
    with rolled_back():
        response = client.post(f"/reception/tickets/{pk}/cancel/", data.draw(form_data(next=field())))
        assert_handled(response)
        if response.status_code == 302:
            assert response["Location"].startswith("/"), response["Location"]
            assert not response["Location"].startswith(("//", "/\\")), response["Location"]


@fuzz
@given(data=st.data())
def test_todays_filters_accept_any_query_string(client, receptionist, waiting, areas, data):
    logged_in(client, receptionist)
    filters = form_data(
        status=field(st.sampled_from([choice for choice, _ in Ticket.Status.choices])),
        area=field(pks(*areas.values())),
        after=field(st.times().map(lambda t: t.strftime("%H:%M"))),
        before=field(st.times().map(lambda t: t.strftime("%H:%M"))),
    )
    with rolled_back():
        if data.draw(st.booleans()):
            response = client.get("/reception/today/", data.draw(filters))
        else:
            response = client.get("/reception/today/?" + data.draw(raw_query()))
        assert_handled(response)
        assert response.status_code == 200


@fuzz
@given(token=st.one_of(st.text(min_size=1, max_size=300), st.sampled_from(["%00", "..", "a" * 64])), key=field())
def test_the_public_pages_refuse_forged_keys(client, waiting, settings, token, key):
    settings.RECEPTION_DISPLAY_KEY = "the-display-key"
    from urllib.parse import quote

    token = quote(token, safe="")
    page = ["/t/{}/", "/t/{}/status/"][len(token) % 2].format(token)
    assert client.get(page).status_code in {404, 410}
    display = ["/reception/display/", "/reception/display/state/"][len(token) % 2]
    assert client.get(display, {"key": key}).status_code == 404


def test_a_ticket_cancelled_from_todays_list_returns_there(client, receptionist, waiting):
    """The regression behind the fuzz test above: `next` used to be followed to any site."""
    logged_in(client, receptionist)
    response = client.post(
        f"/reception/tickets/{waiting[0].pk}/cancel/", {"next": "https://evil.example.org/", "reason": "left"}
    )
    assert response["Location"] == "/reception/today/"
    response = client.post(
        f"/reception/tickets/{waiting[1].pk}/cancel/", {"next": "/reception/today/?area=1", "reason": "left"}
    )
    assert response["Location"] == "/reception/today/?area=1"
