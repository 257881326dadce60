"""Forms of partners, for its pages and the admin: uploads are checked here, by their content."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cite import dates
from partners.models import Action, Agreement, Contact, GroupDocument, Institution, local_today
from partners.validators import check_pdf, document_extension, format_phone, process_logo


class ServedFile:
    """A stored file as the upload widget shows it: its name, and the view that serves it."""

    def __init__(self, name, url):
        self.name, self.url = name, url

    def __str__(self):
        return self.name.rsplit("/", 1)[-1]


class ServedFileInput(forms.ClearableFileInput):
    """Links the current file to the permission-checked view that serves it: uploads have no public URL."""

    served_at = None

    def is_initial(self, value):
        return bool(value and self.served_at)

    def format_value(self, value):
        if self.is_initial(value):
            return ServedFile(value.name, self.served_at)
        return None


def serve_current_file(form, field, url_name):
    """Give `field` of a bound model form the link of the view serving its current file."""
    existing = form.fields[field].widget
    widget = ServedFileInput(attrs=existing.attrs)
    widget.template_name = existing.template_name  # the admin's own look, in the admin
    if form.instance.pk and getattr(form.instance, field):
        widget.served_at = reverse(url_name, args=[form.instance.pk])
    form.fields[field].widget = widget


def https_by_default(field, **kwargs):
    """Model fields to form fields; an address typed without a scheme is taken as https://."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class InstitutionForm(forms.ModelForm):
    """The logo is redrawn as a small PNG; whatever else the upload held is dropped."""

    class Meta:
        model = Institution
        formfield_callback = https_by_default
        fields = ["name", "kind", "website", "logo", "description", "areas", "is_active"]
        field_classes = {"logo": forms.FileField}  # judged by content in clean_logo, not by extension

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        serve_current_file(self, "logo", "partners:institution-logo")

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):  # a new upload, not the logo already kept
            return process_logo(logo)
        return logo


class ContactForm(forms.ModelForm):
    """The phone number is kept in international form and shown the way people dial it."""

    class Meta:
        model = Contact
        fields = ["institution", "name", "role", "email", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.phone and "phone" in self.fields:
            self.initial["phone"] = format_phone(self.instance.phone)


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [
            "institution",
            "kind",
            "title",
            "start_date",
            "end_date",
            "committed_hours",
            "signature_date",
            "document",
            "notes",
        ]
        field_classes = {"start_date": dates.DateField, "end_date": dates.DateField, "signature_date": dates.DateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        serve_current_file(self, "document", "partners:agreement-document")

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if isinstance(document, UploadedFile):  # a new upload, not the file already kept
            check_pdf(document)
        return document

    def clean(self):
        cleaned = super().clean()
        # The stage is not on the form, so the database rule on signed agreements is checked here.
        if self.instance.stage != Agreement.Stage.DRAFT:
            if "signature_date" in self.fields and not cleaned.get("signature_date"):
                self.add_error("signature_date", _("A signed agreement keeps its signature date."))
            if "document" in self.fields and cleaned.get("document") is False:
                self.add_error("document", _("A signed agreement keeps its signed copy."))
        return cleaned


class GroupDocumentForm(forms.ModelForm):
    class Meta:
        model = GroupDocument
        formfield_callback = https_by_default
        fields = ["group", "title", "file", "link"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        serve_current_file(self, "file", "partners:group-document")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            extension = document_extension(upload)
            upload.name = f"document.{extension}"  # the stored name takes the extension read from the content
        return upload


class SignAgreementForm(forms.Form):
    signature_date = dates.DateField(
        label=_("Signature date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=local_today,
    )
    document = forms.FileField(label=_("Signed copy (PDF)"), required=False)

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.agreement = agreement
        if agreement.document:
            self.fields["document"].help_text = _("A signed copy is already attached; add one only to replace it.")
        else:
            self.fields["document"].required = True

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            check_pdf(document)
        return document

    def clean_signature_date(self):
        value = self.cleaned_data["signature_date"]
        if value > local_today():
            raise forms.ValidationError(_("The signature date cannot be in the future."))
        return value


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)


class ObjectiveProgressForm(forms.Form):
    progress = forms.DecimalField(label=_("Progress"), min_value=0, max_digits=10, decimal_places=1, localize=True)
