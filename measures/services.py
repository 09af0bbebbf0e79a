"""Writes of measure readings: from the grid form, and from a spreadsheet in the layout the
measure page offers. Both go through the same checks and save nothing unless all is well."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from openpyxl.utils import get_column_letter

from imports.workbooks import WorkbookLimits, open_workbook, sheet_rows
from plans.dates import outside_window
from plans.models import ReportingPeriod
from plans.services import ensure_period_open, ensure_plan_open, period_closed_message
from send_wsoa.exports import starts_like_a_formula
from send_wsoa.numbers import written_number
from workstreams.models import Area

from .models import Measure, MeasureReading, MilestoneTarget

DURATION_UNITS = ("weeks", "months")
MAX_NOTE = 2000
MAX_SOURCE = MeasureReading._meta.get_field("source").max_length
MAX_REASON = 100
# The largest value the database holds: 14 digits, 4 after the point.
MAX_VALUE = Decimal("9999999999.9999")

WHOLE_AREA = "Whole local area"
TEMPLATE_HEADER = ["Period", "Area", "Value", "Note", "Sample size (n)", "Date delivered",
                   "Source"]
COLUMN = {name: get_column_letter(index) for index, name in enumerate(
    ["period", "area", "value", "note", "sample_size", "achieved_on", "source"], start=1)}


def is_survey(measure: Measure) -> bool:
    """Survey measures report how many people answered (n) with every whole-area figure."""
    text = f"{measure.data_source} {measure.how_measured}".lower()
    return measure.baseline_sample_size is not None or "survey" in text


def measure_unit(measure: Measure) -> str:
    if measure.kind == Measure.Kind.PERCENTAGE:
        return "%"
    return measure.unit


AREA_KINDS = {Area.Breakdown.CCG: "CCG area", Area.Breakdown.QUADRANT: "quadrant"}


def reading_place(area: Area | None) -> str:
    """Where a reading is of: 'Whole local area', 'Mid Essex CCG area'."""
    if area is None:
        return WHOLE_AREA
    return f"{area.name} {AREA_KINDS.get(area.breakdown, area.get_breakdown_display())}"


def figure_as_typed(measure: Measure, value: Decimal | None, *, unit: str = "") -> str | None:
    """A reading's value as the person typed it, exactly, with its unit: '14.2 weeks' (not
    14.2000), '61.5%', 'Yes' for a deliverable; None for no value."""
    if value is None:
        return None
    if measure.kind == Measure.Kind.DELIVERABLE:
        return "Yes" if value else "No"
    number = format(Decimal(value).normalize(), "f")
    unit = measure_unit(measure) if measure.kind == Measure.Kind.PERCENTAGE else (
        unit or measure.unit)
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}".rstrip()


def kind_rule(measure: Measure) -> str:
    """What a valid value looks like, in the words error messages and hints use."""
    return {
        Measure.Kind.PERCENTAGE: "a number between 0 and 100",
        Measure.Kind.COUNT: "a whole number, 0 or more",
        Measure.Kind.DURATION: f"a number of {measure.unit or 'weeks or months'}, 0 or more",
        Measure.Kind.DELIVERABLE: "yes or no",
        Measure.Kind.NUMBER: "a number",
    }[measure.kind]


def parse_value(measure: Measure, raw) -> Decimal:
    """The value as a Decimal, or ValueError saying what is wrong with it."""
    rule = kind_rule(measure)
    if measure.kind == Measure.Kind.DELIVERABLE:
        text = str(raw).strip().lower()
        if text in ("yes", "y", "true"):
            return Decimal(1)
        if text in ("no", "n", "false"):
            return Decimal(0)
        try:
            # 1 and 0 arrive from a spreadsheet as 1.0 and 0.0.
            number = (Decimal(str(raw)) if isinstance(raw, int | float | Decimal)
                      else written_number(text))
        except (InvalidOperation, ValueError):
            raise ValueError(f"must be {rule}") from None
        if number.is_finite() and number in (0, 1):
            return Decimal(int(number))
        raise ValueError(f"must be {rule}")
    if isinstance(raw, bool):
        raise ValueError(f"must be {rule}")
    if isinstance(raw, int | float | Decimal):
        # Spreadsheet cells arrive as floats; str() gives the shortest text, what was typed.
        value = Decimal(str(raw))
    else:
        text = str(raw).strip()
        if text.endswith("%") and measure.kind == Measure.Kind.PERCENTAGE:
            text = text[:-1].strip()
        try:
            value = written_number(text)
        except ValueError as error:
            # Words are told what the measure takes; a number written wrongly, how to write it.
            raise ValueError(str(error) if any(character.isdigit() for character in text)
                             else f"must be {rule}") from None
    if not value.is_finite():
        raise ValueError(f"must be {rule}")
    if measure.kind == Measure.Kind.PERCENTAGE and not 0 <= value <= 100:
        raise ValueError(f"must be {rule}")
    if measure.kind == Measure.Kind.COUNT and (value < 0 or value != value.to_integral_value()):
        raise ValueError(f"must be {rule}")
    if measure.kind == Measure.Kind.DURATION and value < 0:
        raise ValueError(f"must be {rule}")
    if abs(value) > MAX_VALUE:
        raise ValueError("is too large")
    if value.as_tuple().exponent < -4 and value != value.quantize(Decimal("0.0001")):
        raise ValueError("must have no more than 4 decimal places")
    return value.quantize(Decimal("0.0001"))


@dataclass
class Entry:
    """One value to record: for the whole area (area None) or one area."""

    area: Area | None
    value: Decimal
    sample_size: int | None = None
    achieved_on: dt.date | None = None
    note: str = ""
    source: str = ""
    unit: str = ""
    # Where the value came from, so an error can name the form field or spreadsheet cell.
    field: str = "value"


@dataclass
class Batch:
    period: ReportingPeriod
    entries: list[Entry] = field(default_factory=list)


def _check_entry(measure: Measure, entry: Entry) -> dict[str, str]:
    """Errors of one entry beyond its value, keyed by what they concern."""
    errors: dict[str, str] = {}
    if measure.kind == Measure.Kind.DELIVERABLE and entry.value == 1 and entry.achieved_on is None:
        errors["achieved_on"] = "Enter the date it was delivered"
    if measure.kind != Measure.Kind.DELIVERABLE and entry.achieved_on is not None:
        errors["achieved_on"] = "A delivery date is only for yes/no deliverables"
    if measure.kind == Measure.Kind.DELIVERABLE and entry.value == 0 and entry.achieved_on:
        errors["achieved_on"] = "A delivery date needs the answer yes"
    if "achieved_on" not in errors and (outside := outside_window(
            measure.plan, entry.achieved_on, label="The date delivered")):
        errors["achieved_on"] = outside
    if (is_survey(measure) and entry.area is None and entry.sample_size is None):
        errors["sample_size"] = "Enter the sample size (n): how many people answered the survey"
    if entry.sample_size is not None and entry.sample_size < 1:
        errors["sample_size"] = "Sample size (n) must be a whole number, 1 or more"
    elif entry.sample_size is not None and entry.sample_size > SAMPLE_SIZE_MAX:
        errors["sample_size"] = f"Sample size (n) must be {SAMPLE_SIZE_MAX:,} or fewer"
    if measure.kind == Measure.Kind.DURATION:
        if entry.unit not in DURATION_UNITS:
            errors["unit"] = "Choose the unit: weeks or months"
        elif measure.unit and entry.unit != measure.unit:
            errors["unit"] = f"This measure is reported in {measure.unit}; enter the value in " \
                             f"{measure.unit}"
    if len(entry.note) > MAX_NOTE:
        errors["note"] = f"Note must be {MAX_NOTE} characters or fewer (it has {len(entry.note)})"
    if len(entry.source) > MAX_SOURCE:
        errors["source"] = (f"Source must be {MAX_SOURCE} characters or fewer "
                            f"(it has {len(entry.source)})")
    return errors


def _existing(measure: Measure, periods: Iterable[ReportingPeriod]):
    return {(r.period_id, r.area_id): r for r in MeasureReading.objects.filter(
        measure=measure, period__in=list(periods))}


def _changes(reading: MeasureReading, entry: Entry) -> bool:
    return (reading.value != entry.value or reading.sample_size != entry.sample_size
            or reading.achieved_on != entry.achieved_on or reading.note != entry.note
            or reading.source != entry.source or reading.unit != entry.unit)


def corrections(measure: Measure, batches: list[Batch]) -> list[tuple[Batch, Entry]]:
    """The entries that would change a reading already entered for their period and area."""
    existing = _existing(measure, [batch.period for batch in batches])
    found = []
    for batch in batches:
        for entry in batch.entries:
            reading = existing.get((batch.period.pk, entry.area.pk if entry.area else None))
            if reading is not None and _changes(reading, entry):
                found.append((batch, entry))
    return found


@transaction.atomic
def save_batches(*, measure: Measure, batches: list[Batch], user, reason: str,
                 demo: bool = False) -> list[MeasureReading]:
    """Create or correct the readings; every value is saved one by one so the audit trail
    records each with its reason. The caller has checked the entries."""
    ensure_plan_open(measure.plan)
    for batch in batches:
        ensure_period_open(batch.period)
    existing = _existing(measure, [batch.period for batch in batches])
    saved = []
    for batch in batches:
        for entry in batch.entries:
            reading = existing.get((batch.period.pk, entry.area.pk if entry.area else None))
            if reading is not None and not _changes(reading, entry):
                continue
            if reading is None:
                reading = MeasureReading(measure=measure, period=batch.period, area=entry.area,
                                         is_demo=demo)
                reading._change_reason = reason or "Reading entered"
            else:
                reading._change_reason = f"Correction: {reason}"
            reading.kind = measure.kind
            reading.value = entry.value
            reading.sample_size = entry.sample_size
            reading.achieved_on = entry.achieved_on
            reading.note = entry.note
            reading.source = entry.source
            reading.unit = entry.unit
            reading.entered_by = user if getattr(user, "is_authenticated", False) else None
            reading._history_user = reading.entered_by
            reading.save()
            saved.append(reading)
    return saved


def readings_record(*, measure: Measure, period: ReportingPeriod,
                    values_by_area: dict[Area | None, object], user, reason: str = "",
                    note: str = "", source: str = "", sample_size: int | None = None,
                    achieved_on: dt.date | None = None, unit: str = "") -> list[MeasureReading]:
    """Record one period's values: `values_by_area` maps None (the whole local area) and
    areas of the measure's breakdown to a value (blank for no value). All or nothing:
    raises ValidationError keyed by field ("value", "area_<pk>", "sample_size", "reason"...).

    `note`, `source`, `sample_size` and `achieved_on` are the whole-area reading's, as the form
    shows them. An area reading already entered keeps its own sample size, and its own note,
    source and date unless they differ from the whole-area reading's (the person changed
    them); a new area reading takes them. Only readings that change are saved: those already
    entered are corrections and need a reason."""
    errors: dict[str, list[str]] = {}
    if period.plan_id != measure.plan_id:
        errors["period"] = ["Choose a reporting period of this plan"]
    elif period.is_closed:
        errors["period"] = [period_closed_message(period)]
    allowed = {area.pk for area in Area.objects.filter(
        plan_id=measure.plan_id, breakdown=measure.area_breakdown)}
    unit = unit or (measure.unit if measure.kind == Measure.Kind.DURATION else "")
    existing = {area_id: reading for (_, area_id), reading
                in _existing(measure, [period]).items()}
    whole = existing.get(None)
    edited = {"note": note != (whole.note if whole else ""),
              "source": source != (whole.source if whole else ""),
              "achieved_on": achieved_on != (whole.achieved_on if whole else None)}
    batch = Batch(period=period)
    for area, raw in values_by_area.items():
        name = "value" if area is None else f"area_{area.pk}"
        if raw is None or str(raw).strip() == "":
            if area is None:
                errors[name] = ["Enter a value for the whole local area"]
            continue
        if area is not None and area.pk not in allowed:
            errors[name] = [f"{area.name} is not one of this measure's areas"]
            continue
        try:
            value = parse_value(measure, raw)
        except ValueError as error:
            label = WHOLE_AREA if area is None else area.name
            errors[name] = [f"{label}: value {error}"]
            continue
        entry = Entry(area=area, value=value, field=name, note=note, source=source, unit=unit,
                      sample_size=sample_size, achieved_on=achieved_on)
        if area is not None:
            _keep_own_fields(measure, entry, existing.get(area.pk), edited)
        batch.entries.append(entry)
    if None not in values_by_area:
        errors["value"] = ["Enter a value for the whole local area"]
    for entry in batch.entries:
        for key, message in _check_entry(measure, entry).items():
            errors.setdefault(key, [message])
    if len(reason) > MAX_REASON:
        errors["reason"] = [f"Reason must be {MAX_REASON} characters or fewer "
                            f"(it has {len(reason)})"]
    if not errors and not reason.strip() and corrections(measure, [batch]):
        errors["reason"] = [f"{period.financial_quarter} already has readings: give a reason "
                            "for the correction"]
    if errors:
        raise ValidationError(errors)
    return _save_or_explain(measure=measure, batches=[batch], user=user, reason=reason.strip())


def _keep_own_fields(measure: Measure, entry: Entry, reading: MeasureReading | None,
                     edited: dict[str, bool]) -> None:
    """Give an area's entry the fields the form has no box for: the reading's own where it
    has one and the person did not change the whole-area value the form showed."""
    delivered = measure.kind == Measure.Kind.DELIVERABLE and entry.value == 1
    if reading is None:
        entry.sample_size = None
        entry.achieved_on = entry.achieved_on if delivered else None
        return
    entry.sample_size = reading.sample_size
    if not edited["note"]:
        entry.note = reading.note
    if not edited["source"]:
        entry.source = reading.source
    if not delivered:
        entry.achieved_on = None
    elif not edited["achieved_on"] and reading.achieved_on is not None:
        entry.achieved_on = reading.achieved_on


def _save_or_explain(**kwargs) -> list[MeasureReading]:
    try:
        return save_batches(**kwargs)
    except IntegrityError:
        # Someone else entered the same period and area between our check and our save.
        raise ValidationError({"period": [
            "Someone else entered readings for this period at the same time: check the "
            "measure page and try again"]}) from None


def template_rows(measure: Measure, periods: list[ReportingPeriod], areas: list[Area],
                  readings: list[MeasureReading]) -> list[list]:
    """The readings already entered, then blank rows for the latest period with none; text
    is neutralised for a spreadsheet (see `spreadsheet_text`)."""
    rows = [[r.period.financial_quarter, r.area.name if r.area else WHOLE_AREA,
             r.value if measure.kind != Measure.Kind.DELIVERABLE else ("yes" if r.value else "no"),
             r.note, r.sample_size, r.achieved_on, r.source] for r in readings]
    entered = {r.period_id for r in readings}
    open_periods = [period for period in periods if period.pk not in entered]
    if open_periods:
        label = open_periods[-1].financial_quarter
        rows.append([label, WHOLE_AREA, None, "", None, None, ""])
        rows.extend([label, area.name, None, "", None, None, ""] for area in areas)
    return [[spreadsheet_text(value) for value in row] for row in rows]


def _needs_mark(text: str) -> bool:
    return starts_like_a_formula(text) or (text.startswith("'") and _needs_mark(text[1:]))


def spreadsheet_text(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe, and so does
    text that already looks neutralised, so that `_unmarked` gives back exactly the text."""
    if isinstance(value, str) and _needs_mark(value):
        return "'" + value
    return value


def _unmarked(text: str) -> str:
    """Text read from a spreadsheet without the one apostrophe `spreadsheet_text` added."""
    if text.startswith("'") and _needs_mark(text[1:]):
        return text[1:]
    return text


def _cell(row: int, column: str) -> str:
    return f"Row {row}, cell {COLUMN[column]}{row}"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _cell_value(raw, number_format: str, measure: Measure):
    """The value as the cell shows it: a cell showing 50% holds 0.5."""
    if (measure.kind == Measure.Kind.PERCENTAGE and "%" in number_format
            and isinstance(raw, int | float) and not isinstance(raw, bool)):
        return Decimal(str(raw)) * 100
    return raw


# More people than answer any survey of a local area: a bound, so a typing slip of many
# digits gets a message rather than a database error.
SAMPLE_SIZE_MAX = 10_000_000

# What a readings workbook may hold: the layout has seven columns and a row per period and
# area, so these are generous; past them the file is refused before it is read, so a small
# upload that unpacks to millions of rows cannot hold a server for seconds.
NOT_A_WORKBOOK = ("The file must be an Excel workbook (.xlsx) in the layout offered on the "
                  "measure page")
READINGS_WORKBOOK = WorkbookLimits(
    what="a readings file", not_a_workbook=NOT_A_WORKBOOK,
    advice="use the layout offered on the measure page",
    max_unpacked_bytes=20 * 1024 * 1024, max_rows=10_000, max_columns=50)


def _read_rows(file) -> list[list[tuple[object, str]]]:
    """Each row of the first sheet as (value, number format) pairs, up to the layout's
    end."""
    workbook = open_workbook(file, READINGS_WORKBOOK, formulas_as_text=False)
    try:
        return list(sheet_rows(workbook.worksheets[0], READINGS_WORKBOOK))
    finally:
        workbook.close()


def readings_import_xlsx(*, measure: Measure, file, user, reason: str) -> list[MeasureReading]:
    """Import readings from an .xlsx in the measure page's layout (period, area, value,
    note, sample size, date delivered, source). Every row is checked; any error and nothing
    is saved: ValidationError lists each fault as "Row 4, cell C4: value must be ...".
    A file without the Source column (the older layout) leaves sources as they are.
    Corrections of existing readings need `reason`; rows that change nothing are skipped."""
    rows = _read_rows(file)
    heading = [_text(value).lower() for value, _ in rows[0]] if rows else []
    if heading[:3] != ["period", "area", "value"]:
        raise ValidationError(["Row 1 must be the heading row: " + ", ".join(TEMPLATE_HEADER)])
    has_source = len(heading) > 6 and heading[6] == "source"
    named = list(ReportingPeriod.objects.for_plan(measure.plan_id))
    # A period by the name the template gives it ('2020-21 Q3'), or by its stored label
    # ('2020-Q3'), which templates downloaded before used.
    periods = {p.financial_quarter: p for p in named} | {p.label: p for p in named}
    areas = {a.name.lower(): a for a in Area.objects.filter(
        plan_id=measure.plan_id, breakdown=measure.area_breakdown)}
    existing = _existing(measure, named)
    errors: list[str] = []
    batches: dict[int, Batch] = {}
    seen: dict[tuple[int, int | None], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        row = list(row) + [(None, "")] * (7 - len(row))
        cells = [value for value, _ in row[:7]]
        period_text, area_text, raw, note, size, delivered, source = cells
        raw = _cell_value(raw, row[2][1], measure)
        if all(_text(v) == "" for v in cells[:6 + has_source]):
            continue
        if _text(raw) == "":
            # A template row left blank: nothing to record for that area.
            if _text(note) or _text(size) or _text(delivered) or (has_source and _text(source)):
                errors.append(f"{_cell(number, 'value')}: enter a value, or clear the row")
            continue
        period = periods.get(_unmarked(_text(period_text)))
        if period is None:
            errors.append(f"{_cell(number, 'period')}: period must be a reporting period "
                          f"such as {named[0].financial_quarter if named else '2020-21 Q3'}")
        elif period.is_closed:
            errors.append(f"{_cell(number, 'period')}: {period_closed_message(period)}")
            continue
        area_name = _unmarked(_text(area_text))
        area = None
        if area_name and area_name.lower() != WHOLE_AREA.lower():
            area = areas.get(area_name.lower())
            if area is None:
                allowed = ", ".join([WHOLE_AREA, *(a.name for a in areas.values())])
                errors.append(f"{_cell(number, 'area')}: area must be one of {allowed}")
                continue
        try:
            value = parse_value(measure, raw)
        except ValueError as error:
            errors.append(f"{_cell(number, 'value')}: value {error}")
            continue
        reading = existing.get((period.pk if period else None, area.pk if area else None))
        entry = Entry(area=area, value=value, note=_unmarked(_text(note)),
                      field=_cell(number, "value"))
        if has_source:
            entry.source = _unmarked(_text(source))
        elif reading is not None:
            entry.source = reading.source
        if measure.kind == Measure.Kind.DURATION:
            # A measure with no unit set keeps the unit each reading was entered in.
            entry.unit = measure.unit or (reading.unit if reading else "")
        if _text(size):
            try:
                written = written_number(_text(size))
                entry.sample_size = int(written)
                if written != entry.sample_size:
                    raise ValueError("must be a whole number, 1 or more")
            except ValueError as error:
                said = (str(error) if any(character.isdigit() for character in _text(size))
                        else "must be a whole number, 1 or more")
                errors.append(f"{_cell(number, 'sample_size')}: sample size {said}")
                continue
        if isinstance(delivered, dt.datetime):
            entry.achieved_on = delivered.date()
        elif isinstance(delivered, dt.date):
            entry.achieved_on = delivered
        elif _text(delivered):
            try:
                entry.achieved_on = dt.date.fromisoformat(_text(delivered))
            except ValueError:
                errors.append(f"{_cell(number, 'achieved_on')}: date delivered must be a date "
                              "such as 2021-03-31")
                continue
        for key, message in _check_entry(measure, entry).items():
            column = key if key in COLUMN else "value"
            errors.append(f"{_cell(number, column)}: {message[0].lower()}{message[1:]}")
        if period is None:
            continue
        key = (period.pk, area.pk if area else None)
        if key in seen:
            errors.append(f"{_cell(number, 'area')}: {period.financial_quarter} "
                          f"{area_name or WHOLE_AREA} is already given in row {seen[key]}")
            continue
        seen[key] = number
        batches.setdefault(period.pk, Batch(period=period)).entries.append(entry)
    if not errors and not batches:
        errors.append("The file has no readings: fill in the Value column")
    if len(reason) > MAX_REASON:
        errors.append(f"Reason must be {MAX_REASON} characters or fewer (it has {len(reason)})")
    if not errors and not reason.strip():
        changed = corrections(measure, list(batches.values()))
        if changed:
            rows_at = ", ".join(sorted({entry.field.split(",")[0] for _, entry in changed},
                                       key=lambda text: int(text.split()[1])))
            errors.append(f"{rows_at} would correct readings already entered: give a reason "
                          "for the correction")
    if errors:
        raise ValidationError(errors)
    return _save_or_explain(measure=measure, batches=list(batches.values()), user=user,
                            reason=reason.strip() or "Imported from a spreadsheet")


@transaction.atomic
def baseline_record(*, measure: Measure, value, period: str, note: str, user,
                    reason: str) -> Measure:
    """Sets the measure's baseline, checked as a reading is. A baseline the plan itself
    published is never replaced by another figure: raises ValidationError naming both."""
    ensure_plan_open(measure.plan)
    try:
        parsed = parse_value(measure, value)
    except ValueError as error:
        raise ValidationError({"baseline": [f"Baseline: value {error}"]}) from None
    if measure.baseline is not None and measure.baseline != parsed:
        raise ValidationError({"baseline": [
            f"The measure already has a baseline of {figure_as_typed(measure, measure.baseline)}"
            f"; the new one would be {figure_as_typed(measure, parsed)}. Change it in the "
            "admin, with a reason, if the plan's own baseline is wrong"]})
    changed = (measure.baseline, measure.baseline_period, measure.baseline_note) != (
        parsed, period, note)
    if changed:
        measure.baseline, measure.baseline_period, measure.baseline_note = parsed, period, note
        measure.full_clean()
        measure._change_reason = reason
        measure._history_user = user if getattr(user, "is_authenticated", False) else None
        measure.save()
    return measure


@transaction.atomic
def milestone_target_set(*, measure: Measure, period: ReportingPeriod, value, user,
                         reason: str) -> MilestoneTarget | None:
    """Sets (or, with a blank value, removes) the figure the measure is meant to have reached
    by `period`, checked as a reading is, with the reason the audit trail keeps. A closed
    period's targets stay as they were when it closed, as its pack does."""
    ensure_plan_open(measure.plan)
    errors: dict[str, list[str]] = {}
    if period.plan_id != measure.plan_id:
        errors["period"] = ["Choose a reporting period of this plan"]
    else:
        try:
            ensure_period_open(period)
        except ValidationError as error:
            errors.update(error.message_dict)
    parsed = None
    if value is not None and str(value).strip() != "":
        try:
            parsed = parse_value(measure, value)
        except ValueError as error:
            errors["value"] = [f"Milestone target: value {error}"]
    reason = reason.strip()
    if not reason:
        errors["reason"] = ["Enter the reason for the milestone target"]
    elif len(reason) > MAX_REASON:
        errors["reason"] = [f"Reason must be {MAX_REASON} characters or fewer "
                            f"(it has {len(reason)})"]
    if errors:
        raise ValidationError(errors)
    target = MilestoneTarget.objects.select_for_update().filter(
        measure=measure, period=period).first()
    history_user = user if getattr(user, "is_authenticated", False) else None
    if parsed is None:
        if target is not None:
            target._change_reason = reason
            target._history_user = history_user
            target.delete()
        return None
    if target is not None and target.value == parsed:
        return target
    target = target or MilestoneTarget(measure=measure, period=period)
    target.value, target.set_by = parsed, history_user
    target._change_reason = reason
    target._history_user = history_user
    target.save()
    return target
