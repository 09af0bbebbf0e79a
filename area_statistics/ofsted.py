"""Ofsted's file of area SEND inspections under the 2016 framework (one row per local area):
the facts a plan is created with, and the revisit that ends a written statement of action.
Reading only; the services record what a person confirms."""

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings

from .models import OfstedInspection
from .reading import FileRefused

OFSTED_FILE = (Path(settings.BASE_DIR) / "fixtures" / "published"
               / "ofsted_area_send_inspections_2016_2022.csv")
COLUMNS = {
    "ons_code": "Local authority code",
    "area_name": "Area name",
    "region": "Ofsted region",
    "inspection_start": "Inspection start date",
    "inspection_published": "Inspection publication date",
    "statement_required": "Inspection outcome: written statement of action required?",
    "weaknesses": "Number significant weaknesses identified in written statement of action",
    "revisit_start": "Revisit start date",
    "revisit_published": "Revisit publication date",
    "revisit_outcome": "Revisit outcome: sufficient progress in addressing all significant "
                       "weaknesses?",
    "sufficient_progress": "Number significant weaknesses where sufficient progress has been "
                           "made",
    "insufficient_progress": "Number significant weaknesses where sufficient progress has not "
                             "been made",
}
OUTCOMES = {"yes": OfstedInspection.RevisitOutcome.ALL,
            "some": OfstedInspection.RevisitOutcome.SOME,
            "no": OfstedInspection.RevisitOutcome.NONE, "": ""}
NOT_REVISITED = "not revisited yet"


@dataclass(frozen=True)
class OfstedFacts:
    ons_code: str
    area_name: str
    region: str
    inspection_start: dt.date
    inspection_published: dt.date
    statement_required: bool
    weaknesses: int | None
    revisit_start: dt.date | None
    revisit_published: dt.date | None
    revisit_outcome: str
    sufficient_progress: int | None
    insufficient_progress: int | None
    file: str
    row: int
    passage: str

    def lines(self) -> list[str]:
        """The facts in words, for the person to confirm."""
        def day(value: dt.date | None) -> str:
            return f"{value.day} {value:%B %Y}" if value else "none"

        outcome = dict(OfstedInspection.RevisitOutcome.choices)[self.revisit_outcome]
        lines = [f"Area: {self.area_name} (ONS code {self.ons_code}), Ofsted region "
                 f"{self.region}",
                 f"Inspection began {day(self.inspection_start)}, published "
                 f"{day(self.inspection_published)}",
                 "Written statement of action required: "
                 + ("yes" if self.statement_required else "no")]
        if self.weaknesses is not None:
            lines.append(f"Significant weaknesses: {self.weaknesses}")
        if self.revisit_start:
            lines.append(f"Revisit began {day(self.revisit_start)}, published "
                         f"{day(self.revisit_published)}: {outcome.lower()} "
                         f"({self.sufficient_progress} made sufficient progress, "
                         f"{self.insufficient_progress} did not)")
        elif self.revisit_outcome == OfstedInspection.RevisitOutcome.NOT_YET:
            lines.append("Not revisited yet (as at 31 August 2022)")
        lines.append(f"Source: {self.file}, row {self.row}")
        return lines


def _date(text: str, number: int, column: str) -> dt.date | None:
    text = text.strip()
    if not text or text.lower() == NOT_REVISITED:
        return None
    try:
        # Revisit dates are written with a time of day: "2022-05-17 00:00:00".
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise FileRefused([f"Row {number}, column {column}: “{text}” is not a date such as "
                           "2019-09-30"]) from None


def _count(text: str, number: int, column: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal(-1)
    if value < 0 or value > 100 or value != value.to_integral_value():
        raise FileRefused([f"Row {number}, column {column}: “{text}” is not a number of "
                           "weaknesses"])
    return int(value)


def _find(path: Path, matches) -> OfstedFacts | None:
    """The first row whose cells `matches` (a function of the row's cells by key), read as
    facts; None when no row does."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.reader(file)
        header = [name.strip() for name in next(reader, [])]
        missing = [name for name in COLUMNS.values() if name not in header]
        if missing:
            raise FileRefused([f"Row 1: {path.name} has no column {', '.join(missing)}"])
        at = {key: header.index(name) for key, name in COLUMNS.items()}
        for number, cells in enumerate(reader, start=2):
            if len(cells) < len(header):
                continue
            cell = {key: cells[index] for key, index in at.items()}
            if matches(cell):
                return _facts(path, number, cells, cell)
    return None


def _facts(path: Path, number: int, cells: list[str], cell: dict[str, str]) -> OfstedFacts:
    start = _date(cell["inspection_start"], number, COLUMNS["inspection_start"])
    published = _date(cell["inspection_published"], number, COLUMNS["inspection_published"])
    if start is None or published is None:
        raise FileRefused([f"Row {number}: the inspection's dates are blank"])
    outcome = cell["revisit_outcome"].strip().lower()
    if outcome not in OUTCOMES:
        raise FileRefused([f"Row {number}, column {COLUMNS['revisit_outcome']}: "
                           f"“{cell['revisit_outcome']}” is not Yes, Some or No"])
    revisit_outcome = OUTCOMES[outcome]
    if cell["revisit_start"].strip().lower() == NOT_REVISITED:
        revisit_outcome = OfstedInspection.RevisitOutcome.NOT_YET
    return OfstedFacts(
        ons_code=cell["ons_code"].strip(), area_name=cell["area_name"].strip(),
        region=cell["region"].strip(), inspection_start=start, inspection_published=published,
        statement_required=cell["statement_required"].strip().lower() == "yes",
        weaknesses=_count(cell["weaknesses"], number, COLUMNS["weaknesses"]),
        revisit_start=_date(cell["revisit_start"], number, COLUMNS["revisit_start"]),
        revisit_published=_date(cell["revisit_published"], number,
                                COLUMNS["revisit_published"]),
        revisit_outcome=revisit_outcome,
        sufficient_progress=_count(cell["sufficient_progress"], number,
                                   COLUMNS["sufficient_progress"]),
        insufficient_progress=_count(cell["insufficient_progress"], number,
                                     COLUMNS["insufficient_progress"]),
        file=path.name, row=number, passage=",".join(cells))


def ofsted_facts(ons_code: str, path: Path = OFSTED_FILE) -> OfstedFacts:
    """The area's row of the file; FileRefused naming the code when it has none."""
    facts = _find(path, lambda cell: cell["ons_code"].strip() == ons_code.strip())
    if facts is None:
        raise FileRefused([f"{path.name} has no area with ONS code {ons_code}"])
    return facts


def _plain_name(name: str) -> str:
    return " ".join(name.replace("&", "and").lower().split())


def ofsted_facts_for_area(*, name: str, ons_code: str = "",
                          path: Path = OFSTED_FILE) -> OfstedFacts | None:
    """The file's row for a local area about to get a plan: by its ONS code where it has
    one, else by its name as the file writes it (case and spacing aside). None when the
    file has no such area, or cannot be read: the facts are only ever offered."""
    wanted = ons_code.strip()
    try:
        if wanted:
            return _find(path, lambda cell: cell["ons_code"].strip() == wanted)
        return _find(path, lambda cell: _plain_name(cell["area_name"]) == _plain_name(name))
    except (FileRefused, OSError):
        return None
