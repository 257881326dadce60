"""What the partners' models share: the private storage of their files, the names given to
uploads, the centre's date, the reading order of names."""

import uuid

from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.deconstruct import deconstructible

import cite.storage


@deconstructible(path="partners.models.PrivateStorage")
class PrivateStorage(cite.storage.PrivateStorage):
    """The kernel's private storage under the name this app's migrations record."""


private_storage = PrivateStorage()


def random_name(folder, extension):
    """Uploaded files are renamed: the sender's file name never reaches the disk or a URL."""
    return f"partners/{folder}/{uuid.uuid4().hex}.{extension}"


def local_today():
    return timezone.localdate()


def sort_key(field):
    """Order names as people read them: case and accents ignored (Élodie between Dominique and Fatou)."""
    return Lower(models.Func(F(field), function="unaccent"))
