"""What reception does when something happens elsewhere (connected in ReceptionConfig.ready)."""

from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from cite.models import Area
from reception.models import Desk, Duty
from reception.services import leave_desk
from reception.versions import bump_queue_version


@receiver(user_logged_out, dispatch_uid="reception-close-desk-on-logout")
def close_desk_on_logout(sender, request, user, **kwargs):
    """A counsellor who logs out leaves their desk: it must not stay "open" with nobody behind it."""
    if user is None:
        return
    leave_desk(user=user, reason=Duty.EndReason.LOGGED_OUT)


@receiver(post_save, sender=Area, dispatch_uid="reception-version-area-saved")
@receiver(post_delete, sender=Area, dispatch_uid="reception-version-area-deleted")
@receiver(post_save, sender=Desk, dispatch_uid="reception-version-desk-saved")
@receiver(post_delete, sender=Desk, dispatch_uid="reception-version-desk-deleted")
@receiver(m2m_changed, sender=Desk.areas.through, dispatch_uid="reception-version-desk-areas")
def queue_settings_changed(sender, **kwargs):
    """An area or a desk changed in the admin (a name, a letter, an area switched off, the areas a desk
    serves): what the display and the phone page show changes too."""
    if kwargs.get("raw") or kwargs.get("action", "post").startswith("pre"):  # fixtures; before an m2m change
        return
    bump_queue_version()
