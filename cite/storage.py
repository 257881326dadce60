"""Where files that only a permission-checked view may serve are kept (signed agreements, working-group
documents, the library's attached files and thumbnails)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="cite.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, with no URL of their own: a view
    checks the reader's permission and streams them. The folder is read when used, so tests (and
    deployments) may move it."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        # No public URL, ever: the admin then shows no "currently" link, templates use the views.
        return None
