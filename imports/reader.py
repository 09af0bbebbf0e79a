"""Reading a council's own action plan workbook: the header row is found (title rows, blank
rows and a key sheet may come first), columns are recognised by the names councils give
them, and every cell is read into the plan's terms or reported as a problem naming its
sheet, row (as Excel numbers it), column and the value found. Nothing here writes."""

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from actions.models import Rag
from monitoring.workbook import SHEETS as MONITORING_PACK_SHEETS

from .workbooks import WorkbookLimits, open_workbook, sheet_rows

PLAN_WORKBOOK = WorkbookLimits(
    what="a plan workbook",
    not_a_workbook="The file must be an Excel workbook (.xlsx); save it from Excel as "
                   "“Excel Workbook”, without a password",
    advice="save the plan's sheets alone as a new workbook",
    max_bytes=10 * 1024 * 1024, max_unpacked_bytes=100 * 1024 * 1024, max_rows=20_000,
    max_columns=100)

# Each column the importer reads, with the names councils give it, compared without case,
# spaces or punctuation. The first name is the one the report uses.
COLUMNS: dict[str, tuple[str, ...]] = {
    "ref": ("Ref", "Reference", "Action no.", "Action number", "Action ref", "No."),
    "title": ("Action", "Activity", "Action description", "Title"),
    "description": ("Description", "Detail", "Details"),
    "workstream": ("Workstream", "Work stream", "Priority", "Theme"),
    "weakness": ("Weakness", "Significant weakness", "Area of weakness",
                 "Area for priority action", "Area for improvement"),
    "owner": ("Owner", "Accountable", "Senior responsible officer", "SRO",
              "Accountable owner"),
    "action_lead": ("Action lead", "Responsible officer", "Lead", "Lead officer"),
    "action_lead_role": ("Action lead role", "Lead role", "Responsible officer role"),
    "lead_agency": ("Lead agency", "Lead organisation"),
    "sponsoring_director": ("Sponsoring director", "Sponsor", "Director"),
    "sponsoring_director_role": ("Sponsoring director role", "Sponsor role"),
    "delivery_team": ("Delivery team", "Team"),
    "contributors": ("Contributors", "Partners", "Contributing partners"),
    "start_date": ("Start", "Start date"),
    "due_date": ("Due", "Due date", "Deadline", "Target date", "Completion date",
                 "Current due date", "Timescale", "Current due"),
    "rag": ("RAG", "Status", "RAG rating", "RAG status", "RAG at close"),
    "progress": ("Update", "Progress", "Progress update", "Commentary", "Narrative",
                 "Progress narrative", "Latest progress narrative",
                 "This period's progress update"),
    "update_date": ("Update date", "Date of update", "Progress date"),
    "completed_date": ("Completed date", "Date completed"),
    "success_criteria": ("Success criteria", "KPI", "KPIs", "Measure", "Measures",
                         "Measure of success"),
}
# Columns the actions download and the monitoring pack's Actions sheet write that describe
# the plan rather than change it: read and named in the report as not imported, so a
# download or a pack can come back as it left.
INFORMATION_ONLY = {
    "originalduedate": "Original due date", "lastupdate": "Last update",
    "originaldue": "Original due", "duedatemove": "Due date move",
    "ragatpreviousclose": "RAG at previous close", "milestonesdone": "Milestones done",
    "milestones": "Milestones", "evidence": "Evidence", "linkedmeasures": "Linked measures",
}
# The monitoring pack's Actions sheet holds its actions; its other sheets summarise them
# (its exceptions repeat some of them), so only that one is read.
PACK_ACTIONS_SHEET = "Actions"
MILESTONE_COLUMNS: dict[str, tuple[str, ...]] = {
    "ref": COLUMNS["ref"],
    "milestone": ("Milestone", "Milestones", "Key milestone"),
    "due_date": ("Due", "Due date", "Deadline", "Target date"),
    "done_date": ("Done", "Done date", "Date done", "Achieved", "Completed date",
                  "Date completed"),
}
REQUIRED = {"ref"}
HEADER_SEARCH_ROWS = 30

RAG_SPELLINGS = {
    "b": Rag.BLUE, "blue": Rag.BLUE, "complete": Rag.BLUE, "completed": Rag.BLUE,
    "g": Rag.GREEN, "green": Rag.GREEN, "ontrack": Rag.GREEN,
    "a": Rag.AMBER, "amber": Rag.AMBER,
    "r": Rag.RED, "red": Rag.RED, "notstarted": Rag.RED,
    # The actions download's word for an action with no progress update yet.
    "notreported": "",
}
RAG_WORDS = "Blue, Green, Amber or Red (or B, G, A, R, Complete, On track, Not started)"

# Dates are bounded: a plan's dates fall in these years, and anything else is a typing slip.
FIRST_YEAR, LAST_YEAR = 2000, 2100
_DAY_FIRST = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%d-%b-%Y", "%d-%b-%y",
              "%d %b %Y", "%d %B %Y", "%d %b %y", "%d %B %y", "%Y-%m-%d")
_MONTH_ONLY = ("%b %Y", "%B %Y", "%b %y", "%B %y", "%b-%y", "%b-%Y")
DATE_WORDS = "a date such as 30/09/2020, 30-Sep-2020 or September 2020"

REF_LETTERS = re.compile(r"^([A-Z]{1,6})\s*-?\s*(\d{1,4})$")
REF_NUMBERED = re.compile(r"^(?:ACTION\s*)?(\d{1,3})\.(\d{1,3})$")
HEADING = re.compile(
    r"^(?:significant\s+)?(?:area\s+(?:of|for)\s+(?:weakness|priority\s+action|improvement)"
    r"|weakness)\s*(\d{1,2})\s*[:.\-–]?\s*(.*)$", re.I | re.S)
WORKSTREAM_TEXT = re.compile(r"^([A-Za-z]{1,6})\s*[:\-–]\s*(.+)$", re.S)


def squash(text: str) -> str:
    """A column name as compared: 'Action no.' -> 'actionno'."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _lookup(columns: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {squash(name): key for key, names in columns.items() for name in names}


ACTION_LOOKUP = _lookup(COLUMNS)
MILESTONE_LOOKUP = _lookup(MILESTONE_COLUMNS)


@dataclass
class Problem:
    sheet: str
    row: int | None
    column: str
    value: object
    message: str

    def __str__(self) -> str:
        where = f"Sheet “{self.sheet}”"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        shown = "" if self.value in (None, "") else f" (found “{_shown(self.value)}”)"
        return f"{where}: {self.message}{shown}"


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass
class Person:
    name: str = ""
    role: str = ""


@dataclass
class ActionRow:
    sheet: str
    row: int
    ref: str
    ref_number: int
    workstream_code: str
    workstream_name: str = ""
    weakness_number: int | None = None
    weakness_summary: str = ""
    values: dict = field(default_factory=dict)
    # Where each value came from, for problems found later: key -> (column heading, value).
    cells: dict = field(default_factory=dict)

    def has(self, key: str) -> bool:
        return key in self.values


@dataclass
class MilestoneRow:
    sheet: str
    row: int
    ref: str
    title: str
    due_date: dt.date | None
    done_date: dt.date | None
    cells: dict = field(default_factory=dict)


@dataclass
class ReadWorkbook:
    file_name: str
    actions: list[ActionRow] = field(default_factory=list)
    milestones: list[MilestoneRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Sheet -> headings read but not imported (not recognised, or information only).
    unrecognised: dict[str, list[str]] = field(default_factory=dict)
    information_only: dict[str, list[str]] = field(default_factory=dict)
    skipped_sheets: list[str] = field(default_factory=list)
    # Sheets of our own monitoring pack other than its Actions sheet.
    pack_sheets: list[str] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)

    @property
    def problem_lines(self) -> list[str]:
        return [str(problem) for problem in self.problems]


def text_of(value: object) -> str:
    """A cell as text, kept whole: line breaks and every character stay; only the ends
    are trimmed. A formula is its own text. A whole number typed as 12 is '12'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(" ")
    return str(value).strip()


def read_rag(value: object) -> str:
    """'G', 'on track', 'Completed' -> the plan's colour; '' for an empty cell. Raises
    ValueError for anything else, such as 'Amber/Green'."""
    text = squash(text_of(value))
    if not text:
        return ""
    if text not in RAG_SPELLINGS:
        raise ValueError(f"RAG must be {RAG_WORDS}")
    return RAG_SPELLINGS[text]


def read_date(value: object, *, month_end: bool = False) -> dt.date | None:
    """A real Excel date, or text read day first as the UK writes it: 30/09/2020,
    30-Sep-2020, Sept 2020, May 25 (a month alone is its first day, or its last when
    `month_end`, as a deadline is). Raises ValueError naming what a date looks like."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        day = _date_from_text(" ".join(value.split()), month_end=month_end)
    else:
        raise ValueError(f"must be {DATE_WORDS}")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"must be a date between {FIRST_YEAR} and {LAST_YEAR}")
    return day


def _date_from_text(text: str, *, month_end: bool) -> dt.date:
    # "Sept" is how many write September; strptime knows only "Sep".
    text = re.sub(r"(?i)\bsept\b", "Sep", text)
    for pattern in _DAY_FIRST:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            pass
    for pattern in _MONTH_ONLY:
        try:
            first = dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if month_end:
            return first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return first
    raise ValueError(f"must be {DATE_WORDS}")


def read_person(text: str) -> Person:
    """'Sam Patel, Director of Education', 'Sam Patel (Director of Education)' or
    'Sam Patel - Director of Education' -> name and role; otherwise all of it is the name."""
    text = " ".join(text.split())
    match = re.match(r"^(.+?)\s*\((.+)\)$", text)
    if match:
        return Person(match.group(1), match.group(2))
    for separator in (", ", " - ", " – "):
        if separator in text:
            name, role = text.split(separator, 1)
            return Person(name.strip(), role.strip())
    return Person(text, "")


def read_names(text: str) -> list[str]:
    """Organisations listed in one cell, separated by semicolons or line breaks."""
    return [name.strip() for name in re.split(r"[;\n]", text) if name.strip()]


def read_ref(text: str) -> tuple[str, int, str, int | None]:
    """'JC8' -> ('JC8', 8, 'JC', None); 'Action 1.1' -> ('1.1', 1001, '', 1), whose
    workstream is its area of weakness. Raises ValueError otherwise."""
    compact = " ".join(text.upper().split())
    match = REF_LETTERS.match(compact)
    if match:
        letters, number = match.group(1), int(match.group(2))
        return f"{letters}{number}", number, letters, None
    match = REF_NUMBERED.match(compact)
    if match:
        area, number = int(match.group(1)), int(match.group(2))
        return f"{area}.{number}", area * 1000 + number, "", area
    raise ValueError("the reference must be letters and a number, such as JC8 or A3, or "
                     "a numbered action, such as Action 1.1")


def _find_header(rows: list[list], lookup: dict[str, str], required: set[str]
                 ) -> tuple[int, dict[int, str]] | None:
    """The first row naming the required columns and at least one more: (its index, the
    key of each recognised column by position)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = {position: lookup[squash(text_of(value))] for position, (value, _) in
                 enumerate(row) if isinstance(value, str) and squash(value) in lookup}
        if required <= set(found.values()) and len(found) >= 2:
            return index, found
    return None


def read_plan_workbook(file, file_name: str) -> ReadWorkbook:
    """Every action row and milestone row of the workbook, or the problems found; the
    file is refused (ValidationError, one line) if it is not a sound workbook."""
    result = ReadWorkbook(file_name=file_name)
    workbook = open_workbook(file, PLAN_WORKBOOK)
    has_rows = False
    is_pack = [sheet.title for sheet in workbook.worksheets] == MONITORING_PACK_SHEETS
    try:
        for sheet in workbook.worksheets:
            if is_pack and sheet.title != PACK_ACTIONS_SHEET:
                result.pack_sheets.append(sheet.title)
                continue
            rows = list(sheet_rows(sheet, PLAN_WORKBOOK))
            has_rows = has_rows or any(text_of(value) for row in rows for value, _ in row)
            header = _find_header(rows, ACTION_LOOKUP, REQUIRED)
            milestones = _find_header(rows, MILESTONE_LOOKUP, {"ref", "milestone"})
            # A sheet of milestones names a milestone and no action.
            if milestones is not None and (header is None or header[0] >= milestones[0]) \
                    and "title" not in (header[1].values() if header else ()):
                _read_milestones(result, sheet.title, rows, *milestones)
                continue
            if header is None:
                result.skipped_sheets.append(sheet.title)
                continue
            _read_actions(result, sheet.title, rows, *header)
    finally:
        workbook.close()
    if not result.actions and not result.milestones and not result.problems:
        if has_rows:
            raise ValidationError([
                "No sheet has a header row naming a Ref column (such as Ref, Reference or "
                "Action number) beside the action's other columns"])
        raise ValidationError(["The workbook is empty: it has no rows to import"])
    _check_duplicates(result)
    return result


def _columns(result: ReadWorkbook, sheet: str, header_row: list, found: dict[int, str]
             ) -> tuple[dict[int, str], dict[int, str]]:
    """The recognised columns (position -> key, the first of each name wins, "Description"
    is the action when no Action column is given) and each column's heading."""
    headings = {position: text_of(value) for position, (value, _) in enumerate(header_row)}
    keys: dict[int, str] = {}
    taken: set[str] = set()
    has_title = "title" in found.values()
    for position, key in sorted(found.items()):
        if key == "description" and not has_title:
            key = "title"
        if key in taken:
            continue
        keys[position] = key
        taken.add(key)
    for position, heading in headings.items():
        if position in keys or not heading:
            continue
        if squash(heading) in INFORMATION_ONLY:
            result.information_only.setdefault(sheet, []).append(heading)
        else:
            result.unrecognised.setdefault(sheet, []).append(heading)
    result.columns |= set(keys.values())
    return keys, headings


def _read_actions(result: ReadWorkbook, sheet: str, rows: list, header_index: int,
                  found: dict[int, str]) -> None:
    keys, headings = _columns(result, sheet, rows[header_index], found)
    ref_position = next(position for position, key in keys.items() if key == "ref")
    weakness_number, weakness_summary = None, ""
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        number = index + 1
        values = {key: row[position][0] if position < len(row) else None
                  for position, key in keys.items()}
        texts = [text_of(value) for value, _ in row if text_of(value)]
        if not texts:
            continue
        # A heading row between the actions: "Weakness 2: ..." sets the weakness of the
        # rows below it; any other row without a ref is an error, never dropped.
        heading = HEADING.match(texts[0]) if len(texts) == 1 else None
        if heading:
            weakness_number = int(heading.group(1))
            weakness_summary = heading.group(2).strip()
            continue
        if not text_of(values.get("ref")):
            result.problems.append(Problem(sheet, number, headings[ref_position], None,
                                           "enter the action's reference"))
            continue
        _read_action_row(result, sheet, number, values, keys, headings,
                         weakness_number, weakness_summary)


def _read_action_row(result: ReadWorkbook, sheet: str, number: int, values: dict,
                     keys: dict[int, str], headings: dict[int, str],
                     weakness_number: int | None, weakness_summary: str) -> None:
    heading_of = {key: headings[position] for position, key in keys.items()}
    problems: list[Problem] = []

    def problem(key: str, message: str) -> None:
        problems.append(Problem(sheet, number, heading_of[key], values.get(key), message))

    try:
        ref, ref_number, letters, area = read_ref(text_of(values["ref"]))
    except ValueError as error:
        problem("ref", str(error))
        result.problems += problems
        return
    action = ActionRow(sheet=sheet, row=number, ref=ref, ref_number=ref_number,
                       workstream_code=letters, weakness_number=weakness_number,
                       weakness_summary=weakness_summary)
    if area is not None and area != weakness_number:
        # "Action 1.1" answers area of weakness 1, whatever heading it sits under.
        action.weakness_number, action.weakness_summary = area, ""
    action.cells = {key: (heading_of[key], values.get(key)) for key in heading_of}
    workstream = text_of(values.get("workstream"))
    if workstream:
        match = WORKSTREAM_TEXT.match(workstream)
        if match:
            action.workstream_code, action.workstream_name = match.group(1).upper(), \
                match.group(2).strip()
        elif re.fullmatch(r"[A-Za-z]{1,6}", workstream):
            action.workstream_code = workstream.upper()
        else:
            action.workstream_name = workstream
            action.workstream_code = action.workstream_code or _code_from_name(workstream)
    if not action.workstream_code and area is not None:
        action.workstream_code, action.workstream_name = str(area), f"Area of weakness {area}"
    if not action.workstream_code:
        action.workstream_code, action.workstream_name = _code_from_name(sheet), sheet
    weakness = text_of(values.get("weakness"))
    if weakness:
        match = re.match(r"^(?:\D*?)(\d{1,2})\s*[:.\-–]?\s*(.*)$", weakness, re.S)
        if match:
            action.weakness_number = int(match.group(1))
            action.weakness_summary = match.group(2).strip() or action.weakness_summary
        else:
            problem("weakness", "the weakness must start with its number, such as "
                                "“1: Joint commissioning”")
    for key in ("title", "description", "owner", "lead_agency", "delivery_team",
                "contributors", "progress", "success_criteria", "action_lead_role",
                "sponsoring_director_role"):
        if key in heading_of:
            action.values[key] = text_of(values.get(key))
    for key in ("action_lead", "sponsoring_director"):
        if key in heading_of:
            action.values[key] = read_person(text_of(values.get(key)))
    for key in ("start_date", "due_date", "update_date", "completed_date"):
        if key in heading_of:
            try:
                action.values[key] = read_date(values.get(key), month_end=key == "due_date")
            except ValueError as error:
                problem(key, f"{heading_of[key]} {error}")
    if "rag" in heading_of:
        try:
            action.values["rag"] = read_rag(values.get("rag"))
        except ValueError as error:
            problem("rag", str(error))
    result.problems += problems
    if not problems:
        result.actions.append(action)


def _code_from_name(name: str) -> str:
    """A workstream code from its name: 'Joint commissioning' -> 'JC'."""
    words = re.findall(r"[A-Za-z]+", name)
    code = "".join(word[0] for word in words if word.lower() not in {"and", "of", "the"})
    return (code or "WS")[:6].upper()


def _read_milestones(result: ReadWorkbook, sheet: str, rows: list, header_index: int,
                     found: dict[int, str]) -> None:
    headings = {position: text_of(value) for position, (value, _) in
                enumerate(rows[header_index])}
    keys: dict[int, str] = {}
    for position, key in sorted(found.items()):
        if key not in keys.values():
            keys[position] = key
    heading_of = {key: headings[position] for position, key in keys.items()}
    for position, heading in headings.items():
        if position not in keys and heading:
            result.unrecognised.setdefault(sheet, []).append(heading)
    for index in range(header_index + 1, len(rows)):
        row, number = rows[index], index + 1
        values = {key: row[position][0] if position < len(row) else None
                  for position, key in keys.items()}
        if not any(text_of(value) for value, _ in row):
            continue
        problems = []
        try:
            ref = read_ref(text_of(values.get("ref")))[0]
        except ValueError as error:
            problems.append(Problem(sheet, number, heading_of["ref"], values.get("ref"),
                                    str(error)))
            ref = ""
        title = text_of(values.get("milestone"))
        if not title:
            problems.append(Problem(sheet, number, heading_of["milestone"], None,
                                    "enter the milestone"))
        dates = {}
        for key in ("due_date", "done_date"):
            try:
                dates[key] = read_date(values.get(key), month_end=key == "due_date")
            except ValueError as error:
                problems.append(Problem(sheet, number, heading_of[key], values.get(key),
                                        f"{heading_of[key]} {error}"))
        if problems:
            result.problems += problems
            continue
        result.milestones.append(MilestoneRow(
            sheet=sheet, row=number, ref=ref, title=title, due_date=dates.get("due_date"),
            done_date=dates.get("done_date"),
            cells={key: (heading_of[key], values.get(key)) for key in heading_of}))


def _check_duplicates(result: ReadWorkbook) -> None:
    seen: dict[str, ActionRow] = {}
    for action in result.actions:
        first = seen.get(action.ref)
        if first is not None:
            heading, value = action.cells["ref"]
            result.problems.append(Problem(
                action.sheet, action.row, heading, value,
                f"{action.ref} is also given in sheet “{first.sheet}”, row {first.row}: "
                "each action is given once"))
        else:
            seen[action.ref] = action

