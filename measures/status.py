"""How a measure is doing against its baseline and target.

The rule, in order (the first that applies wins):

1. No reading yet: the measure has no whole-area reading.
2. Deliverables (yes/no) are judged on delivery, not on a baseline:
   delivered on or before the target date (or with no target date) is "on target";
   delivered after the target date is "improved" (delivered, but late);
   not delivered once the target date has passed is "worse"; otherwise "no change".
3. On target: the latest value meets the target in the better direction (at or above it
   when higher is better, at or below it when lower is better). Meeting a published target
   is "on target" even when the plan published no baseline, because the target alone says
   what good looks like.
4. No baseline published: there is nothing to compare the latest value with.
5. Improved, worse or no change: the latest value against the baseline, honouring which
   direction is better. A measure with no stated direction takes it from its target (a
   target above the baseline means higher is better); with neither it is never called
   improved or worse, only "no change".

Values are compared exactly as Decimals: any movement counts.
"""

import datetime as dt
from decimal import Decimal
from enum import StrEnum

HIGHER = "higher"
LOWER = "lower"
NONE = "none"
DELIVERABLE = "deliverable"


class MeasureStatus(StrEnum):
    IMPROVED = "improved"
    ON_TARGET = "on target"
    NO_CHANGE = "no change"
    WORSE = "worse"
    NO_READING = "no reading yet"
    NO_BASELINE = "no baseline published"

    @property
    def label(self) -> str:
        return self.value[0].upper() + self.value[1:]

    @property
    def tag_colour(self) -> str:
        """The GOV.UK tag modifier; the word is always shown with the colour."""
        return STATUS_TAG_COLOURS[self]


STATUS_TAG_COLOURS = {
    MeasureStatus.IMPROVED: "govuk-tag--green",
    MeasureStatus.ON_TARGET: "govuk-tag--blue",
    MeasureStatus.NO_CHANGE: "govuk-tag--yellow",
    MeasureStatus.WORSE: "govuk-tag--red",
    MeasureStatus.NO_READING: "govuk-tag--grey",
    MeasureStatus.NO_BASELINE: "govuk-tag--grey",
}

STATUS_HELP = (
    "Status compares the latest whole-area reading with the baseline and the target, "
    "honouring which direction is better for the measure. "
    "‘No reading yet’ when nothing has been entered. "
    "‘On target’ when the latest value meets the target in the better direction (at or above "
    "it when higher is better, at or below it when lower is better), even if no baseline was "
    "published; a deliverable is on target when it was delivered by its target date. "
    "‘No baseline published’ when the plan gives no baseline to compare with. "
    "Otherwise ‘improved’, ‘worse’ or ‘no change’ against the baseline. "
    "A deliverable delivered after its target date shows as ‘improved’; one not delivered "
    "once its target date has passed shows as ‘worse’."
)


def effective_direction(direction: str, baseline: Decimal | None,
                        target: Decimal | None) -> str:
    """The measure's direction, or the one its target implies when it states none."""
    if direction in (HIGHER, LOWER):
        return direction
    if baseline is not None and target is not None and target != baseline:
        return HIGHER if target > baseline else LOWER
    return NONE


def is_better(direction: str, value: Decimal, than: Decimal) -> bool:
    return value > than if direction == HIGHER else value < than if direction == LOWER else False


def meets_target(direction: str, value: Decimal, target: Decimal) -> bool:
    if direction == HIGHER:
        return value >= target
    if direction == LOWER:
        return value <= target
    return value == target


def deliverable_status(*, delivered: bool, achieved_on: dt.date | None,
                       target_date: dt.date | None, today: dt.date) -> MeasureStatus:
    if delivered:
        if target_date is None or achieved_on is None or achieved_on <= target_date:
            return MeasureStatus.ON_TARGET
        return MeasureStatus.IMPROVED
    if target_date is not None and today > target_date:
        return MeasureStatus.WORSE
    return MeasureStatus.NO_CHANGE


def measure_status(*, kind: str, direction: str, baseline: Decimal | None,
                   target: Decimal | None, latest: Decimal | None,
                   target_date: dt.date | None = None, achieved_on: dt.date | None = None,
                   today: dt.date | None = None) -> MeasureStatus:
    """The status of one measure; see the module docstring for the rule."""
    if latest is None:
        return MeasureStatus.NO_READING
    if kind == DELIVERABLE:
        return deliverable_status(delivered=latest > 0, achieved_on=achieved_on,
                                  target_date=target_date, today=today or dt.date.today())
    way = effective_direction(direction, baseline, target)
    if target is not None and meets_target(way, latest, target):
        return MeasureStatus.ON_TARGET
    if baseline is None:
        return MeasureStatus.NO_BASELINE
    if is_better(way, latest, baseline):
        return MeasureStatus.IMPROVED
    if is_better(way, baseline, latest):
        return MeasureStatus.WORSE
    return MeasureStatus.NO_CHANGE


def status_of(measure, latest_reading, today: dt.date | None = None) -> MeasureStatus:
    """The status of a Measure given its latest whole-area MeasureReading (or None)."""
    return measure_status(
        kind=measure.kind, direction=measure.direction, baseline=measure.baseline,
        target=measure.target, target_date=measure.target_date,
        latest=latest_reading.value if latest_reading is not None else None,
        achieved_on=latest_reading.achieved_on if latest_reading is not None else None,
        today=today)
