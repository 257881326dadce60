"""Access to staff pages: every one needs a permission, never just a login."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def permission_required(*permissions):
    """Send anonymous people to the login page; refuse (403) staff whose role lacks a permission."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perms(permissions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_permissions = permissions
        return wrapped

    return decorator
