"""Reading a download as its reader would: below its heading (the plan, the filters applied
and when it was made, then a blank row) comes the table."""

import csv
import io

# Title, filters, when made, and a blank row.
HEADING_ROWS = 4
# The table's header row in a workbook; its rows follow.
XLSX_HEADER_ROW = HEADING_ROWS + 1


def csv_heading_and_table(content: bytes) -> tuple[list[list[str]], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    return rows[:HEADING_ROWS], rows[HEADING_ROWS:]


def csv_table(content: bytes) -> list[list[str]]:
    """The header row and the rows of a CSV download."""
    return csv_heading_and_table(content)[1]


def csv_records(content: bytes) -> list[dict[str, str]]:
    header, *rows = csv_table(content)
    return [dict(zip(header, row, strict=True)) for row in rows]
