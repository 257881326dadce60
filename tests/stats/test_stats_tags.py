"""The statistics' template helpers write exactly what the templates they replaced wrote: a cell of
every kind in every state, and chart labels on one line, on two, shortened or not, with characters
to escape. The templates' text is kept here, as it was in templates/stats/ (its includes/cell.html and
charts/label.html)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from stats.tables import CHANGE, COUNT, MINUTES, NUMBER, RATE, SHARE, Stat
from stats.templatetags.stats_tags import chart_label, figure_cell

CELL = (
    '{% load i18n %}<td class="num{% if cell.suppressed %} suppressed{% endif %}">{% if cell.suppressed and not '
    'cell.shown_as_small %}<span aria-hidden="true">—</span><span class="visually-hidden">{% translate "withheld" %}'
    "</span>{% elif cell %}{{ cell.text }}{% else %}—{% endif %}</td>"
)
LABEL = (
    '{% load l10n %}{% localize off %}<text class="chart-label" x="{{ x }}" y="{{ y }}" text-anchor="end">'
    "{% if label.shortened %}<title>{{ label.full }}</title>{% endif %}{% if label.lines|length > 1 %}"
    '{% for line in label.lines %}<tspan x="{{ x }}" dy="{% if forloop.first %}-0.5em{% else %}1.15em{% endif %}">'
    "{{ line }}</tspan>{% endfor %}{% else %}{{ label.lines.0 }}{% endif %}</text>{% endlocalize %}"
)


def cells():
    yield None
    for kind in (COUNT, SHARE, RATE, MINUTES, CHANGE, NUMBER):
        for value in (None, 0, 1, 3, 4.5, 12345, -7.25):
            for suppressed in (False, True):
                for bounded in (True, False):
                    yield Stat(value, kind=kind, suppressed=suppressed, bounded=bounded)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_cell_of_every_kind_and_state_is_written_as_its_template_wrote_it(language):
    reference = Template(CELL)
    with translation.override(language):
        for cell in cells():
            assert figure_cell(cell) == reference.render(Context({"cell": cell})), cell


@pytest.mark.parametrize(
    "label",
    [
        {"full": "Accueil", "lines": ["Accueil"], "shortened": False},
        {"full": "Emploi & <formation>", "lines": ["Emploi &", "<formation>"], "shortened": False},
        {"full": "Un très long intitulé « cité »", "lines": ["Un très long", "intitulé…"], "shortened": True},
        {"full": "", "lines": [], "shortened": False},
    ],
)
@pytest.mark.parametrize(("x", "y"), [(140, 22), (139.5, 1234.25)])
def test_a_chart_label_is_written_as_its_template_wrote_it(label, x, y):
    with translation.override("fr"):  # a French decimal comma must not reach the SVG's coordinates
        reference = Template(LABEL).render(Context({"x": x, "y": y, "label": label}))
        assert chart_label(x, y, label) == reference
        assert 'y="1234.25"' in reference or 'y="22"' in reference
