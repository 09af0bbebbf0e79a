"""A django-tables2 base table drawn as a GOV.UK table with GOV.UK pagination."""

from collections.abc import Mapping

import django_tables2 as tables
from django.utils.safestring import SafeString, mark_safe

from .templatetags.govuk import with_class

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

    def record_cells(self, record) -> Mapping[str, SafeString]:
        """A subclass drawing a long table may give each column's cell for a record, by
        column name, as HTML with every value it shows escaped (format_html,
        conditional_escape): the body is then drawn once per row in Python. Without it
        django-tables2 draws each cell, through its render_<column> methods, which cost
        about 0.4 ms a row of seven cells. Cells' attrs are the column's, not per record."""
        raise NotImplementedError

    def body_html(self) -> SafeString | None:
        """The body's rows from record_cells, in the classes django-tables2 would give them
        (each row's attrs, each column's td attrs); None when the subclass gives none or
        there are no rows, for the template to draw."""
        if type(self).record_cells is GovUkTable.record_cells:
            return None
        columns = [(column.name, with_class(column.attrs["td"], "govuk-table__cell"))
                   for column in self.columns]
        rows = []
        for row in self.paginated_rows:
            cells = self.record_cells(row.record)
            rows.append(f"<tr {with_class(row.attrs, 'govuk-table__row')}>"
                        + "".join(f"<td {attrs}>{cells[name]}</td>" for name, attrs in columns)
                        + "</tr>")
        if not rows:
            return None
        # Each cell is the subclass's escaped HTML; the attrs are built by AttributeDict.
        return mark_safe("\n".join(rows))  # noqa: S308
