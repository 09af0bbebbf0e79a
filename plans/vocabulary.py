"""Each kind of plan names its parts in its own words; pages ask the plan's vocabulary
rather than spelling "significant weakness" themselves."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Vocabulary:
    plan_name: str
    # What the inspection found and the plan answers, in the inspectors' own phrase.
    part: str
    parts: str

    @property
    def Part(self) -> str:  # noqa: N802 - read in templates at the start of a sentence
        return self.part[:1].upper() + self.part[1:]

    @property
    def Parts(self) -> str:  # noqa: N802
        return self.parts[:1].upper() + self.parts[1:]


VOCABULARIES = {
    "wsoa": Vocabulary("Written Statement of Action", "significant weakness",
                       "significant weaknesses"),
    # An Accelerated Progress Plan carries forward the weaknesses a revisit found unresolved.
    "app": Vocabulary("Accelerated Progress Plan", "significant weakness",
                      "significant weaknesses"),
    "pap": Vocabulary("Priority Action Plan", "area for priority action",
                      "areas for priority action"),
    "strategic": Vocabulary("Strategic plan", "area for improvement", "areas for improvement"),
}
