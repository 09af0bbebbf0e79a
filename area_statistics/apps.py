from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    # The package is area_statistics because a top-level package named statistics would
    # shadow Python's own statistics module, which Django's SQLite backend imports.
    name = "area_statistics"
    label = "statistics"
    verbose_name = "Published statistics"
