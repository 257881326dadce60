"""No database constraint's name reaches the back office from the statistics' admin: a second
commentary for a section of the report already commented is refused in words (the rollup's tables
have no form: only the nightly rollup writes them)."""

import pytest

from cite.models import User
from stats.models import ReportComment
from tests.factories import shows_no_constraint_name

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("scoped", [False, True])
def test_a_second_commentary_of_a_reports_section_is_refused_in_words(client, scoped):
    from cite.models import Area

    area = Area.objects.create(code="find-job", letter="C", name_fr="Trouver un emploi", name_en="Find a job")
    ReportComment.objects.create(year=2026, section="summary", text="Une année record.", area=area if scoped else None)
    client.force_login(User.objects.create_superuser("root@example.org", "a-long-test-password-42"))
    response = client.post(
        "/admin/stats/reportcomment/add/",
        {"year": "2026", "section": "summary", "text": "Une autre année.", "area": area.pk if scoped else ""},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    shows_no_constraint_name(response)
    assert "Report commentary with this Year, Area, Partner institution and Section already exists." in (
        response.content.decode()
    )
    assert ReportComment.objects.count() == 1
