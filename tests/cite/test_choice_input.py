"""The `choice_input` filter writes exactly the <input> Django's own template gives a choice."""

from django import forms

from cite.templatetags.cite_tags import choice_input


class Choices(forms.Form):
    radio = forms.ChoiceField(
        choices=[("", "None"), ("a&b", "A and B"), ('"q"', "Quoted")], widget=forms.RadioSelect, initial="a&b"
    )
    optional = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect, required=False)
    boxes = forms.MultipleChoiceField(
        choices=[(1, "One"), (2, "Two"), ("<3>", "Three")],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "chip", "data-x": "1 < 2"}),
        initial=[2, "<3>"],
    )
    disabled = forms.ChoiceField(choices=[("z", "Z")], widget=forms.RadioSelect, disabled=True)


def test_every_choice_is_written_as_django_writes_it():
    for form in (Choices(), Choices({"radio": '"q"', "optional": "y", "boxes": ["1"]})):
        for name in ("radio", "optional", "boxes", "disabled"):
            for choice in form[name]:
                assert choice_input(choice) == choice.tag(), (name, choice.data)
