"""Template tags for GOV.UK Frontend markup: form widgets, the error summary, RAG tags,
UK date formats and scrolling tables. Load with `{% load govuk %}`."""

import datetime
import re
from functools import lru_cache
from zoneinfo import ZoneInfo

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django_tables2.utils import AttributeDict

register = template.Library()

LONDON = ZoneInfo("Europe/London")
# Fixed English month names: the output must not change with the server's locale.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# (widget class, kind). Subclasses come before their parents: CheckboxSelectMultiple is a
# RadioSelect, RadioSelect and SelectMultiple are Selects, DateInput is an Input.
WIDGET_KINDS = (
    (forms.HiddenInput, "hidden"),
    (forms.CheckboxSelectMultiple, "checkboxselectmultiple"),
    (forms.RadioSelect, "radioselect"),
    (forms.SelectMultiple, "selectmultiple"),
    (forms.Select, "select"),
    (forms.Textarea, "textarea"),
    (forms.CheckboxInput, "checkbox"),
    (forms.ClearableFileInput, "clearablefile"),
    (forms.FileInput, "file"),
    (forms.PasswordInput, "password"),
    (forms.DateInput, "date"),
    (forms.DateTimeInput, "datetime"),
    (forms.TimeInput, "time"),
    (forms.SelectDateWidget, "selectdate"),
    (forms.MultiWidget, "multi"),
)

# GOV.UK classes for widgets rendered whole by Django: (class, error modifier).
WIDGET_CLASSES = {
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "selectmultiple": ("govuk-select", "govuk-select--error"),
    "selectdate": ("govuk-select", "govuk-select--error"),
    "checkbox": ("govuk-checkboxes__input", ""),
    "clearablefile": ("govuk-file-upload", "govuk-file-upload--error"),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "date": ("govuk-input govuk-input--width-10", "govuk-input--error"),
    "datetime": ("govuk-input govuk-input--width-20", "govuk-input--error"),
    "time": ("govuk-input govuk-input--width-5", "govuk-input--error"),
}
INPUT_CLASSES = ("govuk-input", "govuk-input--error")

RAG_TAGS = {
    # value: (word, GOV.UK tag modifier). The default govuk-tag is blue.
    "blue": ("Blue", ""),
    "green": ("Green", "govuk-tag--green"),
    "amber": ("Amber", "govuk-tag--yellow"),
    "red": ("Red", "govuk-tag--red"),
}


@register.filter
def widget_type(field: BoundField) -> str:
    """The GOV.UK component kind for a bound field's widget, such as "textarea", "select",
    "radioselect", "checkboxselectmultiple", "checkbox", "file", "date" or "input"."""
    widget = field.field.widget
    for widget_class, kind in WIDGET_KINDS:
        if isinstance(widget, widget_class):
            return kind
    return "input"


@register.filter
def govuk_widget(field: BoundField) -> str:
    """Renders the field's widget with its GOV.UK classes; Django adds aria-describedby
    (hint and error ids) and aria-invalid."""
    kind = widget_type(field)
    base, error = WIDGET_CLASSES.get(kind, INPUT_CLASSES)
    classes = [base]
    if field.errors and error:
        classes.append(error)
    if own := field.field.widget.attrs.get("class"):
        classes.append(own)
    return field.as_widget(attrs={"class": " ".join(classes)})


PART_LABELS = {"day": "Day", "month": "Month", "year": "Year"}
SPLIT_LABELS = ("Date", "Time")


@register.filter
def govuk_parts(field: BoundField) -> list[dict]:
    """The inputs of a multi-part field (SelectDateWidget, SplitDateTimeWidget or another
    MultiWidget), each with its own label, id and GOV.UK-classed HTML: Django renders them
    with no labels, which leaves each part without an accessible name."""
    widget = field.field.widget
    kind = widget_type(field)
    base, error = WIDGET_CLASSES.get(kind, INPUT_CLASSES)
    attrs = field.build_widget_attrs({"id": field.auto_id} if field.auto_id else {})
    context = widget.get_context(field.html_name, field.value(), attrs)
    parts = []
    for index, sub in enumerate(context["widget"]["subwidgets"]):
        suffix = sub["name"].rsplit("_", 1)[-1]
        if suffix in PART_LABELS:
            label = PART_LABELS[suffix]
        elif isinstance(widget, forms.SplitDateTimeWidget) and index < len(SPLIT_LABELS):
            label = SPLIT_LABELS[index]
        else:
            label = f"Part {index + 1}"
        sub_base = "govuk-select" if sub["template_name"].endswith("select.html") else base
        classes = [sub_base] + ([error] if field.errors and error else [])
        sub_attrs = dict(sub["attrs"])
        sub_attrs["class"] = " ".join([*classes, sub_attrs.get("class", "")]).strip()
        sub_attrs.pop("aria-describedby", None)  # the fieldset carries it
        html = field.form.renderer.render(sub["template_name"],
                                          {"widget": {**sub, "attrs": sub_attrs}})
        parts.append({"id": sub_attrs.get("id", ""), "label": label, "html": mark_safe(html)})  # noqa: S308
    return parts


@register.filter
def error_anchor(field: BoundField) -> str:
    """The id an error summary link should point at: the first radio or checkbox of a group
    or the first input of a multi-part field, otherwise the field's own input."""
    kind = widget_type(field)
    if kind in {"radioselect", "checkboxselectmultiple"}:
        options = field.subwidgets
        return options[0].id_for_label if options else field.auto_id or ""
    if kind in {"selectdate", "multi"}:
        parts = govuk_parts(field)
        return parts[0]["id"] if parts else field.auto_id or ""
    return field.id_for_label or field.auto_id or ""


def _summary_items(form) -> list[dict]:
    if not form:
        return []
    items: list[dict] = []
    if hasattr(form, "non_form_errors"):  # a formset
        items += [{"text": error, "href": ""} for error in form.non_form_errors()]
        for child in form.forms:
            items += _summary_items(child)
        return items
    if not form.errors:
        return items
    visible = form.visible_fields()
    # Errors about the form as a whole (a wrong password, say) link to its first field.
    first_href = f"#{error_anchor(visible[0])}" if visible else ""
    items += [{"text": error, "href": first_href} for error in form.non_field_errors()]
    for field in form:
        anchor = "" if field.is_hidden else error_anchor(field)
        items += [{"text": error, "href": f"#{anchor}" if anchor else ""}
                  for error in field.errors]
    return items


@register.simple_tag
def govuk_error_items(form=None, forms=None) -> list[dict]:
    """Every error of `form` and of each form or formset in `forms`, in page order, as
    {"text", "href"} for the error summary."""
    items = _summary_items(form)
    for each in forms or ():
        items += _summary_items(each)
    return items


@lru_cache(maxsize=8)
def _rag_tag_html(key: str) -> SafeString:
    word, modifier = RAG_TAGS.get(key, ("Not reported", "govuk-tag--grey"))
    classes = " ".join(filter(None, ["govuk-tag", modifier, "app-rag",
                                     f"app-rag--{key if key in RAG_TAGS else 'none'}"]))
    return format_html('<strong class="{}">{}</strong>', classes, word)


@register.simple_tag
def rag_tag(value) -> SafeString:
    """A RAG status as a GOV.UK tag with both colour and word; empty is "Not reported".
    Built once per colour: long tables (the plan, the board pack) print thousands."""
    return _rag_tag_html(str(getattr(value, "value", value) or "").strip().lower())


@register.filter
def rag(value) -> SafeString:
    """{% rag_tag %} as a filter, for table cells and loops: `{{ action.rag|rag }}`."""
    return rag_tag(value)


def _london(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return value.astimezone(LONDON)
    return value


@register.filter
def uk_date(value) -> str:
    """A date or datetime as "3 Nov 2020" (datetimes in UK time); empty for None."""
    if type(value) is datetime.date:
        return _uk_day(value)
    if not isinstance(value, datetime.date):
        return ""
    value = _london(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


@lru_cache(maxsize=4096)
def _uk_day(value: datetime.date) -> str:
    # Long tables print the same few due dates thousands of times.
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


@register.filter
def uk_datetime(value) -> str:
    """A datetime as "3 Nov 2020, 14:05" in UK time (GMT or BST); empty for None.
    Naive datetimes are taken to be UK time already."""
    if not isinstance(value, datetime.datetime):
        return uk_date(value)
    value = _london(value)
    return f"{uk_date(value)}, {value:%H:%M}"


@register.filter
def with_class(attrs, css_class: str) -> str:
    """HTML attributes from a django-tables2 AttributeDict (or dict), with `css_class` first
    in its class list: GOV.UK classes stay even when a column sets its own attrs."""
    merged = AttributeDict(attrs or {})
    classes = str(merged.get("class") or "").split()
    if css_class not in classes:
        classes.insert(0, css_class)
    merged["class"] = " ".join(classes)
    return merged.as_html()


# The first <caption> of a table, with its attributes and text.
CAPTION = re.compile(r"<caption\b([^>]*)>(.*?)</caption>", re.DOTALL | re.IGNORECASE)
ID_ATTR = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")


class TableScrollNode(template.Node):
    def __init__(self, nodelist: template.NodeList):
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        html = self.nodelist.render(context)
        caption = CAPTION.search(html)
        if caption is None:
            raise template.TemplateSyntaxError(
                "{% table_scroll %} needs a table with a <caption>: the caption names the "
                "scrolling region for screen readers.")
        if own_id := ID_ATTR.search(caption.group(1)):
            caption_id = own_id.group(1)
        else:
            caption_id = _unique_id(context, strip_tags(caption.group(2)))
            start = caption.start() + len("<caption")
            html = f'{html[:start]} id="{caption_id}"{html[start:]}'
        # The table is this node's own rendered template output, already escaped.
        return format_html(
            '<div class="app-table-scroll" role="region" aria-labelledby="{}" tabindex="0">'
            "{}</div>", caption_id, mark_safe(html))  # noqa: S308


def _unique_id(context: template.Context, text: str) -> str:
    """An id made from the caption, unique within the page being drawn. The set of ids
    given out lives at the bottom of the render context, which every include shares."""
    taken = context.render_context.dicts[0].setdefault("govuk_table_ids", set())
    base = f"table-{slugify(text)[:60].rstrip('-') or 'data'}"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    taken.add(candidate)
    return candidate


@register.tag
def table_scroll(parser, token) -> TableScrollNode:
    """`{% table_scroll %}<table>…<caption>…</caption>…</table>{% endtable_scroll %}`: the
    table in a container that scrolls sideways when the table is wider than the screen, so
    the page itself never does (WCAG 1.4.10). The container is a region named by the
    table's caption and is focusable, so keyboard users can scroll it; the caption is given
    an id when it has none."""
    nodelist = parser.parse(("endtable_scroll",))
    parser.delete_first_token()
    return TableScrollNode(nodelist)
