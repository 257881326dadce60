"""Every admin form is built without a warning of what Django 6 will change: an address typed without
its scheme is taken as https:// (HTTPS_BY_DEFAULT in cite/admin.py) in every admin, not in some."""

import warnings

from django.contrib import admin
from django.test import RequestFactory
from django.utils.deprecation import RemovedInDjango60Warning


def test_no_admin_form_warns_of_django_6(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    warned = []
    with warnings.catch_warnings():
        warnings.simplefilter("error", RemovedInDjango60Warning)
        for model, model_admin in admin.site._registry.items():
            try:
                model_admin.get_form(request)
            except RemovedInDjango60Warning as warning:
                warned.append(f"{model._meta.label}: {warning}")
    assert warned == []
    assert len(admin.site._registry) > 20


def test_an_address_without_its_scheme_is_taken_as_https(admin_client):
    from cite.models import Centre

    response = admin_client.post(
        "/admin/cite/centre/add/",
        {
            "name": "Cité des métiers de Lyon",
            "country": "FR",
            "city": "Lyon",
            "website": "lyon.example.org",
            "oai_base_url": "lyon.example.org/oai",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    centre = Centre.objects.get(name="Cité des métiers de Lyon")
    assert centre.website == "https://lyon.example.org"
    assert centre.oai_base_url == "https://lyon.example.org/oai"
