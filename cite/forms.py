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


class ShowsLimits:
    """A form mixin: text fields show their limit instead of letting the browser cut a paste short.

    Django writes `maxlength` on text inputs, and a browser then truncates pasted text without a
    word (12,000 characters pasted, 2,000 kept). Here the limit becomes `data-maxlength`, which
    `static/js/forms.js` shows as a counter near the limit, and text over it is refused by the
    field's own validation with a message saying by how much: nothing is ever cut silently.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            limit = field.widget.attrs.pop("maxlength", None)
            if limit is not None:
                field.widget.attrs["data-maxlength"] = limit
                field.error_messages["max_length"] = TOO_LONG


TOO_LONG = _(
    "This text has %(show_value)d characters, more than the %(limit_value)d allowed: shorten it "
    "(nothing was saved, nothing was cut)."
)


KIOSK_COOKIE = "cite_kiosk"


class KioskForm(forms.Form):
    """A screen left to visitors (the self-service corner): where it starts, and after how long without
    a touch it goes back there for the next visitor."""

    START_PAGES = {
        "occupations": ("public:occupations", _("Occupations to explore")),
        "documents": ("resources:public-catalogue", _("Documents")),
        "workshops": ("public:workshops", _("Workshops")),
        "home": ("home", _("The centre's home page")),
    }
    IDLE_CHOICES = [(60, _("1 minute")), (120, _("2 minutes")), (180, _("3 minutes")), (300, _("5 minutes"))]

    start = forms.ChoiceField(
        label=_("Start page"), choices=[(key, label) for key, (_name, label) in START_PAGES.items()]
    )
    idle = forms.TypedChoiceField(
        label=_("Back to the start page after"), choices=IDLE_CHOICES, coerce=int, initial=120
    )

    def cookie_value(self):
        return f"{self.cleaned_data['start']}:{self.cleaned_data['idle']}"

    @classmethod
    def setting_of(cls, value):
        """The {"start": key, "idle": seconds} a kiosk cookie holds, or None if it holds nothing valid."""
        start, _sep, idle = (value or "").partition(":")
        if start in cls.START_PAGES and idle in {str(seconds) for seconds, _label in cls.IDLE_CHOICES}:
            return {"start": start, "idle": int(idle)}
        return None

    @classmethod
    def start_url_name(cls, setting):
        return cls.START_PAGES[setting["start"]][0]
