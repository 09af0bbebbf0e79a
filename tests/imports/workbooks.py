"""Workbooks built with openpyxl as councils lay them out, for the import tests."""

import io
from pathlib import Path

from openpyxl import Workbook


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    """{sheet title: rows}; each row a list of cell values (None for an empty cell)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class Upload(io.BytesIO):
    """An uploaded file as the importer reads it: bytes with a size."""

    def __init__(self, content: bytes):
        super().__init__(content)
        self.size = len(content)


def upload(sheets: dict[str, list[list]]) -> Upload:
    return Upload(workbook_bytes(sheets))


def write(path: Path, sheets: dict[str, list[list]]) -> Path:
    path.write_bytes(workbook_bytes(sheets))
    return path
