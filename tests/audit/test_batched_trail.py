"""Saves inside batched_trail() write their history and audit entries together at its end:
the same rows and entries the saves would have written one by one, or none at all."""

import pytest
from django.core.management import call_command
from django.db import transaction

from actions.models import Rag
from audit.models import AuditEntry
from audit.services import batched_trail
from tests.factories import ActionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _changes(action, jc_lead, organisation):
    action.rag = Rag.GREEN
    action._change_reason, action._history_user = "Panel met.", jc_lead
    action.save()
    action._change_reason = "Partners named"
    action.contributors.add(organisation)
    action.rag = Rag.RED
    action._change_reason = "Recruitment paused."
    action.save()


def _trail(after: int) -> list[tuple]:
    return [(entry.actor_id, entry.object_kind, entry.object_label, entry.change_type,
             entry.changes, entry.reason)
            for entry in AuditEntry.objects.filter(sequence__gt=after).order_by("sequence")]


def test_a_batch_writes_the_history_and_trail_its_saves_would_one_by_one(plan, jc, jc_lead,
                                                                          capsys):
    one, other = (ActionFactory(plan=plan, workstream=jc, ref=f"JC{n}", ref_number=n,
                                rag=Rag.AMBER, title="Joint panel") for n in (1, 2))
    organisation = OrganisationFactory(plan=plan, name="Parent Carer Forum")
    head = AuditEntry.objects.count()
    with transaction.atomic():
        _changes(one, jc_lead, organisation)
    after_one = AuditEntry.objects.count()
    with transaction.atomic(), batched_trail():
        _changes(other, jc_lead, organisation)
        # Nothing is written until the batch ends.
        assert AuditEntry.objects.count() == after_one
    by_one = _trail(head)[:after_one - head]
    batched = _trail(after_one)
    assert [row[1:] for row in batched] == [
        (kind, label.replace("JC1", "JC2"), change, changes, reason)
        for _, kind, label, change, changes, reason in by_one]
    assert batched[1][4] == {"Contributors": [None, "Parent Carer Forum"]}
    assert [(h.history_type, h.rag, h.history_change_reason,
             sorted(row.organisation_id for row in h.contributors.all()))
            for h in other.history.order_by("history_date")] == [
        (h.history_type, h.rag, h.history_change_reason,
         sorted(row.organisation_id for row in h.contributors.all()))
        for h in one.history.order_by("history_date")]
    call_command("verify_audit")
    assert "audit trail intact" in capsys.readouterr().out


def test_a_batch_whose_block_fails_writes_nothing(plan, jc, jc_lead):
    action = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.AMBER)
    head, history = AuditEntry.objects.count(), action.history.count()
    with pytest.raises(RuntimeError), transaction.atomic(), batched_trail():
        action.rag = Rag.GREEN
        action._change_reason = "Panel met."
        action.save()
        raise RuntimeError("the disk is full")
    assert (AuditEntry.objects.count(), action.history.count()) == (head, history)


def test_a_batch_outside_a_transaction_is_refused(transactional_db):
    with pytest.raises(RuntimeError, match="inside a transaction"), batched_trail():
        pass
