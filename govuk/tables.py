"""A django-tables2 base table drawn as a GOV.UK table with GOV.UK pagination."""

import django_tables2 as tables

TEMPLATE_NAME = "govuk/tables/table.html"
EMPTY_TEXT = "There is nothing to show."


class GovUkTable(tables.Table):
    """Subclass it like tables.Table and pass `caption=` to name the table.

    The GOV.UK classes are written by the template, so they stay even when a subclass's
    Meta does not inherit this one (django-tables2 reads only the subclass's own Meta).
    Sortable headers are links, so sorting works without JavaScript, and carry aria-sort."""

    class Meta:
        template_name = TEMPLATE_NAME
        empty_text = EMPTY_TEXT

    def __init__(self, *args, caption: str = "", **kwargs):
        kwargs.setdefault("template_name", TEMPLATE_NAME)
        super().__init__(*args, **kwargs)
        self.caption = caption
        if self.empty_text is None:
            self.empty_text = EMPTY_TEXT
