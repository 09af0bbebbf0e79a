"""Opening an uploaded workbook safely, for every import (measure readings, a plan's
workbook): it is sized up before it is parsed, so a small file that unpacks to gigabytes
(a zip bomb) or to millions of rows cannot hold a server, and anything that is not an
.xlsx workbook is refused with one clear line."""

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

# Rows after this many blank ones in a row are past the table's end and are not read.
BLANK_ROWS_AT_END = 100
MB = 1024 * 1024

Cell = tuple[object, str]  # (value, number format)


@dataclass(frozen=True)
class WorkbookLimits:
    """What one kind of workbook may hold, and how its refusals are worded."""

    what: str  # "a readings file": "... more than a readings file can need"
    not_a_workbook: str
    advice: str  # what to do instead, after a colon
    max_unpacked_bytes: int
    max_rows: int
    max_columns: int
    max_bytes: int | None = None


def check_workbook_size(file, limits: WorkbookLimits) -> None:
    """Refuses, before parsing, a file that is not a zip of a workbook, or that is bigger
    or unpacks to more than `limits` allow. Declared sizes can be trusted: Python's zip
    reader stops at them and fails the checksum of a part that says less than it holds."""
    size = getattr(file, "size", None)
    if limits.max_bytes and size is not None and size > limits.max_bytes:
        raise ValidationError([f"The file is {size / MB:.1f} MB: {limits.what} must be "
                               f"{limits.max_bytes // MB} MB or smaller"])
    if size == 0:
        raise ValidationError([f"The file is empty: {limits.not_a_workbook[0].lower()}"
                               f"{limits.not_a_workbook[1:]}"])
    try:
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
            unpacked = sum(part.file_size for part in parts)
            is_workbook = any(part.filename == "xl/workbook.xml" for part in parts)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError([limits.not_a_workbook]) from None
    finally:
        file.seek(0)
    if not is_workbook:
        raise ValidationError([limits.not_a_workbook])
    if unpacked > limits.max_unpacked_bytes:
        raise ValidationError([
            f"The workbook unpacks to {unpacked // MB} MB, more than {limits.what} can need "
            f"({limits.max_unpacked_bytes // MB} MB): {limits.advice}"])


def open_workbook(file, limits: WorkbookLimits, *, formulas_as_text: bool = True) -> Workbook:
    """The workbook in read-only mode, after `check_workbook_size`. Formulas are read as
    the text typed (=SUM(A1:A3)), never evaluated; or, with `formulas_as_text` off, as
    the result the spreadsheet saved with them."""
    check_workbook_size(file, limits)
    try:
        return load_workbook(file, read_only=True, data_only=not formulas_as_text)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError([limits.not_a_workbook]) from None


def sheet_rows(sheet, limits: WorkbookLimits) -> Iterator[list[Cell]]:
    """Each row of the sheet as (value, number format) pairs, up to the table's end:
    reading stops after a long run of blank rows. The sheet's stated size is checked
    first, without reading its rows."""
    if (sheet.max_row or 0) > limits.max_rows or (sheet.max_column or 0) > limits.max_columns:
        raise ValidationError([
            f"The sheet has {sheet.max_row:,} rows and {sheet.max_column:,} columns; "
            f"{limits.what} has at most {limits.max_rows:,} rows and "
            f"{limits.max_columns} columns"])
    count, blank_run = 0, 0
    for row in sheet.iter_rows(max_col=limits.max_columns):
        cells = [(cell.value, getattr(cell, "number_format", None) or "") for cell in row]
        blank_run = blank_run + 1 if all(value is None for value, _ in cells) else 0
        if blank_run > BLANK_ROWS_AT_END:
            return
        count += 1
        if count > limits.max_rows:
            raise ValidationError([f"{limits.what[0].upper()}{limits.what[1:]} has at most "
                                   f"{limits.max_rows:,} rows"])
        yield cells
