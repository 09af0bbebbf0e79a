"""Writes fixtures/northshire_plan.xlsx, the fictional Northshire plan in a council's own
layout. The workbook is committed; run this after changing imports/northshire.py."""

from django.core.management.base import BaseCommand

from imports.northshire import WORKBOOK, write_workbook


class Command(BaseCommand):
    help = "Write the fictional Northshire plan workbook (fixtures/northshire_plan.xlsx)."

    def handle(self, *args, **options):
        path = write_workbook(WORKBOOK)
        self.stdout.write(f"wrote {path}")
