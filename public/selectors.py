"""What a plan's public page says, built once as plain data that the page, its embed and its
JSON all draw: so the three say the same, and nothing internal can reach any of them,
because only the fields named here are ever read out.

Only published public text is read (preview reads the drafts too, for those who may publish
them): no progress narrative, evidence, audit entry, person's name or draft."""

import datetime as dt

from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from actions.models import Action, ProgressUpdate
from measures.models import Measure, MeasureReading, Outcome
from measures.selectors import measures_with_status
from measures.services import figure_as_typed
from plans.models import Plan
from workstreams.models import Weakness, Workstream

from .models import ActionSummary, PlainEnglishFinding, PublicMeasure, PublicPage, YouSaidWeDid
from .numbers import PERCENTAGE_NOT_SHOWN, percentage_is_shown, public_count
from .words import PROGRESS_MEANINGS, PROGRESS_ORDER, glossary_for, progress_words

# The terms the page's own introduction uses (public/_content.html), whatever the plan says.
INTRODUCTION_TERMS = "SEND Ofsted CQC"
QUOTED_FROM = "The inspectors' own words, quoted from the inspection letter"
NO_SUMMARY_SENTENCE = ("We have not published a summary of the work on this yet. "
                       "We will add one here when we do.")


def public_plan_or_404(slug: str) -> Plan:
    """Any plan past its draft: its statement is a published document. A draft plan's page
    is not there yet."""
    plan = (Plan.objects.select_related("local_area").filter(slug=slug)
            .exclude(status=Plan.Status.DRAFT).first())
    if plan is None:
        raise Http404("No such public page.")
    return plan


def page_settings(plan: Plan) -> PublicPage:
    """The plan's public page settings; unsaved defaults when none have been set."""
    return PublicPage.objects.filter(plan=plan).first() or PublicPage(plan=plan)


def _preview_state(live: str, draft: str) -> str:
    """Whether what the preview shows is what families read now."""
    if live and draft in ("", live):
        return "Published"
    return "Not published yet" if not live else "Changed since it was published"


def _found(weakness: Weakness, finding: PlainEnglishFinding | None, *, preview: bool,
           letter_published: dt.date | None) -> dict:
    """What the inspectors found: the published plain-English version (in preview, the
    draft where one is written), else the inspectors' own words, labelled as a quotation."""
    live = finding.text if finding is not None and finding.is_published else ""
    plain = live
    if preview:
        draft = finding.draft.strip() if finding is not None else ""
        plain = draft or live
    if plain:
        found = {"found": plain, "found_points": [], "found_in_plain_english": True,
                 "found_quoted_from": None}
    else:
        quoted = QUOTED_FROM + (f" published on {letter_published.day} "
                                f"{letter_published:%B %Y}" if letter_published else "")
        found = {"found": weakness.text,
                 "found_points": [point.text for point in weakness.points.all()],
                 "found_in_plain_english": False, "found_quoted_from": quoted}
    if preview:
        found["found_preview_state"] = _preview_state(live, draft) if plain else None
    return found


def _action_items(plan: Plan, *, preview: bool) -> dict[int, list[dict]]:
    """Actions with a public summary, by workstream id: the published text, or in preview
    the draft where one is written."""
    actions = (Action.objects.filter(plan=plan).select_related("owner", "published_summary")
               .natural_order())
    by_workstream: dict[int, list[dict]] = {}
    for action in actions:
        live = published_text(action)
        if preview:
            draft = action.public_summary.strip()
            text = draft or live
            state = _preview_state(live, draft)
        else:
            text, state = live, ""
        if not text:
            continue
        item = {
            "ref": action.ref,
            "summary": text,
            # Organisations only: an owner is accountable, and is never a person here.
            "responsible": action.owner.name if action.owner_id else None,
            "progress": progress_words(action.rag),
            "progress_key": action.rag or "none",
        }
        if preview:
            item["preview_state"] = state
        by_workstream.setdefault(action.workstream_id, []).append(item)
    return by_workstream


def _progress_counts(items: list[dict]) -> list[dict]:
    """How many of the published actions stand at each stage, small numbers suppressed."""
    counts = []
    for rag in PROGRESS_ORDER:
        key = rag or "none"
        count = sum(1 for item in items if item["progress_key"] == key)
        if count:
            counts.append({"progress": progress_words(rag), "progress_key": key,
                           "count": public_count(count)})
    return counts


def _result(measure: Measure, value, *, base: int | None, kind: str) -> str | None:
    """A figure as the public page shows it: counts through the small-number rule, a
    percentage only when it is of 5 people or more."""
    if value is None:
        return None
    if kind == Measure.Kind.COUNT:
        return public_count(value)
    if kind == Measure.Kind.PERCENTAGE and not percentage_is_shown(base):
        return PERCENTAGE_NOT_SHOWN
    return figure_as_typed(measure, value)


def _measure_items(plan: Plan) -> dict[int, list[dict]]:
    """Published measures with their latest whole-area result, by outcome id."""
    published = {p.measure_id: p for p in PublicMeasure.objects.filter(plan=plan,
                                                                      is_published=True)}
    if not published:
        return {}
    by_outcome: dict[int, list[dict]] = {}
    for measure in measures_with_status(plan):
        if measure.pk not in published:
            continue
        latest = measure.latest_reading
        by_outcome.setdefault(measure.outcome_id, []).append({
            "name": published[measure.pk].name,
            "latest": _result(measure, latest.value if latest else None,
                              base=latest.sample_size if latest else None, kind=measure.kind),
            "latest_period": latest.period.financial_quarter if latest else None,
            "answered_by": public_count(latest.sample_size) if latest else None,
            "before": _result(measure, measure.baseline, base=measure.baseline_sample_size,
                              kind=measure.kind),
            "before_period": measure.baseline_period or None,
            "aim": _result(measure, measure.target, base=None, kind=measure.kind),
        })
    return by_outcome


def _outcomes(workstream_ids: list[int], outcomes: list[Outcome],
              measures: dict[int, list[dict]]) -> list[dict]:
    return [{"for_whom": outcome.get_for_whom_display(),
             "what_will_be_different": outcome.what_will_be_different,
             "measures": measures.get(outcome.pk, [])}
            for outcome in outcomes if outcome.workstream_id in workstream_ids]


def _section(*, number: int | None, title: str, found: dict | None,
             workstreams: list[Workstream], items: dict[int, list[dict]],
             outcomes: list[Outcome], measures: dict[int, list[dict]]) -> dict:
    ids = [workstream.pk for workstream in workstreams]
    actions = [item for pk in ids for item in items.get(pk, [])]
    return {
        "number": number,
        "title": title,
        **(found or {}),
        "actions": actions,
        "no_actions": NO_SUMMARY_SENTENCE if not actions else None,
        "progress": _progress_counts(actions),
        "outcomes": _outcomes(ids, outcomes, measures),
    }


def you_said_we_did(plan: Plan, *, preview: bool = False,
                    weakness: int | None = None) -> list[dict]:
    """Published entries, newest first (preview: drafts too), of one weakness if given."""
    entries = YouSaidWeDid.objects.filter(plan=plan).select_related("weakness")
    if not preview:
        entries = entries.filter(is_published=True)
    if weakness is not None:
        entries = entries.filter(weakness__number=weakness)
    rows = []
    for entry in entries.order_by("-published_at", "-created_at"):
        row = {
            "weakness": entry.weakness.number if entry.weakness_id else None,
            "weakness_title": entry.weakness.summary if entry.weakness_id else None,
            "you_said": entry.said,
            "where": entry.get_where_display(),
            "where_detail": entry.where_detail or None,
            "how_many_said_it": public_count(entry.people),
            "we_did": entry.did,
            "how_you_can_see_it": entry.evidence or None,
            "what_we_could_not_change": entry.not_possible or None,
            "published_on": (timezone.localdate(entry.published_at).isoformat()
                             if entry.is_published and entry.published_at else None),
        }
        if preview:
            row["preview_state"] = "Published" if entry.is_published else "Not published yet"
        rows.append(row)
    return rows


def last_updated(plan: Plan) -> dt.date | None:
    """The day the page last changed: something published or withdrawn, a progress report
    on an action the page shows, or a new result of a measure it shows."""
    moments = []
    for model in (ActionSummary, PlainEnglishFinding, PublicMeasure, YouSaidWeDid):
        moments += model.objects.filter(plan=plan).aggregate(
            a=Max("published_at"), b=Max("withdrawn_at")).values()
    moments.append(ProgressUpdate.objects.filter(
        action__plan=plan, action__published_summary__is_published=True).aggregate(
        m=Max("created_at"))["m"])
    moments.append(MeasureReading.objects.filter(
        measure__plan=plan, measure__publication__is_published=True,
        area__isnull=True).aggregate(m=Max("entered_at"))["m"])
    moments = [moment for moment in moments if moment is not None]
    return timezone.localdate(max(moments)) if moments else None


def public_content(plan: Plan, *, preview: bool = False, weakness: int | None = None) -> dict:
    """Everything the public page shows, as plain data (the JSON is exactly this)."""
    vocabulary = plan.vocabulary
    settings = page_settings(plan)
    items = _action_items(plan, preview=preview)
    measures = _measure_items(plan)
    outcomes = list(Outcome.objects.filter(plan=plan).order_by("workstream__order", "order"))
    workstreams = list(Workstream.objects.filter(plan=plan))
    weaknesses = list(Weakness.objects.filter(plan=plan).prefetch_related("points"))
    findings = {finding.weakness_id: finding
                for finding in PlainEnglishFinding.objects.filter(plan=plan)}
    sections = [
        _section(number=weakness_.number, title=weakness_.summary,
                 found=_found(weakness_, findings.get(weakness_.pk), preview=preview,
                              letter_published=plan.report_published),
                 workstreams=[w for w in workstreams if w.weakness_id == weakness_.pk],
                 items=items, outcomes=outcomes, measures=measures)
        for weakness_ in weaknesses]
    # Work for the plan as a whole (Essex's OV, leadership and governance) answers no one
    # weakness: it has a section of its own, named by the workstream.
    other = [
        _section(number=None, title=workstream.name, found=None,
                 workstreams=[workstream], items=items, outcomes=outcomes, measures=measures)
        for workstream in workstreams if workstream.weakness_id is None]
    entries = you_said_we_did(plan, preview=preview, weakness=weakness)
    content = {
        "area": plan.local_area.name,
        "plan": vocabulary.plan_name,
        "title": plan.title,
        "part": vocabulary.Part,
        "last_updated": (day.isoformat() if (day := last_updated(plan)) else None),
        "feedback_email": settings.feedback_email or None,
        "figures_are_illustrative": plan.has_demo_data,
        "weaknesses": sections,
        "other_work": [section for section in other if section["actions"]
                       or section["outcomes"]],
        "you_said_we_did": entries,
        "you_said_we_did_weakness": weakness,
        "progress_words": [{"progress": progress_words(rag), "progress_key": rag or "none",
                            "meaning": PROGRESS_MEANINGS[rag]}
                           for rag in PROGRESS_ORDER],
    }
    content["glossary"] = [{"term": term, "meaning": meaning}
                           for term, meaning in glossary_for(
                               [INTRODUCTION_TERMS, *_texts(content)])]
    return content


def _texts(value):
    """Every string in the content, for the glossary to find the terms it uses."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def published_text(action: Action) -> str:
    """What families read of the action now: its published summary, or nothing (read with
    select_related("published_summary"))."""
    published = getattr(action, "published_summary", None)
    return published.text if published is not None and published.is_published else ""


def weakness_numbers(plan: Plan) -> list[tuple[int, str]]:
    return list(Weakness.objects.filter(plan=plan).values_list("number", "summary"))


def publishing_overview(plan: Plan) -> dict:
    """What the officer's publishing page lists: every action with its draft and published
    summary, every measure and whether it is public, every entry."""
    actions = list(Action.objects.filter(plan=plan)
                   .select_related("workstream", "published_summary")
                   .order_by("workstream__order", "ref_number"))
    for action in actions:
        action.live_text = published_text(action)
        action.draft_differs = bool(action.public_summary.strip()) and (
            action.public_summary.strip() != action.live_text)
    measures = list(Measure.objects.filter(plan=plan).select_related(
        "publication", "outcome__workstream"))
    for measure in measures:
        publication = getattr(measure, "publication", None)
        measure.is_public = bool(publication and publication.is_published)
        measure.public_name = publication.name if publication else ""
    entries = list(YouSaidWeDid.objects.filter(plan=plan).select_related("weakness")
                   .order_by("-created_at"))
    weaknesses = list(Weakness.objects.filter(plan=plan).select_related("plain_english"))
    for weakness in weaknesses:
        finding = getattr(weakness, "plain_english", None)
        weakness.live_text = finding.text if finding and finding.is_published else ""
        weakness.draft = finding.draft if finding else ""
        weakness.draft_differs = bool(weakness.draft) and weakness.draft != weakness.live_text
    return {"actions": actions, "measures": measures, "entries": entries,
            "weaknesses": weaknesses, "settings": page_settings(plan)}


def action_for_publishing_or_404(plan: Plan, ref: str) -> Action:
    action = (Action.objects.filter(plan=plan, ref=ref)
              .select_related("workstream", "owner", "published_summary").first())
    if action is None:
        raise Http404("No such action.")
    return action


def weakness_for_publishing_or_404(plan: Plan, number: int) -> Weakness:
    weakness = Weakness.objects.filter(plan=plan, number=number).select_related(
        "plain_english").first()
    if weakness is None:
        raise Http404("No such weakness.")
    return weakness


def measure_for_publishing_or_404(plan: Plan, measure_id: int) -> Measure:
    measure = Measure.objects.filter(plan=plan, pk=measure_id).select_related(
        "publication").first()
    if measure is None:
        raise Http404("No such measure.")
    return measure


def entry_or_404(plan: Plan, entry_id: int) -> YouSaidWeDid:
    entry = YouSaidWeDid.objects.filter(plan=plan, pk=entry_id).first()
    if entry is None:
        raise Http404("No such entry.")
    return entry

