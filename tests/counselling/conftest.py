"""Fixtures of counselling: topics, a counsellor on duty with a called ticket, an occupation."""

import pytest

from counselling.models import Topic
from reception import services as queue
from tests.reception.conftest import areas, desk, issue, job, on_duty, training  # noqa: F401


@pytest.fixture
def topics(db):
    return [
        Topic.objects.create(code="cv-letter", label_fr="CV et lettre", label_en="CV and letter", order=1),
        Topic.objects.create(code="apprenticeship", label_fr="Alternance", label_en="Apprenticeship", order=2),
    ]


@pytest.fixture
def plumber(db, tmp_path):
    """The occupation reference imported from a small ESCO download (tests/resources), with its labels."""
    from resources.esco import import_esco
    from resources.models import Occupation
    from tests.resources.conftest import PLUMBER, write_esco

    import_esco(directory=write_esco(tmp_path / "esco"))
    return Occupation.objects.get(uri=PLUMBER)


@pytest.fixture
def called(issue, training, desk, on_duty):  # noqa: F811 (fixtures of tests/reception)
    """A ticket called to desk 3, where the counsellor persona is on duty."""
    issue(training)
    return queue.call_next(desk=desk, by=on_duty)
