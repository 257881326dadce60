"""Tables as files: CSV (RFC 4180, UTF-8 with a byte-order mark so that Excel reads the accents, in the
dialect of the reader's spreadsheet: ";" and a decimal comma in French, "," and a point in English)
and XLSX (XlsxWriter), with the same suppressed cells as the screen: "< 5" for a small count, an
empty cell for a figure computed from one. Labels are untrusted text (record titles are harvested):
they are written through cite.spreadsheets, never as formulas.
"""

import io
import re

import xlsxwriter
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cite.spreadsheets import TEXT_FORMAT, csv_writer, is_number, write_xlsx_cell
from stats.tables import CHANGE, COUNT, MINUTES, NUMBER, RATE, SHARE, threshold


def suppression_note():
    return _(
        "Counts of fewer than %(threshold)s visitors show as “< %(threshold)s”; other figures that would let one "
        "be worked out, and figures computed from them, are left empty, so that no figure can single out a visitor."
    ) % {"threshold": threshold()}


def _header(table):
    return [_("Code"), str(table.label_header or _("Line")), *[str(c.label) for c in table.value_columns]]


def _lines(table):
    for row, cells in table.grid:
        yield [row.code or "", str(row.label), *[_value(cell) for cell in cells]]
    if table.total:
        yield ["", str(table.total.label), *[_value(cell) for cell in table.total_cells]]


def _value(cell):
    return "" if cell is None else cell.export_value


# The CSV a spreadsheet of each language opens in columns: French Excel and LibreOffice split on ";"
# and read "45,5" as a number (the comma is their decimal separator); English ones split on ",".
DIALECTS = {"fr": {"delimiter": ";", "decimal": ","}, "en": {"delimiter": ",", "decimal": "."}}


def dialect_for(language):
    """The CSV dialect of an interface language: French for French, English otherwise."""
    return "fr" if (language or "").startswith("fr") else "en"


def to_csv(table, *, dialect="en"):
    """One table as CSV text in `dialect` (DIALECTS; the caller adds the byte-order mark)."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\r\n", **DIALECTS[dialect])
    writer.writerow(_header(table))
    writer.writerows(_lines(table))
    return buffer.getvalue()


def filename(period, name, extension, *, scope=()):
    """centre-table-[filters-]start-end.ext: the filters are in the name so two files never look alike."""
    centre = slugify(settings.CENTRE_NAME) or "cite"
    narrowed = "".join(f"-{slugify(label)}" for label in scope)
    return f"{centre}-{slugify(name)}{narrowed}-{period.start}-{period.end}.{extension}"


def to_xlsx(tables, period, *, scope=()):
    """Tables as a workbook, one sheet each, with the period and the suppression rule on top."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    styles = {
        "title": book.add_format({"bold": True, "font_size": 13, **TEXT_FORMAT}),
        "note": book.add_format({"italic": True, "font_color": "#4a5565", **TEXT_FORMAT}),
        "header": book.add_format({"bold": True, "bg_color": "#e5eef5", "border": 1, "text_wrap": True, **TEXT_FORMAT}),
        "label": book.add_format({"border": 1, **TEXT_FORMAT}),
        "total": book.add_format({"bold": True, "border": 1, **TEXT_FORMAT}),
        COUNT: book.add_format({"num_format": "#,##0", "border": 1}),
        NUMBER: book.add_format({"num_format": "#,##0", "border": 1}),
        MINUTES: book.add_format({"num_format": '0" min"', "border": 1}),
        SHARE: book.add_format({"num_format": '0.0" %"', "border": 1}),
        RATE: book.add_format({"num_format": '0.0" %"', "border": 1}),
        CHANGE: book.add_format({"num_format": '+0" %";-0" %";0" %"', "border": 1}),
        "text": book.add_format({"border": 1, "align": "right", **TEXT_FORMAT}),
    }
    used = set()
    for table in tables:
        sheet = book.add_worksheet(_sheet_name(table.title, used))
        write_xlsx_cell(sheet, 0, 0, str(table.title), styles["title"])
        heading = " — ".join([settings.CENTRE_NAME, str(period.label), *scope])
        write_xlsx_cell(sheet, 1, 0, heading, styles["note"])
        write_xlsx_cell(sheet, 2, 0, suppression_note(), styles["note"])
        header = _header(table)
        for column, text in enumerate(header):
            write_xlsx_cell(sheet, 4, column, text, styles["header"])
        line = 5
        rows = [(row, cells, False) for row, cells in table.grid]
        if table.total:
            rows.append((table.total, table.total_cells, True))
        for row, cells, is_total in rows:
            write_xlsx_cell(sheet, line, 0, row.code or "", styles["label"])
            write_xlsx_cell(sheet, line, 1, str(row.label), styles["total" if is_total else "label"])
            for column, cell in enumerate(cells, start=2):
                value = _value(cell)
                style = styles[cell.kind] if is_number(value) else styles["text"]
                write_xlsx_cell(sheet, line, column, value, style)
            line += 1
        sheet.set_column(0, 0, 16)
        sheet.set_column(1, 1, 34)
        sheet.set_column(2, len(header) - 1, 14)
        sheet.freeze_panes(5, 2)
    book.set_properties(
        {"title": str(_("Statistics")), "comments": date_format(timezone.localtime(), "DATETIME_FORMAT")}
    )
    book.close()
    return buffer.getvalue()


def _sheet_name(title, used):
    """Excel's sheet names: 31 characters at most, none of []:*?/\\, unique in the workbook."""
    name = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip()[:31] or "Sheet"
    candidate, n = name, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate = name[: 31 - len(suffix)] + suffix
        n += 1
    used.add(candidate.lower())
    return candidate
