"""What reception tells the rest of the centre, and what it listens to.

`visit_left_desk` is sent inside the transaction of every move that takes a ticket being served
away from its desk (finished, referred to another area, closed at night), so that an app which
records what happens at the desk (counselling's sessions) ends its record in the same transaction:
reception itself knows nothing of sessions.
"""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import Signal, receiver

# Sent with ticket=, at= (the moment the visitor left the desk) and kind= (a TicketEvent.Kind).
visit_left_desk = Signal()


@receiver(user_logged_out, dispatch_uid="reception-close-desk-on-logout")
def close_desk_on_logout(sender, request, user, **kwargs):
    """A counsellor who logs out leaves their desk: it must not stay "open" with nobody behind it."""
    if user is None:
        return
    from reception.models import Duty
    from reception.services import leave_desk

    leave_desk(user=user, reason=Duty.EndReason.LOGGED_OUT)
