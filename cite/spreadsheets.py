"""Untrusted text in spreadsheets: every CSV and XLSX file cite writes goes through these helpers.

Spreadsheets run a cell that starts like a formula, and exported text comes from people and from
other centres (record titles are harvested). OWASP's CSV-injection rule: a text cell starting with
=, +, -, @, a tab or a carriage return is written behind a quote, so it reads as text. Numbers are
written as numbers, so a negative figure stays a figure.
"""

import csv
from decimal import Decimal

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_number(value):
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def text_cell(value):
    """Text as a spreadsheet must read it: behind a quote when it starts like a formula."""
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_cell(value):
    return value if is_number(value) else text_cell(value)


def untext_cell(value):
    """The text a spreadsheet cell written by text_cell() held (for files coming back in)."""
    value = (value or "").strip()
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


class CsvWriter:
    """csv.writer whose rows go through csv_cell(): numbers as they are, text neutralised. `decimal`
    is the decimal separator of the reader's spreadsheet ("," in French): numbers are written with it,
    after the text check, so a negative number is never taken for a formula to neutralise."""

    def __init__(self, file, *, decimal=".", **options):
        self._writer = csv.writer(file, **options)
        self._decimal = decimal

    def _cell(self, value):
        if is_number(value) and self._decimal != ".":
            return str(value).replace(".", self._decimal)
        return csv_cell(value)

    def writerow(self, row):
        return self._writer.writerow([self._cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(file, **options):
    return CsvWriter(file, **options)


# XLSX: a quote-prefixed string cell shows its text as it is and stays text when someone edits it.
TEXT_FORMAT = {"quote_prefix": True}


def write_xlsx_cell(sheet, row, column, value, style=None):
    """A number as a number cell, anything else as a string cell: never a formula, whatever it says."""
    if is_number(value):
        return sheet.write_number(row, column, value, style)
    if value is None or value == "":
        return sheet.write_blank(row, column, None, style)
    return sheet.write_string(row, column, str(value), style)
