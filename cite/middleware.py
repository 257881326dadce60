"""Cross-cutting request handling: a staff member's groups and permissions in one query, mandatory
two-factor authentication, and the Permissions-Policy header."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.shortcuts import redirect
from django.urls import reverse


def load_access(user):
    """`user`'s group names, their permissions and whether they set up an authenticator app, in one
    query instead of three (the groups, then ModelBackend's user and group permissions); the
    permissions go where ModelBackend keeps them for the request, so `has_perm` asks nothing more.
    Kept on `user` (this request's object) only: a change of role applies from the next request."""
    if hasattr(user, "_cite_groups"):
        return user._cite_groups, user._cite_totp
    from allauth.mfa.models import Authenticator

    User = get_user_model()
    user_groups = User.groups.through._meta.db_table
    user_perms = User.user_permissions.through._meta.db_table
    group_perms = Group.permissions.through._meta.db_table
    perm, ctype = Permission._meta.db_table, ContentType._meta.db_table
    codename = f"ct.app_label || '.' || p.codename FROM {perm} p JOIN {ctype} ct ON ct.id = p.content_type_id"
    sql = f"""
        SELECT 'group', g.name FROM {Group._meta.db_table} g JOIN {user_groups} ug ON ug.group_id = g.id
         WHERE ug.user_id = %(user)s
        UNION ALL
        SELECT 'user', {codename} JOIN {user_perms} up ON up.permission_id = p.id WHERE up.user_id = %(user)s
        UNION ALL
        SELECT 'role', {codename} JOIN {group_perms} gp ON gp.permission_id = p.id
          JOIN {user_groups} ug ON ug.group_id = gp.group_id WHERE ug.user_id = %(user)s
        UNION ALL
        SELECT 'totp', '' FROM {Authenticator._meta.db_table} a WHERE a.user_id = %(user)s AND a.type = %(totp)s
    """  # noqa: S608 (table names from the models, values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"user": user.pk, "totp": Authenticator.Type.TOTP})
        rows = cursor.fetchall()
    found = {"group": set(), "user": set(), "role": set(), "totp": set()}
    for kind, value in rows:
        found[kind].add(value)
    if user.is_active and not user.is_superuser:  # ModelBackend's own rules for the others
        user._user_perm_cache = found["user"]
        user._group_perm_cache = found["role"]
        user._perm_cache = found["user"] | found["role"]
    user._cite_groups, user._cite_totp = found["group"], bool(found["totp"])
    return user._cite_groups, user._cite_totp


class RequireMFAMiddleware:
    """Members of settings.MFA_REQUIRED_GROUPS set up an authenticator app before anything else.

    It reads a staff member's groups, permissions and authenticators in one query (load_access),
    which the views' permission checks then reuse."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_set_up_mfa(self, request):
        # What someone needs to set up MFA (or leave) stays reachable; probes never touch the session.
        if request.path_info.startswith(("/static/", "/healthz")):
            return False
        user = request.user
        if not user.is_authenticated:
            return False
        groups, has_totp = load_access(user)
        required = settings.MFA_REQUIRED_GROUPS
        if not required or request.path_info.startswith(("/accounts/", "/i18n/")):
            return False
        return bool(groups & set(required)) and not has_totp


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
