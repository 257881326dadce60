"""Forms of the library: a record (the same checks as the admin), the CSV import."""

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from cite.forms import MultipleFileField, ShowsLimits
from cite.models import Area
from resources.models import IscoGroup, Occupation, Record, RecordFile
from resources.uploads import inspect_upload


class ConceptPicker(forms.SelectMultiple):
    """The chosen occupations (or groups) as ticked boxes, and a type-ahead combobox to add more.

    Only the chosen items are rendered, never the thousands of ESCO occupations; the combobox
    (static/js/resources.js) asks the lookup view and adds a ticked box for the one picked.
    """

    template_name = "resources/widgets/concept_picker.html"

    def __init__(self, *, kind, attrs=None):
        super().__init__(attrs)
        self.kind = kind

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        selected = [str(pk) for pk in (value or []) if str(pk).isascii() and str(pk).isdigit()]
        queryset = self.choices.queryset
        if self.kind == "occupation":
            queryset = queryset.select_related("group")
        chosen = sorted(queryset.filter(pk__in=selected), key=lambda concept: concept.label.lower())
        context["widget"].update(
            kind=self.kind,
            chosen=chosen,
            lookup_url=reverse_lazy("resources:occupation-lookup"),
            input_label=_("Type at least three letters of any of its names, then choose it in the list.")
            if self.kind == "occupation"
            else _("Type a code (7126) or three letters of the group's name, then choose it in the list."),
            placeholder=_("plombier, infirmière, web developer…") if self.kind == "occupation" else "7126, 2423…",
        )
        return context

    def optgroups(self, name, value, attrs=None):
        return []  # never iterate the whole reference

    def _render(self, template_name, context, renderer=None):
        # Rendered by the project's template engine, where templates/resources/ lives.
        return mark_safe(render_to_string(template_name, context))  # noqa: S308 (a template's output)


class RecordForm(ShowsLimits, forms.ModelForm):
    audiences = forms.TypedMultipleChoiceField(
        label=_("Audiences"), choices=Record.Audience.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Area.objects.active(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The centre's areas this record helps with."),
    )
    occupations = forms.ModelMultipleChoiceField(
        label=_("Occupations (ESCO)"),
        queryset=Occupation.objects.all(),
        widget=ConceptPicker(kind="occupation"),
        required=False,
    )
    isco_groups = forms.ModelMultipleChoiceField(
        label=_("Occupation groups (ISCO-08)"),
        queryset=IscoGroup.objects.all(),
        widget=ConceptPicker(kind="group"),
        required=False,
        help_text=_("When the record is about a whole family of occupations."),
    )
    url = forms.URLField(label=_("External address"), max_length=1000, required=False, assume_scheme="https")
    remove_files = forms.ModelMultipleChoiceField(
        label=_("Remove attached files"),
        queryset=RecordFile.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    new_files = MultipleFileField(
        label=_("Attach files"),
        required=False,
        check=inspect_upload,  # each file by its content: type, size, decompression bombs
        help_text=_("PDF, images, office documents, MP4, MP3 or text; checked by their content."),
    )

    class Meta:
        model = Record
        fields = [
            "title",
            "description",
            "kind",
            "language",
            "creator",
            "publisher",
            "date",
            "format",
            "identifier",
            "source",
            "rights",
            "url",
            "areas",
            "keywords",
            "coverage",
            "audiences",
            "occupations",
            "isco_groups",
            "visibility",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "visibility": forms.RadioSelect,
        }

    SECTIONS = [
        (_("What it is"), ["title", "description", "kind", "language", "creator", "publisher", "date"]),
        (_("What it is about"), ["areas", "audiences", "keywords", "coverage", "occupations", "isco_groups"]),
        (
            _("Where to find it, and who may see it"),
            ["url", "remove_files", "new_files", "format", "identifier", "source", "rights", "visibility"],
        ),
    ]

    def sections(self):
        """(legend, bound fields) of each part of the form, in reading order."""
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in self.SECTIONS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.files.all():
            self.fields["remove_files"].queryset = self.instance.files.all()
        else:
            del self.fields["remove_files"]
        self.fields["keywords"].delimiter = ","
        self.fields["keywords"].help_text = _("Free keywords, separated by commas.")
        self.fields["date"].widget.attrs.update(placeholder="2024-05", inputmode="numeric")

    def files_to_attach_again(self):
        """The names of the files chosen with a refused form. A browser never keeps a file field's
        choice on the page that comes back, so the page says plainly which to choose again."""
        if not self.is_bound or not self.errors or not self.files:
            return []
        return [upload.name for upload in self.files.getlist(self.add_prefix("new_files"))]


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma- or semicolon-separated, with a header row; the columns of the export."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        from resources.uploads import max_upload_bytes

        if upload.size > max_upload_bytes():
            raise forms.ValidationError(_("This file is too large."))
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Choose a .csv file."))
        return upload
