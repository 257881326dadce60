"""The library's pages in the access matrix of tests/cite/test_access.py."""

EVERYONE = {"reception", "counsellor", "back_office", "manager"}


def _record():
    from tests.resources.conftest import make_record

    return {"uuid": make_record(title="Fiche métier", visibility="internal").uuid}


def _group():
    from resources.models import IscoGroup

    group = IscoGroup.objects.create(
        uri="http://data.europa.eu/esco/isco/C7", code="7", level=1, labels={"en": "Craft"}
    )
    return {"code": group.code}


def _occupation():
    from resources.models import IscoGroup, Occupation

    unit = IscoGroup.objects.create(uri="http://data.europa.eu/esco/isco/C7126", code="7126", level=4)
    occupation = Occupation.objects.create(
        uri="http://data.europa.eu/esco/occupation/x", group=unit, labels={"en": "plumber"}
    )
    return {"pk": occupation.pk}


PAGE_ROLES = {
    "resources:catalogue": EVERYONE,
    "resources:record-detail": EVERYONE,
    "resources:record-create": {"back_office"},
    "resources:record-edit": {"back_office"},
    "resources:record-delete": {"back_office"},
    "resources:record-export": {"counsellor", "back_office", "manager"},
    "resources:record-import": {"back_office"},
    "resources:occupations": EVERYONE,
    "resources:occupation-lookup": EVERYONE,
    "resources:occupation-group": EVERYONE,
    "resources:occupation-detail": EVERYONE,
}
URL_KWARGS = {
    "resources:record-detail": _record,
    "resources:record-edit": _record,
    "resources:record-delete": _record,
    "resources:occupation-group": _group,
    "resources:occupation-detail": _occupation,
}
