"""The demo centre: believable data for every part of cite, built idempotently by `manage.py demo`.

Each app adds its steps through a `demo_steps` attribute on its AppConfig: a list of (label,
"dotted.path.to.function") run after the staff, in the order of INSTALLED_APPS. Every step may
be run again and leaves the same data.
"""

import functools

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from cite.models import Area, Centre, User
from cite.roles import BACK_OFFICE, COUNSELLOR, MANAGER, RECEPTION

DEMO_PASSWORD = "cite-demo-2026"  # noqa: S105 (printed for the demo; demo accounts only)

# (email, first name, last name, roles, administration access)
DEMO_STAFF = [
    ("accueil@demo.example.org", "Inès", "Garnier", [RECEPTION], False),
    ("accueil2@demo.example.org", "Théo", "Marchand", [RECEPTION], False),
    ("conseil@demo.example.org", "Camille", "Bernard", [COUNSELLOR], False),
    ("conseil2@demo.example.org", "Yanis", "Haddad", [COUNSELLOR], False),
    ("conseil3@demo.example.org", "Sophie", "Lefèvre", [COUNSELLOR], False),
    ("backoffice@demo.example.org", "Julien", "Moreau", [BACK_OFFICE], True),
    ("direction@demo.example.org", "Nadia", "Benali", [MANAGER], True),
]
DEMO_ADMIN = "admin@demo.example.org"


@transaction.atomic
def create_staff():
    groups = {group.name: group for group in Group.objects.all()}
    # Every demo account has the same, printed password: it is hashed once, not once per account (a
    # hash takes a third of a second by design, and eight of them were the slowest part of the staff).
    hashed = functools.cache(lambda: make_password(DEMO_PASSWORD))
    for email, first_name, last_name, roles, is_staff in DEMO_STAFF:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first_name, "last_name": last_name, "is_staff": is_staff}
        )
        if created:
            user.password = hashed()
            user.save(update_fields=["password"])
        user.groups.set([groups[role] for role in roles])
    if not User.objects.filter(email=DEMO_ADMIN).exists():
        admin = User.objects.create_superuser(DEMO_ADMIN, None, first_name="Admin")
        admin.password = hashed()
        admin.save(update_fields=["password"])


# (code, letter, French, English, colour): the areas of a typical Cité, with the network's codes.
DEMO_AREAS = [
    ("choose-path", "A", "Choisir son orientation", "Choose a path", "#1d4f73"),
    ("find-training", "B", "Trouver une formation", "Find training", "#6a3d9a"),
    ("find-job", "C", "Trouver un emploi", "Find a job", "#1e6b3a"),
    ("change-career", "D", "Changer sa vie professionnelle", "Change career", "#a2261e"),
    ("start-business", "E", "Créer son activité", "Start a business", "#8a4b08"),
    ("work-abroad", "F", "Travailler à l'international", "Work abroad", "#0b6b73"),
]

# (name, country, city, label year): sister centres of the network (demo addresses).
DEMO_CENTRES = [
    ("Cité des métiers de Paris", "FR", "Paris", 1993),
    ("Cité des métiers du Val-de-Marne", "FR", "Choisy-le-Roi", 2005),
    ("Cité des métiers de Marseille", "FR", "Marseille", 2004),
    ("Cité des métiers de Genève", "CH", "Genève", 2008),
    ("Cité des métiers de Bruxelles", "BE", "Bruxelles", 2013),
    ("Cidade das Profissões", "PT", "Porto", 1999),
]


@transaction.atomic
def create_areas():
    for order, (code, letter, name_fr, name_en, colour) in enumerate(DEMO_AREAS):
        Area.objects.update_or_create(
            code=code,
            defaults={"letter": letter, "name_fr": name_fr, "name_en": name_en, "colour": colour, "order": order},
        )


@transaction.atomic
def create_centres():
    import datetime

    from django.utils.text import slugify

    for name, country, city, year in DEMO_CENTRES:
        host = f"{slugify(city)}.cites-demo.example.org"
        Centre.objects.update_or_create(
            name=name,
            defaults={
                "country": country,
                "city": city,
                "website": f"https://{host}/",
                "oai_base_url": f"https://{host}/oai",
                "label_date": datetime.date(year, 6, 1),
                "contact_email": f"reseau@{host}",
            },
        )


def steps():
    """(label, function) of every step of the demo, cite's own first."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    app_steps = [
        (label, import_string(path))
        for config in apps.get_app_configs()
        for label, path in getattr(config, "demo_steps", [])
    ]
    return [("staff", create_staff), ("areas", create_areas), ("centres", create_centres), *app_steps]


def logins():
    """(email, roles) of the demo accounts, for the run command to print."""
    rows = [(email, ", ".join(roles)) for email, _first, _last, roles, _staff in DEMO_STAFF]
    return [*rows, (DEMO_ADMIN, "superuser")]
