"""The audit trail is held to checkpoints outside the database: emptied, cut short or
rewritten with its hashes recomputed, `verify_audit` names what happened and fails. The
tampering switches the append-only triggers off, as a database administrator could; the
three failures are run on PostgreSQL, whose triggers they get past."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from actions.models import Rag
from audit.checkpoints import (
    CheckpointRefused,
    TrailFailure,
    latest_checkpoint,
    pack_attestation,
    verify_trail,
    write_checkpoint,
)
from audit.models import AuditEntry
from audit.services import entry_hash
from tests.factories import ActionFactory

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="the triggers are PostgreSQL's")


@pytest.fixture
def action(plan, jc):
    action = ActionFactory(plan=plan, workstream=jc, ref="JC5", ref_number=5, rag=Rag.AMBER)
    for rag in (Rag.GREEN, Rag.RED, Rag.GREEN):
        action.rag = rag
        action.save()
    return action


def _as_administrator(*statements: tuple[str, list]) -> None:
    """Runs SQL with the append-only triggers switched off, as the tables' owner could."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
        for sql, params in statements:
            cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")


def _verify(*args: str) -> str:
    with pytest.raises(CommandError) as failed:
        call_command("verify_audit", *args)
    assert failed.value.returncode == 1
    return str(failed.value)


def test_a_checkpoint_file_holds_the_trails_count_and_head_hash_signed(action, checkpoint_dir):
    checkpoint = write_checkpoint()

    head = AuditEntry.objects.order_by("-sequence").first()
    assert (checkpoint.count, checkpoint.head_hash) == (head.sequence, head.hash)
    [file] = checkpoint_dir.iterdir()
    assert file.name == checkpoint.source
    content = json.loads(file.read_text())
    assert (content["count"], content["head_hash"]) == (head.sequence, head.hash)
    assert len(content["signature"]) == 64
    assert latest_checkpoint() == (checkpoint, None)


def test_each_checkpoint_is_a_new_file_and_verify_uses_the_latest(action, checkpoint_dir,
                                                                  capsys):
    first = write_checkpoint()
    action.rag = Rag.RED
    action.save()
    second = write_checkpoint()

    assert second.count == first.count + 1
    assert sorted(path.name for path in checkpoint_dir.iterdir()) == [first.source,
                                                                       second.source]
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert f"holds checkpoint {second.source}" in out
    assert first.source not in out


def test_a_checkpoint_altered_on_disk_is_named_forged(action, checkpoint_dir):
    checkpoint = write_checkpoint()
    path = checkpoint_dir / checkpoint.source
    content = json.loads(path.read_text())
    content["count"] -= 1
    path.chmod(0o644)
    path.write_text(json.dumps(content))

    message = _verify()

    assert f"forged checkpoint: {checkpoint.source}'s signature does not match" in message


def test_a_checkpoint_signed_with_another_key_is_named_forged(action, checkpoint_dir,
                                                              settings):
    settings.AUDIT_CHECKPOINT_KEY = "a-key-someone-else-holds-" + "q" * 30
    write_checkpoint()
    settings.AUDIT_CHECKPOINT_KEY = "the-services-own-key-" + "z" * 30

    assert "forged checkpoint" in _verify()


def test_a_damaged_trail_is_never_anchored(action, checkpoint_dir):
    write_checkpoint()
    _as_administrator(("DELETE FROM audit_auditentry WHERE sequence = %s",
                       [AuditEntry.objects.order_by("-sequence").first().sequence]))

    with pytest.raises(CheckpointRefused, match="missing tail"):
        write_checkpoint()
    with pytest.raises(CommandError, match="no checkpoint written"):
        call_command("write_audit_checkpoint")
    assert len(list(checkpoint_dir.iterdir())) == 1


def test_expect_takes_count_and_hash_as_a_pack_prints_them(action, checkpoint_dir, capsys):
    attestation = pack_attestation()

    call_command("verify_audit", "--expect", attestation.expect)

    assert f"holds checkpoint --expect: {attestation.count} entries" in capsys.readouterr().out
    assert "not COUNT:HASH" in _verify("--expect", "12:abc")


@postgres_only
@pytest.mark.postgres_only
def test_an_emptied_trail_is_named_truncation(action, checkpoint_dir):
    checkpoint = write_checkpoint()
    call_command("verify_audit")
    _as_administrator(("TRUNCATE audit_auditentry", []))

    message = _verify()

    assert f"truncation: the trail holds no entries, but {checkpoint.source} counted " \
           f"{checkpoint.count} entries" in message
    assert verify_trail().findings[0].failure is TrailFailure.TRUNCATION


@postgres_only
@pytest.mark.postgres_only
def test_a_trail_emptied_and_begun_again_is_named_truncation(action, checkpoint_dir):
    write_checkpoint()
    _as_administrator(("TRUNCATE audit_auditentry", []))
    # The service carries on and writes a new chain, longer than the one checkpointed.
    for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.RED, Rag.AMBER, Rag.GREEN):
        action.rag = rag
        action.save()

    assert "truncation: the trail begins again after" in _verify()


@postgres_only
@pytest.mark.postgres_only
def test_newest_entries_removed_are_named_a_missing_tail(action, checkpoint_dir):
    checkpoint = write_checkpoint()
    _as_administrator(("DELETE FROM audit_auditentry WHERE sequence > %s",
                       [checkpoint.count - 2]))

    message = _verify()

    assert (f"missing tail: the trail ends at entry {checkpoint.count - 2}, but "
            f"{checkpoint.source} counted {checkpoint.count} entries: entries "
            f"{checkpoint.count - 1}–{checkpoint.count} are missing") in message
    # The chain left is self-consistent: only the checkpoint shows what was lost.
    assert "broken chain" not in message


@postgres_only
@pytest.mark.postgres_only
def test_an_entry_rewritten_with_every_later_hash_recomputed_is_named(action, checkpoint_dir):
    attestation = pack_attestation()
    checkpoint = write_checkpoint()
    entries = list(AuditEntry.objects.order_by("sequence"))
    rewritten, previous_hash, statements = entries[1], entries[0].hash, []
    rewritten.reason = "nothing to see"
    for entry in entries[1:]:
        entry.prev_hash = previous_hash
        entry.hash = previous_hash = entry_hash(entry)
        statements.append(("UPDATE audit_auditentry SET reason = %s, prev_hash = %s, hash = %s "
                           "WHERE id = %s", [entry.reason, entry.prev_hash, entry.hash, entry.pk]))
    _as_administrator(*statements)

    message = _verify()
    from_pack = _verify("--expect", attestation.expect)

    assert (f"recomputed chain: entry {checkpoint.count} is sealed with {previous_hash}, but "
            f"{checkpoint.source} recorded {checkpoint.head_hash}") in message
    assert "broken chain" not in message
    assert "recomputed chain" in from_pack and "--expect recorded" in from_pack


@pytest.mark.django_db
def test_an_empty_trail_with_no_checkpoint_is_intact(checkpoint_dir, capsys):
    call_command("verify_audit")

    out = capsys.readouterr().out
    assert out.startswith("audit trail intact: 0 entries")
    assert "no checkpoint file in" in out


def test_a_pack_in_any_format_prints_the_same_attestation(action, checkpoint_dir):
    checkpoint = write_checkpoint()
    action.rag = Rag.BLUE
    action.save()

    lines = pack_attestation().lines()

    head = AuditEntry.objects.order_by("-sequence").first()
    assert f"held {head.sequence} entries, the newest sealed with hash {head.hash}" in lines[0]
    assert lines[1].endswith(f"verify_audit --expect {head.sequence}:{head.hash}")
    assert checkpoint.source in lines[2] and checkpoint.head_hash in lines[2]



def test_a_checkpoint_directory_that_cannot_be_read_fails_verify_but_not_the_pack(
        action, checkpoint_dir, monkeypatch):
    write_checkpoint()

    def refused(self):
        raise PermissionError(13, "Permission denied", str(self))

    # As the directory appears to an app server's user not allowed to list it.
    monkeypatch.setattr(type(checkpoint_dir), "iterdir", refused)

    assert pack_attestation().latest is None
    assert "cannot read the checkpoints in" in _verify()
