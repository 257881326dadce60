"""Template helpers of the statistics pages, for what a page repeats hundreds of times.

A dashboard shows 27 tables and their charts: a template included for every cell and every chart
label was about a tenth of its time on an empty database (97-112 ms a request, 89-91 without). These
write the same HTML (tests/stats/test_stats_tags.py compares them with the templates they replaced)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

NO_FIGURE = mark_safe('<td class="num">—</td>')


@register.filter
def figure_cell(cell):
    """The <td> of one figure (a Stat, or None for no figure): its text, "< 5" for a small count
    withheld, a dash said "withheld" to screen readers for any other withheld figure."""
    if cell is None:
        return NO_FIGURE
    if cell.suppressed and not cell.shown_as_small:
        return format_html(
            '<td class="num suppressed"><span aria-hidden="true">—</span><span class="visually-hidden">{}</span></td>',
            gettext("withheld"),
        )
    return format_html('<td class="num{}">{}</td>', " suppressed" if cell.suppressed else "", cell.text)


@register.simple_tag
def chart_label(x, y, label):
    """The <text> of a bar's label at (x, y), on two lines when stats.charts cut it, with the full
    text as its title when shortened."""
    title = format_html("<title>{}</title>", label["full"]) if label["shortened"] else ""
    lines = label["lines"]
    if len(lines) > 1:
        text = format_html_join(
            "",
            '<tspan x="{}" dy="{}">{}</tspan>',
            ((x, "1.15em" if index else "-0.5em", line) for index, line in enumerate(lines)),
        )
    else:
        text = lines[0] if lines else ""
    return format_html('<text class="chart-label" x="{}" y="{}" text-anchor="end">{}{}</text>', x, y, title, text)
