"""Form components every app may use."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); the cleaned value is a list.

    `check(upload)`, when given, looks at each file (its content, its size) and raises a
    ValidationError to refuse it; every error names the file it is about.
    """

    widget = MultipleFileInput

    def __init__(self, *args, check=None, **kwargs):
        self.check = check
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if not uploads:
            single(None, initial)  # "required" when no file was chosen
            return []
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(single(upload, initial))
                if self.check:
                    self.check(upload)
            except forms.ValidationError as error:
                errors.extend(
                    forms.ValidationError(_("%(name)s: %(message)s"), params={"name": upload.name, "message": message})
                    for message in error.messages
                )
        if errors:
            raise forms.ValidationError(errors)
        return cleaned
