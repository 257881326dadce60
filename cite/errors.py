"""The base of the exceptions that carry a message for the user: a change the centre's rules refuse.

A view turns one into a form error or a message (never a 500); `message` is translated when shown,
in the language of whoever reads it.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A change that is not allowed; `message` (and `str(error)`) says why, for the person who asked.

    `messages` lists every reason when there are several (a form shows each one); `message` is then
    all of them in one sentence. A subclass may set a default `message` for when it is raised bare.
    """

    message = _("This change is not allowed.")

    def __init__(self, message=None):
        if message is None:
            message = type(self).message
        self.messages = list(message) if isinstance(message, list | tuple) else [message]
        self.message = self.messages[0] if len(self.messages) == 1 else " ".join(str(m) for m in self.messages)
        super().__init__(self.message)

    def __str__(self):
        return str(self.message)
