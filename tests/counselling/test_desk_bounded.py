"""My desk shows the head of the queue and its length, never the whole list."""

from django.urls import reverse


def test_the_desk_lists_the_next_tickets_and_counts_them_all(client, issue, training, on_duty, settings):
    settings.COUNSELLING_DESK_WAITING_ROWS = 3
    tickets = [issue(training) for _ in range(5)]
    client.force_login(on_duty)
    response = client.get(reverse("counselling:desk"))
    page = response.content.decode()
    assert [ticket.code for ticket in response.context["waiting"]] == ["B-001", "B-002", "B-003"]
    assert response.context["waiting_count"] == 5
    assert "5 en attente pour mes pôles" in page or "5 waiting for my areas" in page
    assert tickets[3].code not in page and tickets[4].code not in page
    assert "Les 3 prochains sur 5" in page


def test_a_short_queue_is_shown_whole_without_the_note(client, issue, training, on_duty, settings):
    settings.COUNSELLING_DESK_WAITING_ROWS = 3
    issue(training)
    client.force_login(on_duty)
    page = client.get(reverse("counselling:desk")).content.decode()
    assert "B-001" in page
    assert "prochains sur" not in page
