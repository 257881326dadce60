"""One choice of a radio or checkbox list alone (`{{ choice.tag }}`, in the templates that write their
own label: the anonymous profile, the session form) is written by cite's form renderer exactly as
Django's own template writes it."""

from django import forms

from tests.cite.test_renderer import SEEN, Both


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
    SEEN.clear()
    for form in (
        Choices(renderer=Both()),
        Choices({"radio": '"q"', "optional": "y", "boxes": ["1"]}, renderer=Both()),
    ):
        for name in ("radio", "optional", "boxes", "disabled"):
            for choice in form[name]:
                assert choice.tag().startswith("<input "), (name, choice.data)  # Both compares it with Django's
                assert choice.tag(wrap_label=True).startswith("<label "), (name, choice.data)
    assert {"django/forms/widgets/radio_option.html", "django/forms/widgets/checkbox_option.html"} <= SEEN
