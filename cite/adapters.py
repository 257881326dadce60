"""django-allauth adapted to a staff-only tool: no public sign-up; accounts come from the back office."""

from allauth.account.adapter import DefaultAccountAdapter


class StaffAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False
