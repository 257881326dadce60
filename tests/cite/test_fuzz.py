"""Hostile input at the door: the login form and the language switch never give a server error."""

from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import PASSWORD
from tests.fuzz import assert_handled, field, form_data, fuzz, logged_in, rolled_back


@fuzz
@given(data=st.data())
def test_the_login_form_refuses_any_input_with_a_message(client, back_office, data):
    login = form_data(
        login=field(st.emails(), st.just(back_office.email)),
        password=field(st.just(PASSWORD)),
        remember=field(st.just("on")),
        next=field(st.just("/reception/")),
    )
    with rolled_back():
        response = client.post("/accounts/login/", data.draw(login))
        assert_handled(response, form=True)
        if response.status_code == 302:
            location = urlsplit(response["Location"])
            assert not location.scheme and not location.netloc, response["Location"]  # never another site
        elif response.status_code == 200:
            page = response.content.decode()
            assert "errorlist" in page or 'role="alert"' in page or "alert" in page
        client.logout()


@fuzz
@given(language=field(st.sampled_from(["fr", "en"])), next_url=field(st.just("/resources/public/")))
def test_the_language_switch_accepts_any_input_and_stays_on_the_site(client, db, language, next_url):
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert_handled(response)
    if response.status_code == 302:
        location = urlsplit(response["Location"])
        assert not location.scheme and not location.netloc, response["Location"]  # never another site


def test_a_fuzz_test_stays_logged_in_from_one_example_to_the_next(client, receptionist):
    """The fuzz tests log in once (tests.fuzz.logged_in): an example that logs out inside its rolled-back
    transaction must not leave the next ones knocking at the login page, which would still pass."""
    logged_in(client, receptionist)
    first_session = client.cookies["sessionid"].value
    with rolled_back():
        assert client.get("/reception/").status_code == 200
    logged_in(client, receptionist)
    assert client.cookies["sessionid"].value == first_session  # once per test, not per example
    with rolled_back():
        client.post("/accounts/logout/")
    logged_in(client, receptionist)
    with rolled_back():
        assert client.get("/reception/").status_code == 200
