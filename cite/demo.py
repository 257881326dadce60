"""The demo centre: believable data for every part of cite, built idempotently by `manage.py demo`.

Each app adds its steps through a `demo_steps` attribute on its AppConfig: a list of (label,
"dotted.path.to.function") run after the staff, in the order of INSTALLED_APPS. Every step may
be run again and leaves the same data.
"""

from django.contrib.auth.models import Group
from django.db import transaction

from cite.models import User
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
    for email, first_name, last_name, roles, is_staff in DEMO_STAFF:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first_name, "last_name": last_name, "is_staff": is_staff}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.set([groups[role] for role in roles])
    if not User.objects.filter(email=DEMO_ADMIN).exists():
        User.objects.create_superuser(DEMO_ADMIN, DEMO_PASSWORD, first_name="Admin")


def steps():
    """(label, function) of every step of the demo, cite's own first."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    app_steps = [
        (label, import_string(path))
        for config in apps.get_app_configs()
        for label, path in getattr(config, "demo_steps", [])
    ]
    return [("staff", create_staff), *app_steps]


def logins():
    """(email, roles) of the demo accounts, for the run command to print."""
    rows = [(email, ", ".join(roles)) for email, _first, _last, roles, _staff in DEMO_STAFF]
    return [*rows, (DEMO_ADMIN, "superuser")]
