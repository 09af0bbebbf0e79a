"""Pages name a record's source document as a person would cite it, the file name after."""

import re

from django.core.management import call_command
from django.urls import reverse

from actions.models import Action
from measures.models import Measure
from plans.models import SourceDocument
from tests.factories import ActionFactory, Role, UserFactory, member

PAPERS = ("Essex County Council, People and Families Policy and Scrutiny Committee papers, "
          "14 January 2021")


def words(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()


def source_row(response) -> str:
    page = words(response)
    return page[page.index("Source "):][:400]


def test_an_essex_action_page_names_its_document_with_the_file_name_after(client, essex):
    client.force_login(member(UserFactory(username="essex-board"), essex, Role.BOARD))
    action = Action.objects.get(plan=essex, ref="JC10")
    assert action.source_document == "002_b36886a2528568a2.txt"

    row = source_row(client.get(reverse("actions:detail",
                                        kwargs={"plan_slug": essex.slug, "ref": "JC10"})))

    assert row.startswith(f"Source {PAPERS} File: 002_b36886a2528568a2.txt")


def test_an_essex_measure_page_names_its_document(client, essex):
    client.force_login(member(UserFactory(username="essex-board"), essex, Role.BOARD))
    measure = Measure.objects.filter(plan=essex,
                                     source_document="001_b5bc0a55458881da.txt").first()

    row = source_row(client.get(reverse("measures:detail", kwargs={
        "plan_slug": essex.slug, "measure_id": measure.pk})))

    assert row.startswith("Source Essex County Council, report to the People and Families "
                          "Scrutiny Committee on the written statement of action and the "
                          "Ofsted/CQC response File: 001_b5bc0a55458881da.txt")


def test_every_document_the_essex_plan_cites_is_named(essex):
    from plans.models import SourcedModel

    cited = {record.source_document
             for model in SourcedModel.__subclasses__()
             for record in model.objects.exclude(source_document="")}
    named = set(SourceDocument.objects.values_list("file", flat=True))
    assert cited and cited <= named


def test_a_document_not_named_shows_its_file_name_alone(client, board_member, plan, jc):
    ActionFactory(plan=plan, workstream=jc, ref="JC3", ref_number=3,
                  source_document="minutes-2021-03.pdf", source_passage="Agreed.")
    client.force_login(board_member)

    row = source_row(client.get(reverse("actions:detail",
                                        kwargs={"plan_slug": plan.slug, "ref": "JC3"})))

    assert row.startswith("Source minutes-2021-03.pdf Agreed.")


def test_loading_the_plan_again_names_each_document_once(essex):
    before = list(SourceDocument.objects.values_list("file", "publisher", "title",
                                                     "published_on"))

    call_command("load_essex_plan", verbosity=0)

    assert list(SourceDocument.objects.values_list("file", "publisher", "title",
                                                   "published_on")) == before
    assert str(SourceDocument.objects.get(file="002_b36886a2528568a2.txt")) == PAPERS
