"""The quarterly DfE / NHS England monitoring pack as a workbook, formatted as a document
sent to a government department: bold frozen headers, filters, widths that fit, wrapped
text, dates as dates shown dd/mm/yyyy, RAG cells coloured and worded, landscape A4 fitting
the width with the header repeated on every printed page. Written in openpyxl's
write-only mode, so 6,000 actions are written row by row without a cell model per cell."""

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from django.utils import timezone
from lxml.etree import Element, SubElement
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from actions.models import RAG_MEANINGS, Rag
from send_wsoa.exports import starts_like_a_formula

from .selectors import RAG_ORDER, PackContent

SHEETS = ["Cover", "Summary", "Actions", "Exceptions", "Measures", "Inspector feedback",
          "Evidence index"]
DATE_FORMAT = "dd/mm/yyyy"
DATE_TIME_FORMAT = "dd/mm/yyyy hh:mm"
NOT_REPORTED = "Not reported"
# A review point the measure has no milestone target for.
NOT_SET = "Not set"
# The plan's colours, with text that keeps a contrast of at least 4.5:1 on each.
RAG_FILLS = {Rag.BLUE: ("1D70B8", "FFFFFF"), Rag.GREEN: ("00703C", "FFFFFF"),
             Rag.AMBER: ("FFDD00", "0B0C0C"), Rag.RED: ("D4351C", "FFFFFF")}


@dataclass(frozen=True)
class Column:
    heading: str
    width: int
    kind: str = "text"  # text, wrap, date, number, percent, rag


ACTION_COLUMNS = [
    Column("Ref", 8), Column("Workstream", 11), Column("Action", 50, "wrap"),
    Column("Owner", 24, "wrap"), Column("Contributors", 30, "wrap"),
    Column("Start", 12, "date"), Column("Original due", 13, "date"),
    Column("Current due", 13, "date"), Column("Due date move", 26, "wrap"),
    Column("RAG at close", 14, "rag"), Column("RAG at previous close", 14, "rag"),
    Column("This period's progress update", 60, "wrap"),
    Column("Milestones done", 11, "number"), Column("Milestones", 11, "number"),
    Column("Evidence", 10, "number"), Column("Linked measures", 40, "wrap"),
]
EXCEPTION_COLUMNS = [
    Column("Ref", 8), Column("Workstream", 11), Column("Action", 50, "wrap"),
    Column("Owner", 24, "wrap"), Column("RAG at close", 14, "rag"),
    # Short enough never to need wrapping: no style of its own, the cheapest cell.
    Column("Why it is listed", 44), Column("Original due", 13, "date"),
    Column("Current due", 13, "date"), Column("Due date move", 26, "wrap"),
    Column("Latest narrative", 70, "wrap"),
]
FEEDBACK_COLUMNS = [
    Column("Letter", 12, "date"), Column("Point", 60, "wrap"), Column("Actions", 16, "wrap"),
    Column("Area's response", 60, "wrap"), Column("Those actions' RAG at close", 30, "wrap"),
]
EVIDENCE_COLUMNS = [
    Column("Title", 50, "wrap"), Column("Type", 24), Column("Action", 10),
    Column("Date added", 13, "date"),
]


class _PackWorksheet(WriteOnlyWorksheet):
    """openpyxl's streaming worksheet, given each row as (value, style id) pairs the pack has
    already typed, and writing the row as one element. openpyxl's own path binds, checks and
    serialises every cell through a cell object, about 10 microseconds a cell: most of the
    time of the 6,000-action pack's 130,000 cells."""

    def _write_rows(self):
        # openpyxl 3.1's row stream (WriteOnlyWorksheet._write_rows), with the row written
        # by _row_element instead of cell by cell.
        xf = self._writer.xf.send(True)
        with xf.element("sheetData"):
            number = 1
            try:
                while True:
                    xf.write(_row_element((yield), number))
                    number += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_LETTERS = [get_column_letter(number) for number in range(1, 100)]


def _row_element(cells: Sequence, number: int) -> Element:
    """A <row> of the sheet: each cell a (value, style id) pair or None for an empty cell;
    the value text, a number, a date or a date and time, as _Sheet.cell types it."""
    row_number = str(number)
    row = Element("row", r=row_number)
    for letter, cell in zip(_LETTERS, cells, strict=False):
        if cell is None:
            continue
        value, style = cell
        attributes = {"r": letter + row_number}
        if style is not None:
            attributes["s"] = style
        if isinstance(value, str):
            attributes["t"] = "inlineStr"
            text = SubElement(SubElement(SubElement(row, "c", attributes), "is"), "t")
            if value != value.strip():
                text.set(_XML_SPACE, "preserve")
            text.text = value
            continue
        if isinstance(value, bool):
            attributes["t"] = "b"
            value = int(value)
        else:
            attributes["t"] = "n"
            if isinstance(value, dt.date):
                value = to_excel(value)
        SubElement(SubElement(row, "c", attributes), "v").text = f"{value:.16g}"
    return row


class _Styles:
    """Named styles, registered once per workbook, and the index of each in the workbook's
    cell formats (and of each one quote-prefixed, for text that starts like a formula): a
    cell then carries only that index."""

    def __init__(self, workbook: Workbook):
        wrap = Alignment(wrap_text=True)
        styles = {
            "header": NamedStyle("Pack header", font=Font(bold=True), alignment=wrap),
            "title": NamedStyle("Pack title", font=Font(bold=True, size=14)),
            "wrap": NamedStyle("Pack wrapped", alignment=wrap),
            "date": NamedStyle("Pack date", number_format=DATE_FORMAT),
            "datetime": NamedStyle("Pack date and time", number_format=DATE_TIME_FORMAT),
            "percent": NamedStyle("Pack percent", number_format="0%"),
        }
        for rag, (fill, text) in RAG_FILLS.items():
            styles[rag] = NamedStyle(
                f"Pack RAG {rag.label}", font=Font(bold=True, color=text),
                fill=PatternFill("solid", start_color=fill, end_color=fill))
        self.ids: dict[str | None, str | None] = {None: None}
        self.quoted: dict[str | None, str] = {}
        sheet = workbook.create_sheet("styles")
        for key, style in [(None, None), *styles.items()]:
            if style is not None:
                workbook.add_named_style(style)
                template = WriteOnlyCell(sheet)
                template.style = style.name
                self.ids[key] = str(template.style_id)
            template = WriteOnlyCell(sheet)
            if style is not None:
                template.style = style.name
            template.quotePrefix = True
            self.quoted[key] = str(template.style_id)
        workbook.remove(sheet)


class _Sheet:
    def __init__(self, workbook: Workbook, styles: _Styles, title: str,
                 columns: Sequence[Column], rows: int, filtered: bool = True):
        self.sheet = _PackWorksheet(parent=workbook, title=title)
        workbook._add_sheet(self.sheet)
        self.styles = styles
        self.columns = columns
        # Each column's style, found once rather than for each of its cells.
        self.column_styles = [PLAIN.get(column.kind, column.kind) for column in columns]
        for number, column in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(number)].width = column.width
        last = get_column_letter(len(columns))
        self.sheet.freeze_panes = "A2"
        if filtered:
            self.sheet.auto_filter.ref = f"A1:{last}{rows + 1}"
        _print_setup(self.sheet)
        self.sheet.print_title_rows = "1:1"
        self.sheet.append([self.cell(column.heading, "header") for column in columns])

    def cell(self, value, style: str | None) -> tuple[object, str | None]:
        """`value` as the cell a reader expects, with its style's index: dates and times as
        dates shown dd/mm/yyyy, text kept as text (quote-prefixed when it starts like a
        formula, so it is shown exactly as typed and never run: the downloads' one rule,
        send_wsoa.exports)."""
        if isinstance(value, str):
            value = _XML_ILLEGAL.sub("", value)[:MAX_TEXT]
            if starts_like_a_formula(value):
                return value, self.styles.quoted[style]
        elif isinstance(value, dt.datetime):
            value = timezone.localtime(value).replace(tzinfo=None)
            style = "datetime"
        elif isinstance(value, dt.date) and style != "header":
            style = "date"
        return value, self.styles.ids[style]

    def append(self, values: Sequence) -> None:
        row = []
        for column, style, value in zip(self.columns, self.column_styles, values, strict=True):
            if value is None or value == "":
                row.append(None)
            elif column.kind == "rag":
                row.append(self.cell(rag_word(value), value))
            else:
                row.append(self.cell(value, style))
        self.sheet.append(row)


# Column kinds whose cells need no style of their own.
PLAIN = {"text": None, "number": None}
# Characters XML 1.0 cannot hold at all (a spreadsheet could not open a file with them),
# left out as the downloads leave them out; and the most text a cell holds.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_TEXT = 32767


def rag_word(rag: str) -> str:
    return Rag(rag).label if rag else NOT_REPORTED


def _print_setup(sheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _move(line) -> str:
    if not line.moved:
        return ""
    if line.agreed_at:
        return f"Agreed with DfE/NHSE at {line.agreed_at}"
    return "Moved, not agreed with DfE/NHSE"


# The Cover's rows that say when, by whom and against which audit trail the pack was made:
# the rest of a closed period's pack is the same whenever it is made.
GENERATION_ROWS = ("Generated", "Generated by", "Audit trail when generated")


def _cover(workbook: Workbook, styles: _Styles, content: PackContent, generated_at: dt.datetime,
           generated_by: str, attestation: list[str]) -> None:
    sheet = _Sheet(workbook, styles, "Cover", [Column("Item", 45, "wrap"),
                                               Column("Detail", 90, "wrap")],
                   rows=0, filtered=False)
    period = content.period
    figures = (f"As at the close of the period, {timezone.localtime(content.at):%d/%m/%Y %H:%M}"
               if content.is_final else
               "The period is open: figures as at when the pack was generated, and may change")
    rows: list[tuple[str, object]] = [
        *content.cover,
        ("Plan", content.plan.title),
        ("Kind of plan", content.plan.get_kind_display()),
        ("Reporting period", period.name),
        ("Figures", figures),
        (GENERATION_ROWS[0], generated_at),
        (GENERATION_ROWS[1], generated_by),
        *([(GENERATION_ROWS[2], "\n".join(attestation))] if attestation else []),
        ("RAG key", "The plan's own words"),
    ]
    for label, value in rows:
        sheet.append([label, value])
    for rag in RAG_ORDER:
        sheet.sheet.append([sheet.cell(f"{rag.label}", rag),
                            sheet.cell(RAG_MEANINGS[rag].capitalize(), "wrap")])


def _summary(workbook: Workbook, styles: _Styles, content: PackContent) -> None:
    previous = content.previous.financial_quarter if content.previous else "previous period"
    columns = [Column("Workstream", 40, "wrap")]
    columns += [Column(f"{rag.label} at close", 11, "number") for rag in RAG_ORDER]
    columns += [Column(f"{NOT_REPORTED} at close", 12, "number")]
    columns += [Column(f"{rag.label} at {previous} close", 13, "number") for rag in RAG_ORDER]
    columns += [Column("Actions", 10, "number"), Column("% complete", 11, "percent")]
    measure_counts = content.measure_counts
    sheet = _Sheet(workbook, styles, "Summary", columns,
                   rows=len(content.workstreams) + 3 + len(measure_counts))
    totals = [0] * (len(columns) - 2)
    for counts in content.workstreams:
        figures = ([counts.now.get(rag, 0) for rag in RAG_ORDER] + [counts.now.get("", 0)]
                   + [counts.before.get(rag, 0) for rag in RAG_ORDER] + [counts.total])
        totals = [a + b for a, b in zip(totals, figures, strict=False)]
        sheet.append([f"{counts.code}: {counts.name}", *figures[:-1], counts.total,
                      counts.percent_complete])
    total = totals[-1]
    sheet.append(["All workstreams", *totals[:-1], total,
                  totals[0] / total if total else 0])
    sheet.sheet.append([])
    sheet.sheet.append([sheet.cell("Measures by status at close", "header"),
                        sheet.cell("Measures", "header")])
    for status, count in measure_counts.items():
        sheet.sheet.append([sheet.cell(status.capitalize(), None), sheet.cell(count, None)])


def _actions(workbook: Workbook, styles: _Styles, content: PackContent) -> None:
    sheet = _Sheet(workbook, styles, "Actions", ACTION_COLUMNS, rows=len(content.actions))
    for line in content.actions:
        sheet.append([line.ref, line.workstream, line.title, line.owner, line.contributors,
                      line.start, line.original_due, line.current_due, _move(line), line.rag,
                      line.previous_rag, line.update_this_period, line.milestones_done,
                      line.milestones_total, line.evidence_count, line.measures])


def exception_reasons(line, content: PackContent) -> list[str]:
    reasons = []
    if line.rag in (Rag.RED, Rag.AMBER):
        reasons.append(rag_word(line.rag))
    if line.overdue:
        reasons.append(f"Overdue at {content.period.end:%d/%m/%Y}")
    if line.moved:
        reasons.append("Due date moved")
    return reasons


def _exceptions(workbook: Workbook, styles: _Styles, content: PackContent) -> None:
    listed = [(line, reasons) for line in content.actions
              if (reasons := exception_reasons(line, content))]
    sheet = _Sheet(workbook, styles, "Exceptions", EXCEPTION_COLUMNS, rows=len(listed))
    for line, reasons in listed:
        sheet.append([line.ref, line.workstream, line.title, line.owner, line.rag,
                      "; ".join(reasons), line.original_due, line.current_due, _move(line),
                      line.latest_narrative])


def _measures(workbook: Workbook, styles: _Styles, content: PackContent) -> None:
    columns = [Column("Measure", 45, "wrap"), Column("Workstream", 11),
               Column("Data source", 25, "wrap"), Column("Baseline", 11, "number"),
               Column("Unit", 10), Column("Baseline period", 16, "wrap"),
               Column("Baseline note", 35, "wrap"), Column("National comparator", 30, "wrap"),
               Column("Target", 10, "number"), Column("Target date", 13, "date")]
    for point in content.review_points:
        columns += [Column(f"{point.financial_quarter} milestone target", 13, "wrap"),
                    Column(f"{point.financial_quarter} actual", 12, "number")]
    columns.append(Column("Status at close", 18, "wrap"))
    sheet = _Sheet(workbook, styles, "Measures", columns, rows=len(content.measures))
    for line in content.measures:
        points = []
        for target, actual in zip(line.milestone_targets, line.actuals, strict=True):
            points += [NOT_SET if target is None else target, actual]
        sheet.append([line.title, line.workstream, line.data_source, line.baseline, line.unit,
                      line.baseline_period, line.baseline_note, line.national_comparator,
                      line.target, line.target_date, *points, line.status.capitalize()])


def _feedback(workbook: Workbook, styles: _Styles, content: PackContent) -> None:
    sheet = _Sheet(workbook, styles, "Inspector feedback", FEEDBACK_COLUMNS,
                   rows=len(content.feedback))
    for line in content.feedback:
        sheet.append([line.letter_date, line.text, line.refs, line.response, line.rags])


def _evidence(workbook: Workbook, styles: _Styles, content: PackContent) -> None:
    sheet = _Sheet(workbook, styles, "Evidence index", EVIDENCE_COLUMNS,
                   rows=len(content.evidence))
    for line in content.evidence:
        sheet.append([line.title, line.kind, line.ref, line.added])


def pack_bytes(content: PackContent, *, generated_at: dt.datetime,
               generated_by: str, attestation: list[str] = ()) -> bytes:
    workbook = Workbook(write_only=True)
    workbook.properties.title = (f"{content.plan.local_area.name} SEND monitoring pack, "
                                 f"{content.period.financial_quarter}")
    workbook.properties.creator = content.plan.local_area.name
    workbook.properties.lastModifiedBy = content.plan.local_area.name
    # Fixed, so a pack made twice from the same figures differs only where it says when.
    workbook.properties.created = workbook.properties.modified = timezone.localtime(
        generated_at).replace(tzinfo=None, microsecond=0)
    styles = _Styles(workbook)
    _cover(workbook, styles, content, generated_at, generated_by, attestation)
    _summary(workbook, styles, content)
    _actions(workbook, styles, content)
    _exceptions(workbook, styles, content)
    _measures(workbook, styles, content)
    _feedback(workbook, styles, content)
    _evidence(workbook, styles, content)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(content: PackContent) -> str:
    return f"{content.plan.slug}-monitoring-pack-{content.period.slug}.xlsx"
