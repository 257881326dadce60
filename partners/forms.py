"""Forms of partners, for its pages and the admin: uploads are checked here, by their content."""

import datetime

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cite import dates
from partners.models import Action, Agreement, Attendance, Contact, Exchange, GroupDocument, Institution, local_today
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
        fields = ["name", "kind", "website", "logo", "description", "address", "phone", "email", "areas", "is_active"]
        field_classes = {"logo": forms.FileField}  # judged by content in clean_logo, not by extension
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        serve_current_file(self, "logo", "partners:institution-logo")
        if self.instance.phone and "phone" in self.fields:
            self.initial["phone"] = format_phone(self.instance.phone)

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


class InstitutionPageForm(InstitutionForm):
    """The same form on the app's own page: areas as checkboxes; archiving has its own button."""

    class Meta(InstitutionForm.Meta):
        fields = ["name", "kind", "website", "logo", "description", "address", "phone", "email", "areas"]
        widgets = {**InstitutionForm.Meta.widgets, "areas": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        from cite.models import Area

        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = Area.objects.active().order_by("order", "letter")


class ContactPageForm(ContactForm):
    """A contact of the institution whose page it is on."""

    class Meta(ContactForm.Meta):
        fields = ["name", "role", "email", "phone"]


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DraftAgreementForm(forms.ModelForm):
    """A draft agreement: its terms, and the signed copy once it comes back (optional here)."""

    document = forms.FileField(
        label=_("Signed copy (PDF)"),
        required=False,
        help_text=_("Optional: attach it now if you already have it, then record the signature."),
    )

    class Meta:
        model = Agreement
        fields = ["kind", "title", "start_date", "end_date", "committed_hours", "notes"]
        field_classes = {"start_date": dates.DateField, "end_date": dates.DateField}
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "committed_hours": forms.NumberInput(attrs={"min": 0, "step": "0.5"}),
        }

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            check_pdf(document)
        return document


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.email


class ExchangeForm(forms.ModelForm):
    """One exchange with a partner: the note is checked for personal data before anything is saved."""

    staff = StaffMultipleChoiceField(
        None,
        label=_("From the centre"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Who from the centre took part (you, if you tick nobody)."),
    )

    class Meta:
        model = Exchange
        fields = ["kind", "date", "staff", "contacts", "note", "follow_up", "follow_up_due"]
        field_classes = {"date": dates.DateField, "follow_up_due": dates.DateField}
        widgets = {
            "kind": forms.RadioSelect,
            "date": DATE_WIDGET,
            "follow_up_due": DATE_WIDGET,
            "contacts": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, institution, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(Exchange.Kind.choices)
        self.fields["staff"].queryset = (
            get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct().order_by("first_name")
        )
        self.fields["contacts"].queryset = institution.contacts.filter(is_active=True).order_by("name")

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value and value > local_today():
            raise forms.ValidationError(
                _("An exchange is logged once it has happened: the date cannot be in the future.")
            )
        return value


class MeetingTimesForm(forms.Form):
    """When and where a meeting is: a day and local times, as people say it."""

    date = dates.DateField(label=_("Date"), widget=DATE_WIDGET)
    starts_at = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends_at = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label=_("Place"), max_length=200, help_text=_("A room, an address, or a video link."))

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("date"), cleaned.get("starts_at"), cleaned.get("ends_at")
        if day and start and end:
            if end <= start:
                self.add_error("ends_at", _("A meeting ends after it starts."))
            else:
                cleaned["starts"] = timezone.make_aware(datetime.datetime.combine(day, start))
                cleaned["ends"] = timezone.make_aware(datetime.datetime.combine(day, end))
        return cleaned

    @staticmethod
    def initial_for(meeting):
        start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        return {"date": start.date(), "starts_at": start.time(), "ends_at": end.time(), "place": meeting.place}


class MeetingPlanForm(MeetingTimesForm):
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 5}), help_text=_("One item per line.")
    )


class MinutesForm(forms.Form):
    """The text of a meeting: what the page saves as one types."""

    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 12}))
    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One decision per line."),
    )


class ActionRowForm(forms.Form):
    """A new action decided at the meeting; a row left empty is ignored."""

    description = forms.CharField(label=_("Action"), max_length=300, required=False)
    owner = forms.ModelChoiceField(None, label=_("Owner"), required=False)
    due_date = dates.DateField(label=_("Due date"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("owner") or cleaned.get("due_date") or cleaned.get("description"):
            if not cleaned.get("description"):
                self.add_error("description", _("Say what is to be done."))
            if not cleaned.get("owner"):
                self.add_error("owner", _("Choose who does it."))
        return cleaned

    @property
    def filled(self):
        return bool(self.is_valid() and self.cleaned_data.get("description"))


class AttendanceForm(forms.Form):
    """Who came: each member present or excused (or not said), partner contacts as guests, and other
    guests by name."""

    contacts = forms.ModelMultipleChoiceField(
        None,
        label=_("Guests from partner institutions"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_guests = forms.CharField(
        label=_("Other guests"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One name per line."),
    )

    def __init__(self, *args, members, contacts, attendances, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        status_of = {a.user_id: a.status for a in attendances if a.user_id}
        choices = [
            ("", _("Not recorded")),
            (Attendance.Status.PRESENT, Attendance.Status.PRESENT.label),
            (Attendance.Status.EXCUSED, Attendance.Status.EXCUSED.label),
        ]
        for user in self.members:
            self.fields[f"member_{user.pk}"] = forms.ChoiceField(
                label=user.get_full_name() or user.email,
                choices=choices,
                required=False,
                initial=status_of.get(user.pk, ""),
                widget=forms.RadioSelect(attrs={"class": "inline-choices"}),
            )
        self.fields["contacts"].queryset = contacts
        self.fields["contacts"].label_from_instance = lambda contact: f"{contact.name} ({contact.institution})"
        self.fields["contacts"].initial = [a.contact_id for a in attendances if a.contact_id]
        self.fields["other_guests"].initial = "\n".join(a.guest_name for a in attendances if a.guest_name)

    def member_fields(self):
        return [self[f"member_{user.pk}"] for user in self.members]

    def attendance(self):
        """The arguments of partners.services.record_attendance."""
        members = {
            user: self.cleaned_data[f"member_{user.pk}"]
            for user in self.members
            if self.cleaned_data.get(f"member_{user.pk}")
        }
        guests = self.cleaned_data["other_guests"].splitlines()
        return {"members": members, "contacts": list(self.cleaned_data["contacts"]), "guests": guests}


ActionFormSet = forms.formset_factory(ActionRowForm, extra=2, max_num=20)


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
