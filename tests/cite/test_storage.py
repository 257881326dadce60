"""The private storage: files outside MEDIA_ROOT with no URL, the same for every app that keeps them."""

from django.core.files.base import ContentFile

from cite.storage import PrivateStorage
from partners.models import private_storage as partners_storage
from resources.uploads import private_storage as resources_storage


def test_private_files_live_under_the_private_root_read_when_used_and_have_no_url(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "elsewhere"

    for storage in (partners_storage, resources_storage):
        assert isinstance(storage, PrivateStorage)
        name = storage.save("folder/signed.pdf", ContentFile(b"%PDF-1.7"))
        assert (tmp_path / "elsewhere" / name).read_bytes() == b"%PDF-1.7"
        assert storage.url(name) is None


def test_each_app_keeps_the_path_its_migrations_name():
    assert partners_storage.deconstruct()[0] == "partners.models.PrivateStorage"
    assert resources_storage.deconstruct()[0] == "resources.uploads.PrivateStorage"
