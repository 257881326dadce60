"""What reception does when something happens elsewhere (connected in ReceptionConfig.ready)."""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from reception.models import Duty
from reception.services import leave_desk


@receiver(user_logged_out, dispatch_uid="reception-close-desk-on-logout")
def close_desk_on_logout(sender, request, user, **kwargs):
    """A counsellor who logs out leaves their desk: it must not stay "open" with nobody behind it."""
    if user is None:
        return
    leave_desk(user=user, reason=Duty.EndReason.LOGGED_OUT)
