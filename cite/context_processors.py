"""Values every template needs: the centre's name, the navigation the user may use, and the kiosk mode."""

from django.conf import settings

from cite.forms import KIOSK_COOKIE, KioskForm
from cite.navigation import entries_for


def centre(request):
    user = getattr(request, "user", None)
    staff = user is not None and user.is_authenticated
    return {
        "CENTRE_NAME": settings.CENTRE_NAME,
        "navigation": entries_for(user, request.path) if staff else [],
        # A screen left to visitors (cite.views.kiosk): staff logged in on it see their own pages.
        "kiosk": None if staff else KioskForm.setting_of(request.COOKIES.get(KIOSK_COOKIE)),
    }
