"""Loads the published files the product ships (fixtures/published/) for every area, as
`make run` does: the DfE's SEN2 figures and NHS England's community health waiting lists.
Safe to re-run: a file loaded already changes nothing."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from area_statistics.models import StatisticArea
from area_statistics.reading import NHS_LAYOUT, FileRefused
from area_statistics.services import statistics_load
from audit.context import acting_as
from plans.models import LocalArea

PUBLISHED = Path(settings.BASE_DIR) / "fixtures" / "published"
SEN2 = "dfe_ehc_plans_sen2_2014_2022.csv"
NHS = "nhs_community_health_waiting_lists_2023.csv"

# (file, column, name, unit, better, where, layout)
SHIPPED = [
    (SEN2, "no_exc_20week_rate",
     "New EHC plans issued within 20 weeks, excluding exceptions", "percent", "higher", {},
     "ees"),
    (SEN2, "inc_exc_20week_rate",
     "New EHC plans issued within 20 weeks, including exceptions", "percent", "higher", {},
     "ees"),
    (SEN2, "new_all_ehc", "New EHC plans made in the year", "count", "", {}, "ees"),
    (SEN2, "inreq_ehc", "Initial requests for an EHC needs assessment", "count", "", {},
     "ees"),
    (SEN2, "total_tribunal", "Appeals to the SEND Tribunal", "count", "lower", {}, "ees"),
] + [
    (NHS, "Total waiting list", f"Children and young people waiting: {service.lower()}",
     "count", "lower", {"Therapy": service}, NHS_LAYOUT)
    for service in ("Speech And Language", "Community Paediatric Service",
                    "Occupational Therapy", "Audiology")
] + [
    (NHS, "Waiting >52 weeks", "Children and young people waiting over 52 weeks: speech and "
     "language", "count", "lower", {"Therapy": "Speech And Language"}, NHS_LAYOUT),
]

# The integrated care boards serving each local area, by ONS code, as NHS England names
# them: Essex is served by three, each also serving a neighbouring area.
ICBS_OF = {
    "E10000012": ("Mid and South Essex", "Hertfordshire and West Essex",
                  "Suffolk and North East Essex"),
}


def link_icbs() -> int:
    """Gives each local area its integrated care boards; returns how many links were new."""
    made = 0
    for ons_code, names in ICBS_OF.items():
        area = LocalArea.objects.filter(ons_code=ons_code).first()
        if area is None:
            continue
        for icb in StatisticArea.objects.filter(level=StatisticArea.Level.ICB, name__in=names):
            if not icb.local_areas.filter(pk=area.pk).exists():
                icb.local_areas.add(area)
                made += 1
    return made


class Command(BaseCommand):
    help = "Load the published statistics files the product ships, for every area."

    def add_arguments(self, parser):
        parser.add_argument("--folder", default=str(PUBLISHED))

    def handle(self, *args, **options):
        folder = Path(options["folder"])
        try:
            with acting_as("command: load_published_statistics"), transaction.atomic():
                for file, column, name, unit, better, where, layout in SHIPPED:
                    result = statistics_load(path=folder / file, indicator=column, name=name,
                                             unit=unit, better=better, where=where,
                                             layout=layout)
                    self.stdout.write(f"{name}: {result.summary()}")
                made = link_icbs()
        except FileRefused as refused:
            raise CommandError("The published files were not loaded; nothing was saved:\n"
                               + "\n".join(refused.problems)) from None
        self.stdout.write(f"{made} local areas linked to their integrated care boards")
