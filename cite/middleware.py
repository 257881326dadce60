"""Cross-cutting request handling: mandatory two-factor authentication and the Permissions-Policy header."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class RequireMFAMiddleware:
    """Members of settings.MFA_REQUIRED_GROUPS set up an authenticator app before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_set_up_mfa(self, request):
        from allauth.mfa.models import Authenticator

        groups = settings.MFA_REQUIRED_GROUPS
        # What someone needs to set up MFA (or leave) stays reachable; probes never touch the session.
        if not groups or request.path_info.startswith(("/accounts/", "/i18n/", "/static/", "/healthz")):
            return False
        user = request.user
        if not user.is_authenticated:
            return False
        if not user.groups.filter(name__in=groups).exists():
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
