"""Every app's refusals share one base, `cite.errors.DomainError`, and reach the user as a message."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from cite.errors import DomainError
from counselling.services import PlanningError, WorkshopError
from partners.services import ActionError, PartnersError
from reception import services as queue
from reception.models import Ticket
from resources.oai import OAIError
from resources.services import HarvestedRecordIsReadOnly, ResourcesError
from tests.factories import make_area

REFUSAL = gettext_lazy("This change is not allowed.")
FRENCH = "Cette modification n’est pas permise."

RAISE = {
    "QueueError": lambda message: queue.QueueError(message),
    "WorkshopError": lambda message: WorkshopError(message),
    "PlanningError": lambda message: PlanningError(message),
    "PartnersError": lambda message: PartnersError(message),
    "ResourcesError": lambda message: ResourcesError(message),
    "OAIError": lambda message: OAIError("badArgument", message),
}


@pytest.mark.parametrize("name", RAISE)
def test_each_refusal_is_a_domain_error_whose_message_is_read_in_the_readers_language(name):
    error = RAISE[name](REFUSAL)

    assert isinstance(error, DomainError)
    assert type(error).__name__ == name
    with translation.override("fr"):
        assert (str(error), str(error.message), [str(m) for m in error.messages]) == (FRENCH, FRENCH, [FRENCH])
    with translation.override("en"):
        assert str(error) == "This change is not allowed."


def test_a_planning_error_keeps_every_reason_and_says_them_all():
    error = PlanningError(["The desk is taken.", "The counsellor is elsewhere."])

    assert error.messages == ["The desk is taken.", "The counsellor is elsewhere."]
    assert str(error) == error.message == "The desk is taken. The counsellor is elsewhere."


def test_a_kind_of_error_raised_bare_says_its_own_message_and_the_base_a_general_one():
    assert str(HarvestedRecordIsReadOnly()).startswith("Cette notice a été moissonnée")
    assert str(ActionError()) == FRENCH


@pytest.mark.django_db
def test_a_refusal_reaches_the_user_as_a_message_not_an_error_page(client, receptionist):
    area = make_area("find-job")
    ticket = queue.issue_ticket(area=area, profile={}, issued_by=receptionist)
    queue.cancel(ticket=ticket, by=receptionist)
    client.force_login(receptionist)

    response = client.post(reverse("reception:cancel-ticket", args=[ticket.pk]), {"reason": "left"}, follow=True)

    assert response.status_code == 200
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [f"{ticket.code} est annulé : il ne peut plus être annulé."]
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CANCELLED
