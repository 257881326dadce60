"""What each person may open: the navigation and the home page are built from this one list.

Each app lists its pages in a `navigation` attribute on its AppConfig (a list of Entry), with the
permission that guards them, so the menu never shows a page its reader would be refused. The apps'
entries come first, in the order of INSTALLED_APPS, then cite's own.
"""

import logging
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    label: Promise
    url_name: str
    permission: str  # "app_label.codename"; "is_staff" for the administration site
    description: Promise
    workspace: bool = False  # the page a person with this permission starts their day on

    def allowed(self, user):
        if self.permission == "is_staff":
            return user.is_active and user.is_staff
        return user.has_perm(self.permission)


ENTRIES = [
    Entry(_("Team"), "cite:team", "cite.view_user", _("Colleagues, their roles and how to reach them.")),
    Entry(_("Administration"), "admin:index", "is_staff", _("Reference lists, accounts and everything else.")),
]


def all_entries():
    from django.apps import apps

    app_entries = [entry for config in apps.get_app_configs() for entry in getattr(config, "navigation", [])]
    return [*app_entries, *ENTRIES]


def entries_for(user, path=""):
    """The entries `user` may open, each with its URL and whether `path` is inside it.

    Only the entry with the longest URL that `path` starts with is current: /counselling/workshops/
    belongs to "Workshops", not also to "My desk" at /counselling/.
    An entry whose page is not routed is left out (and logged) rather than breaking every page;
    tests/cite/test_home.py fails for it.
    """
    items = []
    for entry in all_entries():
        if entry.allowed(user):
            try:
                url = reverse(entry.url_name)
            except NoReverseMatch:
                logger.error("Menu entry %s has no route", entry.url_name)
                continue
            items.append({"entry": entry, "url": url, "current": False})
    inside = [item for item in items if path.startswith(item["url"])]
    if inside:
        max(inside, key=lambda item: len(item["url"]))["current"] = True
    return items


def workspace_url(user):
    """Where `user` starts the day: the first workspace page they may use, if any."""
    for entry in all_entries():
        if entry.workspace and entry.allowed(user):
            return reverse(entry.url_name)
    return None
