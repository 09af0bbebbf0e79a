import datetime
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import timezone

from actions.models import Rag
from actions.templatetags.action_links import action_href
from dashboard.templatetags.board import action_rows
from govuk.templatetags.govuk import rag_tag, uk_date, uk_datetime


def _render(source: str, **context) -> str:
    return Template("{% load govuk action_links %}" + source).render(Context(context))


@pytest.mark.parametrize(("value", "word", "modifier"), [
    (Rag.BLUE, "Blue", "app-rag--blue"),
    (Rag.GREEN, "Green", "govuk-tag--green"),
    (Rag.AMBER, "Amber", "govuk-tag--yellow"),
    (Rag.RED, "Red", "govuk-tag--red"),
])
def test_rag_tag_shows_the_word_as_well_as_the_colour(value, word, modifier):
    html = _render("{% rag_tag value %}", value=value)
    assert f">{word}</strong>" in html
    assert modifier in html


@pytest.mark.parametrize("value", [None, ""])
def test_rag_tag_says_not_reported_when_there_is_no_rag(value):
    html = _render("{% rag_tag value %}", value=value)
    assert ">Not reported</strong>" in html
    assert "govuk-tag--grey" in html


def test_rag_filter_and_tag_give_the_same_markup():
    assert _render("{{ value|rag }}", value="amber") == _render("{% rag_tag 'amber' %}")
    assert str(rag_tag("AMBER")) == str(rag_tag(Rag.AMBER))


def test_unknown_rag_is_not_reported_and_never_echoed():
    html = _render("{% rag_tag value %}", value="<script>x</script>")
    assert "<script>" not in html
    assert "Not reported" in html


def test_uk_date_is_day_short_month_year_whatever_the_locale():
    assert uk_date(datetime.date(2020, 11, 3)) == "3 Nov 2020"
    assert uk_date(None) == ""


def test_uk_datetime_shows_summer_time_in_uk_time():
    # 13:05 UTC on 1 July is 14:05 in London (BST).
    value = datetime.datetime(2020, 7, 1, 13, 5, tzinfo=datetime.UTC)
    assert uk_datetime(value) == "1 Jul 2020, 14:05"
    winter = timezone.make_aware(datetime.datetime(2020, 12, 1, 9, 0), datetime.UTC)
    assert uk_datetime(winter) == "1 Dec 2020, 09:00"


@pytest.mark.parametrize("ref", ["JC8", "EHC16", "ID 2", "A&B", "é1", "O'K"])
def test_action_href_is_the_address_django_would_reverse(ref, plan):
    assert action_href(ref, plan.slug) == reverse(
        "actions:detail", kwargs={"plan_slug": plan.slug, "ref": ref})


def test_action_href_is_within_the_plans_own_address(plan, other_plan):
    assert action_href("JC1", plan.slug) == "/test-area/actions/JC1/"
    assert action_href("JC1", other_plan.slug) == "/other-area/actions/JC1/"


def test_action_href_is_escaped_in_an_attribute(plan):
    html = _render('<a href="{{ ref|action_href:current_plan.slug }}">', ref='"><b>',
                   current_plan=plan)
    assert "<b>" not in html
    assert 'href="/test-area/actions/' in html


@pytest.mark.parametrize("ref", ["JC8", "EHC16", "ID 2", "A&B", "é1", "O'K", '"><b>'])
def test_board_table_links_go_where_the_template_filter_does(ref, plan):
    """The board's long tables write a plain ref's link directly, for speed: every ref's
    link is the one the template filter would write."""
    html = action_rows([{"ref": ref, "title": "T", "owner_name": None, "current_due_date": None,
                         "rag": ""}], plan.slug)
    link = _render('<a class="govuk-link" href="{{ ref|action_href:current_plan.slug }}">'
                   "{{ ref }}</a>", ref=ref, current_plan=plan)
    assert link in html


class _Example(forms.Form):
    name = forms.CharField(label="Name", max_length=5)


def test_form_field_error_is_named_and_linked_from_the_summary():
    form = _Example(data={"name": "far too long"})
    assert not form.is_valid()
    html = _render("{% include 'govuk/error_summary.html' with form=form %}"
                   "{{ form.name.as_field_group }}",
                   form=form)
    assert "There is a problem" in html
    assert 'href="#id_name"' in html
    assert "govuk-input--error" in html
    assert "far too long" in html  # the user's text is kept


TABLE = ('{% table_scroll %}<table class="govuk-table"><caption class="govuk-table__caption">'
         "{{ caption }}</caption></table>{% endtable_scroll %}")


def test_a_wide_table_scrolls_in_a_focusable_region_named_by_its_caption():
    html = _render(TABLE, caption="Actions of workstream JC")
    assert html.startswith('<div class="app-table-scroll" role="region" aria-labelledby='
                           '"table-actions-of-workstream-jc" tabindex="0"><table')
    assert '<caption id="table-actions-of-workstream-jc" class="govuk-table__caption">' in html


def test_tables_with_the_same_caption_name_their_own_regions_across_includes():
    html = _render(TABLE + '{% include "dashboard/_action_rows.html" %}',
                   caption="Red actions", actions=[])
    ids = [part.split('"')[0] for part in html.split('aria-labelledby="')[1:]]
    assert ids == ["table-red-actions", "table-red-actions-2"]
    for region_id in ids:
        assert f'<caption id="{region_id}"' in html


def test_a_caption_keeps_an_id_it_already_has():
    html = _render('{% table_scroll %}<table><caption id="own">Milestones</caption></table>'
                   "{% endtable_scroll %}")
    assert 'aria-labelledby="own"' in html and html.count('id="own"') == 1


def test_a_table_with_no_caption_cannot_be_put_in_a_region():
    with pytest.raises(TemplateSyntaxError, match="caption"):
        _render("{% table_scroll %}<table></table>{% endtable_scroll %}")


def test_every_table_in_the_templates_sits_in_a_scroll_region():
    # A table drawn outside {% table_scroll %} widens the whole page on a phone.
    base = Path(settings.BASE_DIR)
    unwrapped = []
    for path in base.rglob("templates/**/*.html"):
        if {".venv", "node_modules"} & set(path.relative_to(base).parts):
            continue
        source = path.read_text(encoding="utf-8")
        if source.count("<table") != source.count("{% table_scroll %}"):
            unwrapped.append(str(path.relative_to(base)))
    assert not unwrapped, f"tables outside {{% table_scroll %}} in {unwrapped}"
