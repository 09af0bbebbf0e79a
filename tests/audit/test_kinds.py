"""Every kind of record the audit trail tracks can be picked out by the trail's kind filter,
and every command that writes to the trail is named in words."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from audit.filters import AuditEntryFilter
from audit.services import object_kind
from audit.wording import COMMAND_NAMES, actor_name
from public import services
from tests.factories import WeaknessFactory


def tracked_models() -> list:
    return [model for model in apps.get_models()
            if getattr(model._meta, "simple_history_manager_attribute", None)]


def test_every_tracked_models_records_have_a_kind_in_the_filter():
    kinds = {kind for kind, _ in AuditEntryFilter.base_filters["kind"].extra["choices"]}

    missing = [model._meta.label for model in tracked_models()
               if object_kind(model) not in kinds]

    assert len(tracked_models()) > 20
    assert not missing, f"add these to audit.services.OBJECT_KINDS: {missing}"


def test_every_command_that_writes_to_the_trail_is_named_in_words():
    base = Path(settings.BASE_DIR)
    sources = [path for path in base.glob("*/management/commands/*.py")]
    commands = {name for path in sources
                for name in re.findall(r'"command: (\w+)"', path.read_text())}

    assert {"ofsted_inspection", "load_statistics", "load_published_statistics"} <= commands
    assert not commands - set(COMMAND_NAMES)
    assert actor_name("command: ofsted_inspection").startswith("Ofsted's file of inspections")


@pytest.mark.django_db
def test_the_trail_picks_out_a_plain_english_finding_by_its_kind(client, plan, officer,
                                                                 board_member):
    weakness = WeaknessFactory(plan=plan, number=1)
    services.finding_draft_save(weakness=weakness, text="Waits are too long.", user=officer,
                                reason="Drafted for families")
    client.force_login(board_member)

    page = client.get(reverse("audit:list", kwargs={"plan_slug": plan.slug}),
                      {"kind": "plain-English finding"}).content.decode()

    assert "Drafted for families" in page
    assert '<option value="plain-English finding" selected>Plain-English finding</option>' in page
