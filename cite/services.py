"""Changes to staff accounts."""

from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.core import context
from django.conf import settings


def invite_staff_member(*, user, request):
    """Email `user` a link to choose their password (allauth's reset link, valid for 3 days)."""
    # May run after the response (transaction.on_commit), where allauth no longer knows the request.
    with context.request_context(request):
        adapter = get_adapter(request)
        key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
        adapter.send_mail(
            "cite/email/invitation",
            user.email,
            {
                "user": user,
                "centre_name": settings.CENTRE_NAME,
                "password_url": adapter.get_reset_password_from_key_url(key),
            },
        )
