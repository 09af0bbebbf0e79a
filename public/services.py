"""Writes to what the public reads. Each is one transaction with the acting person and a
reason, so the audit trail says who put what before the public (or took it away), when and
why. Nothing reaches the public page until it is published."""

from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actions.models import Action
from measures.models import Measure
from plans.models import Plan
from plans.services import ensure_plan_open
from workstreams.models import Weakness

from .models import (
    ActionSummary,
    PlainEnglishFinding,
    Publication,
    PublicMeasure,
    PublicPage,
    YouSaidWeDid,
)

TEXT_MAX_CHARS = 2000
REASON_MAX_CHARS = 1000
PEOPLE_MAX = 10_000_000


def _require_reason(reason: str) -> None:
    if not reason or not reason.strip():
        raise ValidationError({"reason": "Enter the reason for this change"})
    if len(reason) > REASON_MAX_CHARS:
        raise ValidationError({"reason": f"Reason must be {REASON_MAX_CHARS:,} characters or "
                                         f"fewer (it has {len(reason):,})"})


def _save(record, *, user: User, reason: str) -> None:
    record._change_reason = reason
    record._history_user = user
    record.save()


def _mark_published(record: Publication, *, user: User) -> None:
    record.is_published = True
    record.published_at = timezone.now()
    record.published_by = user


def _withdraw(model: type[Publication], *, user: User, reason: str, not_published: str,
              **lookup) -> Publication:
    """Takes the published record `lookup` finds off the public page, or refuses with
    `not_published` when none is published."""
    record = model.objects.select_for_update().filter(is_published=True, **lookup).first()
    if record is None:
        raise ValidationError({"reason": not_published})
    _mark_withdrawn(record)
    _save(record, user=user, reason=reason)
    return record


def _mark_withdrawn(record: Publication) -> None:
    record.is_published = False
    record.withdrawn_at = timezone.now()


# Action summaries ------------------------------------------------------------------------

@transaction.atomic
def summary_draft_save(*, action: Action, text: str, user: User, reason: str) -> Action:
    """The action's public summary as drafted: families read it only once it is published."""
    _require_reason(reason)
    locked = Action.objects.select_for_update().get(pk=action.pk)
    ensure_plan_open(Plan.objects.get(pk=locked.plan_id))
    if len(text) > TEXT_MAX_CHARS:
        raise ValidationError({"text": f"Public summary must be {TEXT_MAX_CHARS:,} characters "
                                       f"or fewer (it has {len(text):,})"})
    locked.public_summary = text.strip()
    locked.version += 1
    _save(locked, user=user, reason=reason)
    return locked


@transaction.atomic
def summary_publish(*, action: Action, user: User, reason: str) -> ActionSummary:
    """Puts the action's drafted public summary on the public page, as it stands now."""
    _require_reason(reason)
    ensure_plan_open(Plan.objects.get(pk=action.plan_id))
    draft = Action.objects.filter(pk=action.pk).values_list("public_summary", flat=True).get()
    if not draft.strip():
        raise ValidationError({"reason": f"Write a public summary of {action.ref} before "
                                         "publishing it"})
    summary = (ActionSummary.objects.select_for_update().filter(action=action).first()
               or ActionSummary(action=action, plan_id=action.plan_id))
    summary.text = draft.strip()
    _mark_published(summary, user=user)
    _save(summary, user=user, reason=reason)
    return summary


@transaction.atomic
def summary_withdraw(*, action: Action, user: User, reason: str) -> ActionSummary:
    _require_reason(reason)
    ensure_plan_open(Plan.objects.get(pk=action.plan_id))
    return _withdraw(ActionSummary, action=action, user=user, reason=reason,
                     not_published=f"The summary of {action.ref} is not published")


# What the inspectors found, in plain English ---------------------------------------------

@transaction.atomic
def finding_draft_save(*, weakness: Weakness, text: str, user: User,
                       reason: str) -> PlainEnglishFinding:
    """A plain-English version of what the inspectors found, as drafted: families read it
    only once it is published, and the inspectors' own words until then."""
    _require_reason(reason)
    ensure_plan_open(Plan.objects.get(pk=weakness.plan_id))
    if len(text) > TEXT_MAX_CHARS:
        raise ValidationError({"text": f"Plain-English version must be {TEXT_MAX_CHARS:,} "
                                       f"characters or fewer (it has {len(text):,})"})
    finding = (PlainEnglishFinding.objects.select_for_update().filter(weakness=weakness)
               .first() or PlainEnglishFinding(weakness=weakness, plan_id=weakness.plan_id))
    finding.draft = text.strip()
    _save(finding, user=user, reason=reason)
    return finding


@transaction.atomic
def finding_publish(*, weakness: Weakness, user: User, reason: str) -> PlainEnglishFinding:
    """Puts the drafted plain-English version on the public page, as it stands now, in
    place of the inspectors' words."""
    _require_reason(reason)
    plan = Plan.objects.get(pk=weakness.plan_id)
    ensure_plan_open(plan)
    finding = PlainEnglishFinding.objects.select_for_update().filter(weakness=weakness).first()
    if finding is None or not finding.draft.strip():
        raise ValidationError({"reason": "Write a plain-English version of what the "
                                         f"inspectors found about {plan.vocabulary.part} "
                                         f"{weakness.number} before publishing it"})
    finding.text = finding.draft.strip()
    _mark_published(finding, user=user)
    _save(finding, user=user, reason=reason)
    return finding


@transaction.atomic
def finding_withdraw(*, weakness: Weakness, user: User, reason: str) -> PlainEnglishFinding:
    """Takes the plain-English version off the public page: it quotes the inspectors'
    words again."""
    _require_reason(reason)
    plan = Plan.objects.get(pk=weakness.plan_id)
    ensure_plan_open(plan)
    return _withdraw(PlainEnglishFinding, weakness=weakness, user=user, reason=reason,
                     not_published="The plain-English version of what the inspectors found "
                                   f"about {plan.vocabulary.part} {weakness.number} is not "
                                   "published")


# Measures --------------------------------------------------------------------------------

@transaction.atomic
def measure_publish(*, measure: Measure, name: str, user: User, reason: str) -> PublicMeasure:
    """Shows the measure's latest result on the public page, under `name`."""
    _require_reason(reason)
    ensure_plan_open(Plan.objects.get(pk=measure.plan_id))
    if not name or not name.strip():
        raise ValidationError({"name": "Enter what the measure shows, in words families use"})
    if len(name) > TEXT_MAX_CHARS:
        raise ValidationError({"name": f"Name must be {TEXT_MAX_CHARS:,} characters or fewer "
                                       f"(it has {len(name):,})"})
    publication = (PublicMeasure.objects.select_for_update().filter(measure=measure).first()
                   or PublicMeasure(measure=measure, plan_id=measure.plan_id))
    publication.name = name.strip()
    _mark_published(publication, user=user)
    _save(publication, user=user, reason=reason)
    return publication


@transaction.atomic
def measure_withdraw(*, measure: Measure, user: User, reason: str) -> PublicMeasure:
    _require_reason(reason)
    ensure_plan_open(Plan.objects.get(pk=measure.plan_id))
    return _withdraw(PublicMeasure, measure=measure, user=user, reason=reason,
                     not_published="The measure is not on the public page")


# You said, we did ------------------------------------------------------------------------

ENTRY_TEXT_FIELDS = {"said": "What families said", "did": "What we did",
                     "evidence": "How families can see the change",
                     "not_possible": "What we could not change, and why"}


@transaction.atomic
def entry_save(*, plan: Plan, user: User, reason: str, entry: YouSaidWeDid | None = None,
               weakness: Weakness | None, said: str, where: str, where_detail: str = "",
               people: int | None = None, did: str, evidence: str = "",
               not_possible: str = "") -> YouSaidWeDid:
    """A new entry, or changes to one not yet published: a published entry is withdrawn
    first, so nothing families read changes without being published again."""
    _require_reason(reason)
    ensure_plan_open(plan)
    if entry is not None:
        entry = YouSaidWeDid.objects.select_for_update().get(pk=entry.pk)
    errors: dict[str, list[str]] = {}
    values = {"said": said, "did": did, "evidence": evidence, "not_possible": not_possible}
    for name, label in ENTRY_TEXT_FIELDS.items():
        if len(values[name]) > TEXT_MAX_CHARS:
            errors[name] = [f"{label} must be {TEXT_MAX_CHARS:,} characters or fewer "
                            f"(it has {len(values[name]):,})"]
    for name in ("said", "did"):
        if not values[name].strip():
            errors.setdefault(name, []).append(f"Enter {ENTRY_TEXT_FIELDS[name].lower()}")
    if where not in YouSaidWeDid.Where.values:
        errors["where"] = ["Select where families said it"]
    if people is not None and not 0 <= people <= PEOPLE_MAX:
        errors["people"] = [f"How many people said it must be between 0 and {PEOPLE_MAX:,}"]
    if weakness is not None and weakness.plan_id != plan.pk:
        errors["weakness"] = ["Select a weakness of this plan"]
    if entry is not None and entry.is_published:
        errors["reason"] = ["Withdraw the entry before changing it"]
    if errors:
        raise ValidationError(errors)
    entry = entry or YouSaidWeDid(plan=plan)
    entry.weakness = weakness
    entry.said, entry.did = said.strip(), did.strip()
    entry.where, entry.where_detail = where, where_detail.strip()
    entry.people = people
    entry.evidence, entry.not_possible = evidence.strip(), not_possible.strip()
    _save(entry, user=user, reason=reason)
    return entry


@transaction.atomic
def entry_publish(*, entry: YouSaidWeDid, user: User, reason: str) -> YouSaidWeDid:
    _require_reason(reason)
    ensure_plan_open(Plan.objects.get(pk=entry.plan_id))
    entry = YouSaidWeDid.objects.select_for_update().get(pk=entry.pk)
    if entry.is_published:
        raise ValidationError({"reason": "The entry is published already"})
    _mark_published(entry, user=user)
    _save(entry, user=user, reason=reason)
    return entry


@transaction.atomic
def entry_withdraw(*, entry: YouSaidWeDid, user: User, reason: str) -> YouSaidWeDid:
    _require_reason(reason)
    ensure_plan_open(Plan.objects.get(pk=entry.plan_id))
    entry = YouSaidWeDid.objects.select_for_update().get(pk=entry.pk)
    if not entry.is_published:
        raise ValidationError({"reason": "The entry is not published"})
    _mark_withdrawn(entry)
    _save(entry, user=user, reason=reason)
    return entry


# The page's settings ---------------------------------------------------------------------

def origins_from(text: str) -> list[str]:
    """The web addresses of sites that may frame the page, one a line, each checked: an
    https origin with no path, such as https://www.essexlocaloffer.org.uk."""
    origins = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().rstrip("/")
        if not line:
            continue
        parts = urlsplit(line)
        if (parts.scheme != "https" or not parts.hostname or parts.path or parts.query
                or parts.fragment or parts.username or "*" in line):
            raise ValidationError({"frame_origins": (
                f"Line {number} (“{line[:80]}”) must be a site's address starting with "
                "https:// and with nothing after the site's name, such as "
                "https://www.essexlocaloffer.org.uk")})
        origins.append(f"https://{parts.netloc.lower()}")
    return origins


@transaction.atomic
def page_settings_save(*, plan: Plan, feedback_email: str, frame_origins: str, user: User,
                       reason: str) -> PublicPage:
    _require_reason(reason)
    ensure_plan_open(plan)
    settings = PublicPage.objects.select_for_update().filter(plan=plan).first() or PublicPage(
        plan=plan)
    settings.feedback_email = feedback_email.strip()
    settings.frame_origins = "\n".join(origins_from(frame_origins))
    settings.full_clean()
    _save(settings, user=user, reason=reason)
    return settings
