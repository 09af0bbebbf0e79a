"""Reading a published file into values: the Explore Education Statistics (EES) open-data
layout the DfE publishes, and NHS England's community health waiting lists. Nothing here
writes; every fault is collected, naming its row and column, so a file is loaded whole or
not at all."""

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .models import Indicator, Period, StatisticArea

Level = StatisticArea.Level

# The EES symbols for a value that is not given, and why (EES "Symbols" guidance); NA is
# what NHS England's extract writes where a provider did not report.
NOT_AVAILABLE = {
    "z": "not applicable",
    "x": "not available",
    "c": "suppressed to protect confidentiality",
    "u": "low reliability",
    "low": "rounds to 0 but is not 0",
    "k": "rounds to 0 but is not 0",
    "~": "rounds to 0 but is not 0",
    ":": "not available",
    "..": "not available",
    "": "not given",
    "na": "not reported",
}
# Bounds any published figure of ours keeps within: a slip of many digits is refused.
LARGEST = Decimal("1e12")

EES_GEOGRAPHY = ("time_period", "time_identifier", "geographic_level", "country_code",
                 "country_name", "region_code", "region_name", "new_la_code", "old_la_code",
                 "la_name")
EES_REQUIRED = ("time_period", "time_identifier", "geographic_level")
EES_LEVELS = {"national": Level.ENGLAND, "regional": Level.REGION,
              "local authority": Level.LOCAL_AUTHORITY}

NHS_LAYOUT = "nhs-community-health"
NHS_REQUIRED = ("Organisation Type", "Organisation Name", "Date")
# Columns of the NHS extract that are neither a figure nor a breakdown: the row number and
# the date written a second way.
NHS_NOT_BREAKDOWNS = ("", "formattedDate")
NHS_LEVELS = {"national": Level.ENGLAND, "na": Level.ENGLAND, "region": Level.REGION,
              "icb": Level.ICB}
LAYOUTS = ("ees", NHS_LAYOUT)
# Keep error lists readable: past this many, the rest are counted.
MAX_ERRORS = 50


class FileRefused(Exception):
    """The file cannot be loaded as asked; `problems` says why, each naming row and column."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class AreaSeen:
    level: str
    key: str
    name: str
    code: str = ""
    region_key: str = ""


@dataclass(frozen=True)
class ValueRead:
    area: AreaSeen
    period_kind: str
    period: str
    period_start: dt.date
    value: Decimal | None
    not_available: str
    row: int


@dataclass
class FileRead:
    values: list[ValueRead] = field(default_factory=list)
    areas: dict[tuple[str, str], AreaSeen] = field(default_factory=dict)
    # Rows of levels the product does not hold (providers, constituencies), by level.
    skipped: dict[str, int] = field(default_factory=dict)


def parse_where(conditions: Iterable[str]) -> dict[str, str]:
    """["Therapy=Speech And Language"] as {"Therapy": "Speech And Language"}."""
    chosen = {}
    for condition in conditions:
        column, sep, value = condition.partition("=")
        if not sep or not column.strip():
            raise FileRefused([f"--where “{condition}” must be COLUMN=VALUE, such as "
                               "Therapy=Speech And Language"])
        chosen[column.strip()] = value.strip()
    return chosen


def selection_text(where: dict[str, str]) -> str:
    return "; ".join(f"{column}={value}" for column, value in sorted(where.items()))


def _period(identifier: str, text: str) -> tuple[str, dt.date]:
    """The kind and first day of an EES period: calendar year 2019, financial year 201920 (or
    2019-20), academic year 201819; ValueError naming what was expected."""
    identifier = identifier.strip().lower()
    text = text.strip()
    if identifier == "calendar year":
        if re.fullmatch(r"\d{4}", text):
            return Period.CALENDAR_YEAR, dt.date(int(text), 1, 1)
        raise ValueError(f"calendar year “{text}” must be a year such as 2019")
    if identifier in ("financial year", "academic year"):
        match = re.fullmatch(r"(\d{4})-?(\d{2})", text)
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            example = "201920 or 2019-20" if identifier == "financial year" else "201819"
            raise ValueError(f"{identifier} “{text}” must be two consecutive years such as "
                             f"{example}")
        year = int(match[1])
        if identifier == "financial year":
            return Period.FINANCIAL_YEAR, dt.date(year, 4, 1)
        return Period.ACADEMIC_YEAR, dt.date(year, 9, 1)
    raise ValueError(f"time_identifier “{identifier}” is not one this loads: Calendar year, "
                     "Financial year or Academic year")


def _month(text: str) -> tuple[str, dt.date]:
    try:
        day = dt.datetime.strptime(text.strip(), "%B %Y").date()
    except ValueError:
        raise ValueError(f"date “{text}” must be a month such as January 2023") from None
    return Period.MONTH, day


def _value(text: str, unit: str) -> tuple[Decimal | None, str]:
    """The figure, or None and why it is not given; ValueError when it is neither."""
    stripped = text.strip()
    if stripped.lower() in NOT_AVAILABLE:
        return None, f"not available ({NOT_AVAILABLE[stripped.lower()]})"
    try:
        value = Decimal(stripped.replace(",", ""))
    except InvalidOperation:
        codes = ", ".join(code for code in ("z", "x", "c", "u", "low") if code)
        raise ValueError(f"“{text}” is neither a number nor a code for a missing value "
                         f"({codes})") from None
    if not value.is_finite() or abs(value) >= LARGEST:
        raise ValueError(f"“{text}” is not a number this can hold")
    if unit == Indicator.Unit.PERCENT and not 0 <= value <= 100:
        raise ValueError(f"“{text}” is a percentage outside 0 to 100")
    if unit in (Indicator.Unit.COUNT, Indicator.Unit.WEEKS, Indicator.Unit.RATE) and value < 0:
        raise ValueError(f"“{text}” is below 0")
    if unit == Indicator.Unit.COUNT and value != value.to_integral_value():
        raise ValueError(f"“{text}” is not a whole number")
    return value.quantize(Decimal("0.000001")), ""


def _rows(text: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise FileRefused(["The file is empty: row 1 must name the columns"]) from None
    header = [name.strip().lstrip("\ufeff") for name in header]

    def rows():
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                yield number, {"__width__": str(len(cells))}
                continue
            yield number, dict(zip(header, cells, strict=True))

    return header, rows()


def _choose(header: list[str], rows, where: dict[str, str], problems: list[str]):
    for column in where:
        if column not in header:
            problems.append(f"--where names column “{column}”, which the file does not have")
    for number, row in rows:
        if "__width__" in row:
            problems.append(f"Row {number}: has {row['__width__']} cells where the heading "
                            f"has {len(header)}")
            continue
        if all(row.get(column, "").strip() == value for column, value in where.items()):
            yield number, row


def _is_figure(text: str) -> bool:
    if text.lower() in NOT_AVAILABLE:
        return True
    try:
        Decimal(text.replace(",", ""))
    except InvalidOperation:
        return False
    return True


def _refuse_breakdowns(keyed: dict, header: list[str], not_breakdowns: Iterable[str],
                       problems: list[str]) -> None:
    """Several rows for one area and period mean the file breaks the figure down by another
    column: name each such column and its values, so the user chooses with --where."""
    differing: dict[str, set[str]] = {}
    for rows in keyed.values():
        if len(rows) < 2:
            continue
        varying = {column: {row[column].strip() for _, row in rows} for column in header
                   if column not in not_breakdowns
                   and len({row[column].strip() for _, row in rows}) > 1}
        # A breakdown is named in words (a filter column); figures differ with it.
        named = {column: seen for column, seen in varying.items()
                 if not all(_is_figure(value) for value in seen)} or varying
        for column, seen in named.items():
            differing[column] = differing.get(column, set()) | seen
        if not varying:
            first, *others = [number for number, _ in rows]
            problems.append(f"Row {others[0]}: repeats the area and period of row {first}")
    for column, values in sorted(differing.items()):
        listed = ", ".join(sorted(values)[:12]) + (", ..." if len(values) > 12 else "")
        problems.append(
            f"The file breaks the figures down by column “{column}” ({listed}): choose one "
            f"with --where {column}=VALUE")


def _check_columns(header: list[str], required: Iterable[str], indicator: str,
                   problems: list[str]) -> None:
    missing = [column for column in required if column not in header]
    if missing:
        problems.append(f"Row 1: the heading has no column {', '.join(missing)}; is this the "
                        "right layout?")
    if indicator not in header:
        figures = [c for c in header if c not in EES_GEOGRAPHY and c not in NHS_REQUIRED
                   and c not in NHS_NOT_BREAKDOWNS]
        problems.append(f"Row 1: the file has no column “{indicator}”; its columns include "
                        f"{', '.join(figures[:15])}{', ...' if len(figures) > 15 else ''}")


def _ees_area(row: dict[str, str]) -> AreaSeen | None | str:
    """The row's area; None for a level not held; a message for a row missing its code."""
    level = EES_LEVELS.get(row["geographic_level"].strip().lower())
    if level is None:
        return None
    if level == Level.ENGLAND:
        code = row.get("country_code", "").strip()
        return AreaSeen(Level.ENGLAND, code or "england", "England", code)
    if level == Level.REGION:
        code, name = row.get("region_code", "").strip(), row.get("region_name", "").strip()
        if not (code or name):
            return "region_code"
        return AreaSeen(Level.REGION, code or name.lower(), name or code, code)
    code, name = row.get("new_la_code", "").strip(), row.get("la_name", "").strip()
    if not code:
        return "new_la_code"
    region = row.get("region_code", "").strip() or row.get("region_name", "").strip().lower()
    return AreaSeen(Level.LOCAL_AUTHORITY, code, name or code, code, region)


def _nhs_area(row: dict[str, str]) -> AreaSeen | None | str:
    kind = row["Organisation Type"].strip().lower()
    name = row["Organisation Name"].strip()
    level = NHS_LEVELS.get(kind)
    if kind == "na" and name.lower() != "england":
        level = None
    if level is None:
        return None
    if not name:
        return "Organisation Name"
    if level == Level.ENGLAND:
        return AreaSeen(Level.ENGLAND, "E92000001", "England", "E92000001")
    # NHS England writes some months' region names in capitals.
    tidy = name if not name.isupper() else name.title().replace(" Of ", " of ").replace(
        " And ", " and ")
    return AreaSeen(level, tidy.lower(), tidy)


def read_file(text: str, *, indicator: str, unit: str, where: dict[str, str],
              layout: str = "ees") -> FileRead:
    """Every value of column `indicator` in the rows `where` chooses. Raises FileRefused
    listing every fault (row and column named), or a breakdown the user must choose."""
    if layout not in LAYOUTS:
        raise FileRefused([f"--layout must be one of {', '.join(LAYOUTS)}"])
    nhs = layout == NHS_LAYOUT
    header, rows = _rows(text)
    problems: list[str] = []
    _check_columns(header, NHS_REQUIRED if nhs else EES_REQUIRED, indicator, problems)
    if problems:
        raise FileRefused(problems)
    result = FileRead()
    keyed: dict[tuple, list[tuple[int, dict]]] = {}
    area_of = _nhs_area if nhs else _ees_area
    for number, row in _choose(header, rows, where, problems):
        area = area_of(row)
        if area is None:
            level = (row["Organisation Type"] if nhs else row["geographic_level"]).strip()
            result.skipped[level] = result.skipped.get(level, 0) + 1
            continue
        if isinstance(area, str):
            problems.append(f"Row {number}, column {area}: is blank, so the row names no area")
            continue
        try:
            kind, start = (_month(row["Date"]) if nhs
                           else _period(row["time_identifier"], row["time_period"]))
        except ValueError as error:
            column = "Date" if nhs else "time_period"
            problems.append(f"Row {number}, column {column}: {error}")
            continue
        period = f"{start:%Y-%m}" if nhs else row["time_period"].strip().replace("-", "")
        try:
            value, why_not = _value(row[indicator], unit)
        except ValueError as error:
            problems.append(f"Row {number}, column {indicator}: {error}")
            continue
        key = (area.level, area.key, period)
        keyed.setdefault(key, []).append((number, row))
        result.areas[(area.level, area.key)] = area
        result.values.append(ValueRead(area, kind, period, start, value, why_not, number))
    if not problems:
        _refuse_breakdowns(keyed, header, [indicator, *NHS_NOT_BREAKDOWNS, *where],
                           problems)
    if not problems and not result.values:
        problems.append(f"No row has a value of “{indicator}” for England, a region, a local "
                        "authority or an integrated care board")
    if problems:
        if len(problems) > MAX_ERRORS:
            problems = problems[:MAX_ERRORS] + [
                f"... and {len(problems) - MAX_ERRORS} more problems"]
        raise FileRefused(problems)
    return result
