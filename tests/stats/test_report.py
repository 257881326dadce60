"""The annual report: a few A4 pages with the manager's commentary per section, kept with the year."""

import pytest

from stats import services
from stats.figures import Scope
from stats.models import ReportComment
from tests.stats.dataset import october

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(visit, training, job, ages):
    october(visit, training, job, ages)


def test_a_manager_writes_a_commentary_kept_with_its_year(client, manager, year):
    client.force_login(manager)
    page = client.get("/statistics/report/?year=2025&edit=visitors").content.decode()
    assert 'name="section" value="visitors"' in page and "Commentaire : Visiteurs" in page
    response = client.post(
        "/statistics/report/?year=2025",
        {"section": "visitors", "text": "Octobre a été porté par le pôle formation."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/statistics/report/?year=2025#section-visitors"
    page = response.content.decode()
    assert "Le commentaire est enregistré." in page
    assert '<div class="report-comment"><p>Octobre a été porté par le pôle formation.</p></div>' in page
    comment = ReportComment.objects.get()
    assert (comment.year, comment.section, comment.area, comment.updated_by) == (2025, "visitors", None, manager)
    # Another year, or the same year narrowed to an area, is another report with its own words.
    assert "porté par le pôle formation" not in client.get("/statistics/report/?year=2026").content.decode()
    # Saving an empty text removes it.
    client.post("/statistics/report/?year=2025", {"section": "visitors", "text": "  "})
    assert not ReportComment.objects.exists()


def test_a_commentary_is_kept_per_filter(client, manager, year, job):
    client.force_login(manager)
    client.post(f"/statistics/report/?year=2025&area={job.pk}", {"section": "summary", "text": "Pour le pôle emploi."})
    assert ReportComment.objects.get().area == job
    assert "Pour le pôle emploi." in client.get(f"/statistics/report/?year=2025&area={job.pk}").content.decode()
    assert "Pour le pôle emploi." not in client.get("/statistics/report/?year=2025").content.decode()


def test_personal_data_in_a_commentary_is_refused_and_what_was_typed_kept(client, manager, year):
    client.force_login(manager)
    text = "Mme Durand (jeanne.durand@example.org) est revenue trois fois."
    response = client.post("/statistics/report/?year=2025", {"section": "desk", "text": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and "jeanne.durand@example.org" in page  # kept in the field
    assert not ReportComment.objects.exists()


def test_only_people_who_read_the_statistics_may_write_it(manager, outsider, year):
    with pytest.raises(services.ReportError):
        services.save_report_comment(year=2025, section="summary", text="Rien.", by=outsider)
    with pytest.raises(services.ReportError):
        services.save_report_comment(year=2025, section="nowhere", text="Rien.", by=manager)
    services.save_report_comment(year=2025, section="summary", text="Une bonne année.", by=manager, scope=Scope())
    assert ReportComment.objects.get().text == "Une bonne année."


def test_the_outsider_cannot_open_or_post_to_the_report(client, outsider, year):
    client.force_login(outsider)
    assert client.post("/statistics/report/?year=2025", {"section": "summary", "text": "x"}).status_code == 403
    assert not ReportComment.objects.exists()


def test_a_first_year_has_no_comparison_column(client, manager, year):
    client.force_login(manager)
    response = client.get("/statistics/report/?year=2025")  # 2024 had no visit
    assert response.context["compared"] is False
    sections = {s["key"]: s for s in response.context["sections"]}
    for table, _chart in [item for s in sections.values() for item in s["items"]]:
        assert not {c.key for c in table.columns} & {"previous", "previous_share", "change", "previous_median"}
    page = response.content.decode()
    assert "Période précédente" not in page and "Évolution" not in page
    # The October dashboard has September beside it, with its columns.
    dashboard = client.get("/statistics/?period=month&date=2025-10-01")
    assert dashboard.context["compared"] is True and "Évolution" in dashboard.content.decode()
