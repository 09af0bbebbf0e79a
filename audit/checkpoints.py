"""Checkpoints hold the audit trail's hash chain to something outside the database.

A checkpoint is the trail's entry count and head hash at a moment, signed with HMAC-SHA256
under AUDIT_CHECKPOINT_KEY (a key the database does not hold) and written as a file of its
own in AUDIT_CHECKPOINT_DIR, never overwritten. The chain alone proves only that it is
self-consistent: whoever can write to the database can empty it, cut off its newest entries
or rewrite an entry and recompute every later hash. Against a checkpoint each of those shows,
and `verify_audit` names which (see TrailFailure). Board packs print the trail's count and
head hash when they are drawn (pack_attestation), so a pack that has left the building is a
checkpoint too: `verify_audit --expect COUNT:HASH`."""

import datetime as dt
import enum
import hashlib
import hmac
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .models import AuditEntry
from .services import chain_breaks

FILE_PREFIX = "checkpoint-"
FILE_SUFFIX = ".json"


class TrailFailure(enum.Enum):
    """The named ways the trail can fail its checks; each is an exit status of 1."""

    BROKEN_CHAIN = "broken chain"
    TRUNCATION = "truncation"
    MISSING_TAIL = "missing tail"
    RECOMPUTED_CHAIN = "recomputed chain"
    FORGED_CHECKPOINT = "forged checkpoint"


@dataclass(frozen=True)
class Checkpoint:
    count: int
    head_hash: str
    # None for a checkpoint typed on the command line, copied from a pack without its time.
    made_at: dt.datetime | None
    # Where it is from: its file's name, or "--expect".
    source: str


@dataclass(frozen=True)
class Finding:
    failure: TrailFailure
    detail: str

    def __str__(self) -> str:
        return f"{self.failure.value}: {self.detail}"


@dataclass
class TrailReport:
    count: int = 0
    head_hash: str = ""
    checked_against: list[Checkpoint] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings


class CheckpointRefused(Exception):
    """A checkpoint is never written over a trail that fails its checks."""

    def __init__(self, report: TrailReport):
        super().__init__("; ".join(str(finding) for finding in report.findings))
        self.report = report


def _key() -> bytes:
    return settings.AUDIT_CHECKPOINT_KEY.encode("utf-8")


def _signed_content(count: int, head_hash: str, made_at: dt.datetime) -> bytes:
    content = {"count": count, "head_hash": head_hash,
               "made_at": made_at.astimezone(dt.UTC).isoformat(timespec="microseconds")}
    return json.dumps(content, sort_keys=True, separators=(",", ":")).encode("utf-8")


def signature(count: int, head_hash: str, made_at: dt.datetime) -> str:
    return hmac.new(_key(), _signed_content(count, head_hash, made_at),
                    hashlib.sha256).hexdigest()


def trail_head() -> tuple[int, str]:
    """(entries, head hash) of the trail now, in one query: an intact chain numbers its
    entries from 1, so the newest entry's sequence is the count."""
    head = AuditEntry.objects.order_by("-sequence").values_list("sequence", "hash").first()
    return head if head else (0, "")


def _directory() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def _checkpoint_files() -> list[Path]:
    """Oldest first: each file's name begins with the time it was made, in UTC."""
    directory = _directory()
    if not directory.is_dir():
        return []
    return sorted(path for path in directory.iterdir()
                  if path.name.startswith(FILE_PREFIX) and path.name.endswith(FILE_SUFFIX))


def _read(path: Path) -> tuple[Checkpoint | None, Finding | None]:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        count, head_hash = int(content["count"]), str(content["head_hash"])
        made_at = dt.datetime.fromisoformat(content["made_at"])
        signed = str(content["signature"])
    except (OSError, ValueError, KeyError, TypeError):
        return None, Finding(TrailFailure.FORGED_CHECKPOINT,
                             f"{path.name} is not a checkpoint this service wrote")
    if not hmac.compare_digest(signed, signature(count, head_hash, made_at)):
        return None, Finding(TrailFailure.FORGED_CHECKPOINT,
                             f"{path.name}'s signature does not match its content under "
                             f"AUDIT_CHECKPOINT_KEY: it was altered or not written here")
    return Checkpoint(count, head_hash, made_at, path.name), None


def latest_checkpoint() -> tuple[Checkpoint | None, Finding | None]:
    """The newest checkpoint file, or the reason it cannot be trusted."""
    files = _checkpoint_files()
    return _read(files[-1]) if files else (None, None)


def parse_expected(text: str) -> Checkpoint:
    """'COUNT:HASH' as a pack prints it."""
    count, _, head_hash = text.strip().partition(":")
    head_hash = head_hash.strip().lower()
    if not count.strip().isdigit() or len(head_hash) != 64 or not all(
            character in "0123456789abcdef" for character in head_hash):
        raise ValueError(f"{text!r} is not COUNT:HASH, a whole number, a colon and the "
                         f"64-character head hash a pack prints")
    return Checkpoint(int(count), head_hash, None, "--expect")


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _against(checkpoint: Checkpoint, *, count: int, first_recorded_at: dt.datetime | None,
             hash_at_count: str | None) -> Finding | None:
    """How the trail, intact as a chain, fails `checkpoint`, if it does."""
    if checkpoint.count == 0:
        return None
    said = f"{checkpoint.source} counted {checkpoint.count} entries"
    if count == 0:
        return Finding(TrailFailure.TRUNCATION, f"the trail holds no entries, but {said}")
    if (checkpoint.made_at is not None and first_recorded_at is not None
            and first_recorded_at > checkpoint.made_at):
        return Finding(TrailFailure.TRUNCATION,
                       f"the trail begins again after {checkpoint.source} was made "
                       f"({_when(checkpoint.made_at)}): its first entry was recorded "
                       f"{_when(first_recorded_at)}, yet {said}")
    if count < checkpoint.count:
        missing = (f"entry {checkpoint.count} is" if count + 1 == checkpoint.count
                   else f"entries {count + 1}–{checkpoint.count} are")
        return Finding(TrailFailure.MISSING_TAIL,
                       f"the trail ends at entry {count}, but {said}: {missing} missing")
    if hash_at_count != checkpoint.head_hash:
        return Finding(TrailFailure.RECOMPUTED_CHAIN,
                       f"entry {checkpoint.count} is sealed with {hash_at_count}, but "
                       f"{checkpoint.source} recorded {checkpoint.head_hash}: entries up to "
                       f"it were rewritten and the chain's hashes recomputed")
    return None


def verify_trail(expected: Iterable[Checkpoint] = ()) -> TrailReport:
    """Walks the chain once, in chunks, and holds it to the latest checkpoint file and to
    each of `expected`."""
    report = TrailReport()
    anchors = [*expected]
    checkpoint, forged = latest_checkpoint()
    if forged is not None:
        report.findings.append(forged)
    if checkpoint is not None:
        anchors.insert(0, checkpoint)
    wanted = {anchor.count for anchor in anchors}
    hashes: dict[int, str] = {}
    first_recorded_at: dt.datetime | None = None

    def walked() -> Iterator[AuditEntry]:
        nonlocal first_recorded_at
        for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
            if first_recorded_at is None:
                first_recorded_at = entry.recorded_at
            report.count += 1
            report.head_hash = entry.hash
            if report.count in wanted:
                hashes[report.count] = entry.hash
            yield entry

    first_break = next(chain_breaks(walked()), None)
    if first_break is not None:
        report.findings.append(Finding(TrailFailure.BROKEN_CHAIN,
                                       f"at entry {first_break.sequence}: {first_break.problem}"))
        return report
    for anchor in anchors:
        finding = _against(anchor, count=report.count, first_recorded_at=first_recorded_at,
                           hash_at_count=hashes.get(anchor.count))
        if finding is not None:
            report.findings.append(finding)
        report.checked_against.append(anchor)
    return report


def write_checkpoint(*, now: dt.datetime | None = None) -> Checkpoint:
    """Checks the trail against the latest checkpoint, then anchors it in a new file; a
    trail that fails is never anchored, so a damaged one cannot become the new normal."""
    report = verify_trail()
    if not report.intact:
        raise CheckpointRefused(report)
    made_at = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    content = {
        "count": report.count,
        "head_hash": report.head_hash,
        "made_at": made_at.isoformat(timespec="microseconds"),
        "signature": signature(report.count, report.head_hash, made_at),
    }
    directory = _directory()
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{FILE_PREFIX}{made_at:%Y%m%dT%H%M%S%fZ}-{report.count}{FILE_SUFFIX}"
    # Created, never opened for writing again: an existing file is never replaced.
    descriptor = os.open(directory / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump(content, file, sort_keys=True, indent=2)
        file.write("\n")
    return Checkpoint(report.count, report.head_hash, made_at, name)


# What a pack prints ------------------------------------------------------------------------

@dataclass(frozen=True)
class PackAttestation:
    """The trail's state as a pack is drawn, and the latest checkpoint file, for any pack
    to print: `lines` for a spreadsheet or text, the fields for a page."""

    count: int
    head_hash: str
    drawn_at: dt.datetime
    latest: Checkpoint | None

    @property
    def expect(self) -> str:
        return f"{self.count}:{self.head_hash}"

    def lines(self) -> list[str]:
        lines = [
            f"When this pack was drawn, {_when(self.drawn_at)}, the audit trail in the "
            f"service's database held {self.count} entries, the newest sealed with hash "
            f"{self.head_hash or 'none'}.",
            f"To check the trail still holds them, unaltered, the service's operator runs: "
            f"python manage.py verify_audit --expect {self.expect}",
        ]
        if self.latest is not None:
            lines.append(
                f"The latest checkpoint signed outside the database, {self.latest.source}, "
                f"was made {_when(self.latest.made_at)}: {self.latest.count} entries, head "
                f"hash {self.latest.head_hash}.")
        else:
            lines.append("No checkpoint of the trail has been signed outside the database yet.")
        return lines


def pack_attestation(*, now: dt.datetime | None = None) -> PackAttestation:
    """Read, never written: drawing a pack changes nothing. A checkpoint file that fails its
    signature is not shown as the latest."""
    count, head_hash = trail_head()
    try:
        latest, _ = latest_checkpoint()
    except OSError:
        # An app server that cannot read the directory still prints the trail's own figures.
        latest = None
    return PackAttestation(count=count, head_hash=head_hash,
                           drawn_at=(now or dt.datetime.now(dt.UTC)), latest=latest)
