"""Values every template needs: the centre's name and the navigation the user may use."""

from django.conf import settings

from cite.navigation import entries_for


def centre(request):
    user = getattr(request, "user", None)
    return {
        "CENTRE_NAME": settings.CENTRE_NAME,
        "navigation": entries_for(user, request.path) if user is not None and user.is_authenticated else [],
    }
