"""Pages of the project itself: the role-aware home, the team directory, the health check, the error page."""

import sys

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.module_loading import import_string
from django.views import defaults
from django.views.decorators.cache import cache_control, never_cache

from cite.decorators import permission_required
from cite.forms import KIOSK_COOKIE, KioskForm
from cite.models import Area, User
from cite.navigation import workspace_url
from cite.roles import roles_of


def home(request):
    """Send each person to their workspace; show the tools of their role when it has none.

    Anyone not logged in gets the visitors' home page of the first app that names one
    (AppConfig.public_home), or the login page without one."""
    if not request.user.is_authenticated:
        if view := public_home_view():
            return view(request)
        return redirect_to_login(request.get_full_path())
    if url := workspace_url(request.user):
        return redirect(url)
    return render(request, "cite/home.html", {"roles": roles_of(request.user)})


def public_home_view():
    from django.apps import apps

    for config in apps.get_app_configs():
        if path := getattr(config, "public_home", None):
            return import_string(path)
    return None


@permission_required("cite.view_user")
def team(request):
    members = (
        User.objects.filter(is_active=True)
        .prefetch_related(Prefetch("groups", queryset=Group.objects.order_by("name")))
        .order_by("last_name", "first_name", "email")
    )
    return render(request, "cite/team.html", {"members": members})


@never_cache
def kiosk(request):
    """Kiosk mode for a screen left to visitors, set on that screen's browser (a cookie, nothing on the
    server): no staff login link, and back to its start page, in the default language, after a while
    without a touch, so the next visitor never sees what the last one looked at."""
    current = KioskForm.setting_of(request.COOKIES.get(KIOSK_COOKIE))
    if request.method == "POST" and request.POST.get("action") == "stop":
        response = redirect("kiosk")
        response.delete_cookie(KIOSK_COOKIE)
        return response
    form = KioskForm(request.POST or None, initial=current)  # a screen in kiosk mode shows its setting
    if request.method == "POST" and form.is_valid():
        response = redirect(KioskForm.start_url_name(form.cleaned_data))
        response.set_cookie(
            KIOSK_COOKIE,
            form.cookie_value(),
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return response
    status = 400 if form.is_bound else 200
    return render(request, "cite/kiosk.html", {"form": form, "current": current}, status=status)


@never_cache
def kiosk_restart(request):
    """Where a kiosk goes back after a while without a touch: its start page, in the default language."""
    current = KioskForm.setting_of(request.COOKIES.get(KIOSK_COOKIE))
    response = redirect(KioskForm.start_url_name(current) if current else "home")
    response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    return response


def favicon(request):
    """Browsers ask for /favicon.ico on pages that do not name one (the admin)."""
    return redirect(static("favicon.svg"), permanent=True)


@cache_control(max_age=300)
def area_colours(request):
    """Each area's colour as a CSS class: colours are data, and a strict CSP forbids inline styles."""
    css = render_to_string("cite/area_colours.css", {"areas": Area.objects.all()})
    return HttpResponse(css, content_type="text/css")


def healthz(request):
    """200 when the database answers, 503 when it does not: for probes and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def _database_unavailable(error):
    """Whether an error (or what caused it) says the database cannot be reached right now."""
    for _depth in range(5):
        if error is None:
            return False
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def server_error(request):
    """handler500: 503 while the database is away (restart, failover), Django's 500 page otherwise.

    Django calls it for any uncaught error, in a view or a middleware (a session read), while the
    error is being handled, so sys.exc_info() names it. The page needs no database: no context
    processors, only the language the locale middleware chose. The connection is dropped at the end
    of the request (CONN_HEALTH_CHECKS), so the next request reconnects by itself.
    """
    if _database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        return response
    return defaults.server_error(request)
