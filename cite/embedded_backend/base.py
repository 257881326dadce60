"""Django's PostgreSQL backend, on the checkout's embedded server: started (or joined) at the first
connection, never when the settings are read (cite/embedded_db.py; only with DEBUG or EMBEDDED_POSTGRES)."""

from django.db.backends.postgresql import base

from cite import embedded_db


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        if not self.settings_dict.get("HOST"):
            self.settings_dict.update(embedded_db.connection_settings(self.settings_dict.get("NAME")))
        return super().get_connection_params()
