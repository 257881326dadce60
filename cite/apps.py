from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CiteConfig(AppConfig):
    name = "cite"
    verbose_name = _("Staff and roles")

    def ready(self):
        from cite.roles import sync_roles

        # Permissions of models added by later migrations only exist once post_migrate has run,
        # so the roles take their permissions from here, after every migrate.
        post_migrate.connect(sync_roles, dispatch_uid="cite.sync_roles")
