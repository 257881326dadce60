"""The four staff roles and the permissions each one carries.

A role is a Django group. The groups are created by a data migration; after every `migrate`, the
permissions listed here are added to them (never removed, so the back office may grant more).
Each app adds the permissions of its pages through a `role_permissions` attribute on its
AppConfig ({role: ["app_label.codename", ...]}), so the table lives beside the pages it guards.
"""

from django.utils.translation import gettext_lazy as _

RECEPTION = "Reception"
COUNSELLOR = "Counsellor"
BACK_OFFICE = "Back office"
MANAGER = "Manager"

ROLE_LABELS = {
    RECEPTION: _("Reception"),
    COUNSELLOR: _("Counsellor"),
    BACK_OFFICE: _("Back office"),
    MANAGER: _("Manager"),
}

ROLE_PERMISSIONS = {
    RECEPTION: [],
    COUNSELLOR: [],
    BACK_OFFICE: [
        "cite.view_user",
        "cite.add_user",
        "cite.change_user",
        "auth.view_group",
        *[f"cite.{action}_{model}" for model in ("area", "centre") for action in ("view", "add", "change")],
        "auditlog.view_logentry",  # the audit trail of reference data and accounts, read-only
    ],
    MANAGER: [
        "cite.view_statistics",
        "cite.view_user",
        "cite.view_area",
        "cite.view_centre",
        "auditlog.view_logentry",
    ],
}


def role_permissions():
    """{role: [permission, ...]}: cite's own table merged with every app's `role_permissions`."""
    from django.apps import apps

    merged = {role: list(permissions) for role, permissions in ROLE_PERMISSIONS.items()}
    for config in apps.get_app_configs():
        for role, permissions in getattr(config, "role_permissions", {}).items():
            merged[role].extend(permissions)
    return merged


def create_roles(apps, app_label=None):
    """Create the groups and add the permissions of `app_label` (all apps when None) that exist."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, permissions in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = [p.split(".", 1) for p in permissions if app_label is None or p.startswith(f"{app_label}.")]
        if not wanted:
            continue
        found = Permission.objects.filter(
            content_type__app_label__in={label for label, _ in wanted},
            codename__in={codename for _, codename in wanted},
        ).select_related("content_type")
        group.permissions.add(*[p for p in found if [p.content_type.app_label, p.codename] in wanted])


def sync_roles(sender, using="default", apps=None, verbosity=1, **kwargs):
    """post_migrate: give the roles their permissions, once every app's permissions exist.

    Django sends post_migrate once per app with models, in INSTALLED_APPS' order, each time after
    creating that app's permissions: the roles are brought up to date at the last one, in one pass
    (at every app, they were read and written 14 times over; the tests' flush sends it too)."""
    from django.apps import apps as global_apps

    with_models = [config for config in global_apps.get_app_configs() if config.models_module is not None]
    if sender is with_models[-1]:
        create_roles(global_apps)


def roles_of(user):
    """The role names of a user, in the order of ROLE_PERMISSIONS."""
    names = {group.name for group in user.groups.all()}
    return [role for role in ROLE_PERMISSIONS if role in names]
