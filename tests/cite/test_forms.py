"""The kernel's form components."""

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from cite.forms import MultipleFileField


def no_exe(upload):
    if upload.name.endswith(".exe"):
        raise forms.ValidationError("A program is not a document.")


def upload(name, content=b"some bytes"):
    return SimpleUploadedFile(name, content)


def test_several_files_clean_to_a_list_each_checked_and_each_error_names_its_file():
    field = MultipleFileField(check=no_exe)

    assert [f.name for f in field.clean([upload("guide.pdf"), upload("map.png")])] == ["guide.pdf", "map.png"]
    with pytest.raises(forms.ValidationError) as refused:
        field.clean([upload("guide.pdf"), upload("setup.exe"), upload("empty.txt", b"")])
    assert refused.value.messages == [
        "setup.exe : A program is not a document.",
        "empty.txt : Le fichier soumis est vide.",
    ]


def test_no_file_is_an_empty_list_or_the_required_message():
    assert MultipleFileField(required=False).clean([]) == []
    assert MultipleFileField(required=False).clean(None) == []
    with pytest.raises(forms.ValidationError) as refused:
        MultipleFileField(error_messages={"required": "Choose a file."}).clean([])
    assert refused.value.messages == ["Choose a file."]
