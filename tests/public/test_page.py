"""The public page, its embed and its JSON: open to anyone, only published public text, small
numbers never shown, and right on the next request after anything is published."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from measures.models import Measure
from plans.models import BoardMeeting, Plan
from public import services
from public.models import ActionSummary, YouSaidWeDid
from tests.factories import (
    ActionFactory,
    EvidenceFactory,
    MeasureFactory,
    MeasureReadingFactory,
    MilestoneFactory,
    OrganisationFactory,
    OutcomeFactory,
    ProgressUpdateFactory,
    UserFactory,
    WeaknessFactory,
)

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    """The page's words as a reader sees them: tags gone, entities decoded, spaces single."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def public_urls(plan: Plan) -> list[str]:
    kwargs = {"plan_slug": plan.slug}
    return [reverse("public:page", kwargs=kwargs), reverse("public:embed", kwargs=kwargs),
            reverse("public:json", kwargs=kwargs)]


@pytest.fixture
def weakness(plan):
    return WeaknessFactory(plan=plan, number=1, summary="Joint commissioning",
                           text="Waiting times for assessment are too long.")


@pytest.fixture
def jc(plan, weakness):
    from tests.factories import WorkstreamFactory

    return WorkstreamFactory(plan=plan, code="JC", name="Joint commissioning",
                             weakness=weakness)


@pytest.fixture
def action(plan, jc):
    council = OrganisationFactory(plan=plan, name="Test Area Council")
    return ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag="green",
                         owner=council)


def publish_summary(action, officer, text: str):
    services.summary_draft_save(action=action, text=text, user=officer, reason="Drafted")
    services.summary_publish(action=action, user=officer, reason="Agreed by the board")


def test_anyone_reads_the_public_page_its_embed_and_json_without_signing_in(client, plan,
                                                                             weakness):
    for url in public_urls(plan):
        response = client.get(url)

        assert response.status_code == 200, url
        assert "public" in response["Cache-Control"]
        assert "no-store" not in response["Cache-Control"]
    assert "Joint commissioning" in page_text(client.get(public_urls(plan)[0]))


def test_a_draft_plan_has_no_public_page(client, plan):
    plan.status = Plan.Status.DRAFT
    plan._change_reason = "Back to draft"
    plan.save()

    for url in public_urls(plan):
        assert client.get(url).status_code == 404


def test_a_weakness_with_no_published_summary_says_so(client, plan, action):
    action.public_summary = "A draft nobody has agreed."
    action._change_reason = "Draft"
    action.save()

    text = page_text(client.get(public_urls(plan)[0]))

    assert "We have not published a summary of the work on this yet." in text
    assert "A draft nobody has agreed." not in text


def test_a_published_summary_shows_the_organisation_and_progress_in_words(client, plan, action,
                                                                          officer):
    publish_summary(action, officer, "We are opening two new assessment clinics.")

    text = page_text(client.get(public_urls(plan)[0]))

    assert "We are opening two new assessment clinics." in text
    assert "Test Area Council" in text
    assert "On track" in text
    data = client.get(public_urls(plan)[2]).json()
    [item] = data["weaknesses"][0]["actions"]
    assert item == {"ref": "JC1", "summary": "We are opening two new assessment clinics.",
                    "responsible": "Test Area Council", "progress": "On track",
                    "progress_key": "green"}


SECRET = "zebra-crossing-secret"


def test_nothing_internal_ever_reaches_the_public_page_or_its_json(client, plan, action, jc,
                                                                   officer, period):
    """A secret phrase in every internal field, published text beside it: the phrase is in
    none of the public outputs."""
    author = UserFactory(username=f"{SECRET}-user", first_name=f"{SECRET}First",
                         last_name=f"{SECRET}Last")
    officer.first_name, officer.last_name = f"{SECRET}Officer", f"{SECRET}Surname"
    officer.save()
    action.title = f"{SECRET} title"
    action.description = f"{SECRET} description"
    action.success_criteria = f"{SECRET} success"
    action.source_passage = f"{SECRET} passage"
    action._change_reason = f"{SECRET} reason for the action"
    action.save()
    ProgressUpdateFactory(action=action, period=period, narrative=f"{SECRET} narrative",
                          author=author)
    MilestoneFactory(action=action, title=f"{SECRET} milestone")
    EvidenceFactory(action=action, title=f"{SECRET} evidence", file="",
                    url=f"https://example.org/{SECRET}")
    BoardMeeting.objects.create(plan=plan, date=period.end, notes=f"{SECRET} board notes")
    outcome = OutcomeFactory(plan=plan, workstream=jc, outcome=f"{SECRET} outcome aim")
    measure = MeasureFactory(plan=plan, outcome=outcome, title=f"{SECRET} measure title",
                             how_measured=f"{SECRET} how", data_source=f"{SECRET} source",
                             baseline_note=f"{SECRET} baseline", target_note=f"{SECRET} target")
    MeasureReadingFactory(measure=measure, period=period, value=12, note=f"{SECRET} note",
                          source=f"{SECRET} reading source", entered_by=author)
    hidden = MeasureFactory(plan=plan, outcome=outcome, title="A measure kept inside")
    services.measure_publish(measure=hidden, name=f"{SECRET} withdrawn measure", user=officer,
                             reason="Publish")
    services.measure_withdraw(measure=hidden, user=officer, reason=f"{SECRET} withdrawing")
    services.measure_publish(measure=measure, name="Weeks waited for an assessment",
                             user=officer, reason=f"{SECRET} publishing reason")
    publish_summary(action, officer, "We are opening new clinics.")
    # A later draft, not published: families still read the published text.
    services.summary_draft_save(action=action, text=f"{SECRET} draft summary", user=officer,
                                reason="Redraft")
    YouSaidWeDid.objects.create(plan=plan, said=f"{SECRET} unpublished said",
                                where="survey", did=f"{SECRET} unpublished did")
    withdrawn = services.entry_save(plan=plan, user=officer, reason="New", weakness=None,
                                    said=f"{SECRET} withdrawn said", where="forum",
                                    did="Something")
    services.entry_publish(entry=withdrawn, user=officer, reason="Publish")
    services.entry_withdraw(entry=withdrawn, user=officer, reason=f"{SECRET} withdraw")
    weakness = action.workstream.weakness
    services.finding_draft_save(weakness=weakness, text="Families wait too long.",
                                user=officer, reason=f"{SECRET} drafting reason")
    services.finding_publish(weakness=weakness, user=officer, reason=f"{SECRET} publishing")
    # A later draft, not published: families still read the published version.
    services.finding_draft_save(weakness=weakness, text=f"{SECRET} plain-English draft",
                                user=officer, reason="Redraft")
    second = WeaknessFactory(plan=plan, number=2, summary="EHC plans",
                             text="Plans are late.")
    services.finding_draft_save(weakness=second, text=f"{SECRET} withdrawn plain English",
                                user=officer, reason="Draft")
    services.finding_publish(weakness=second, user=officer, reason="Publish")
    services.finding_withdraw(weakness=second, user=officer, reason=f"{SECRET} withdraw it")
    assert AuditEntry.objects.filter(reason__contains=SECRET).exists()

    for url in public_urls(plan):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200
        leaks = re.findall(SECRET + r"[^<\"]{0,30}", body)
        assert not leaks, f"{url} shows {leaks}"
        assert "We are opening new clinics." in body
        assert "Weeks waited for an assessment" in body
        assert "Families wait too long." in body
        # The weakness whose version was withdrawn is quoted in the inspectors' words.
        assert "Plans are late." in body


def test_small_numbers_are_never_published(client, plan, action, jc, officer, period):
    """Counts from 1 to 4 read "fewer than 5"; a percentage of fewer than 5 people is not
    shown; in the page, the embed and the JSON alike."""
    outcome = OutcomeFactory(plan=plan, workstream=jc)
    count = MeasureFactory(plan=plan, outcome=outcome, kind=Measure.Kind.COUNT, unit="",
                           baseline=Decimal(4), baseline_period="2019")
    MeasureReadingFactory(measure=count, period=period, value=3)
    share = MeasureFactory(plan=plan, outcome=outcome, kind=Measure.Kind.PERCENTAGE, unit="",
                           baseline=Decimal("83.3"), baseline_sample_size=4)
    MeasureReadingFactory(measure=share, period=period, value=Decimal("37.25"), sample_size=4)
    services.measure_publish(measure=count, name="Children waiting over a year", user=officer,
                             reason="Publish")
    services.measure_publish(measure=share, name="Families who felt listened to",
                             user=officer, reason="Publish")
    publish_summary(action, officer, "Clinics open.")
    entry = services.entry_save(plan=plan, user=officer, reason="New", weakness=None,
                                said="Letters are hard to read.", where="survey", people=2,
                                did="We rewrote them.")
    services.entry_publish(entry=entry, user=officer, reason="Publish")

    data = client.get(public_urls(plan)[2]).json()
    measures = {m["name"]: m for m in data["weaknesses"][0]["outcomes"][0]["measures"]}
    counted = measures["Children waiting over a year"]
    assert (counted["latest"], counted["before"]) == ("fewer than 5", "fewer than 5")
    shared = measures["Families who felt listened to"]
    assert shared["latest"] == shared["before"] == "Not shown: fewer than 5 people answered"
    assert shared["answered_by"] == "fewer than 5"
    assert data["you_said_we_did"][0]["how_many_said_it"] == "fewer than 5"
    # One action on track: a count of 1.
    assert data["weaknesses"][0]["progress"] == [
        {"progress": "On track", "progress_key": "green", "count": "fewer than 5"}]
    for url in public_urls(plan):
        body = client.get(url).content.decode()
        assert "37.25" not in body and "83.3" not in body, url
    text = page_text(client.get(public_urls(plan)[0]))
    assert "Latest result fewer than 5 (2020-21 Q2)" in text
    assert "How many said it fewer than 5" in text
    assert "On track fewer than 5 of the pieces of work below" in text


def test_five_or_more_are_shown_as_they_are(client, plan, jc, officer, period):
    outcome = OutcomeFactory(plan=plan, workstream=jc)
    share = MeasureFactory(plan=plan, outcome=outcome, kind=Measure.Kind.PERCENTAGE, unit="",
                           baseline=Decimal("40"), baseline_sample_size=2471)
    MeasureReadingFactory(measure=share, period=period, value=Decimal("61.5"), sample_size=5)
    services.measure_publish(measure=share, name="Families who felt listened to",
                             user=officer, reason="Publish")

    [shown] = client.get(public_urls(plan)[2]).json()["weaknesses"][0]["outcomes"][0][
        "measures"]

    assert (shown["latest"], shown["answered_by"], shown["before"]) == ("61.5%", "5", "40%")


def test_publishing_and_withdrawing_change_the_page_on_the_next_request(client, plan, action,
                                                                        officer):
    url = public_urls(plan)[0]
    first = client.get(url)
    assert first.status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    officer_client = type(client)()
    officer_client.force_login(officer)
    officer_client.post(reverse("publishing:summary_edit", kwargs={
        "plan_slug": plan.slug, "ref": "JC1"}), {"text": "New clinics open in May.",
                                                  "reason": "Drafted for the Local Offer"})
    assert "New clinics open in May." not in page_text(client.get(url))
    response = officer_client.post(reverse("publishing:publish", kwargs={
        "plan_slug": plan.slug, "kind": "actions", "key": "JC1"}),
        {"reason": "Agreed at the board"})
    assert response.status_code == 302

    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert "New clinics open in May." in page_text(after)
    officer_client.post(reverse("publishing:withdraw", kwargs={
        "plan_slug": plan.slug, "kind": "actions", "key": "JC1"}),
        {"reason": "Clinic dates changed"})
    assert "New clinics open in May." not in page_text(client.get(url))


def test_publishing_and_withdrawing_are_in_the_audit_trail_with_their_reason(client, plan,
                                                                              action, officer):
    publish_summary(action, officer, "Clinics open.")
    services.summary_withdraw(action=action, user=officer, reason="Dates changed")

    entries = AuditEntry.objects.filter(plan=plan, object_kind="published action summary")
    assert [(e.change_type, e.reason) for e in entries.order_by("sequence")] == [
        ("created", "Agreed by the board"), ("changed", "Dates changed")]
    assert all(entry.actor == officer for entry in entries)


def test_publishing_needs_a_reason(client, plan, action, officer):
    client.force_login(officer)
    services.summary_draft_save(action=action, text="Clinics open.", user=officer,
                                reason="Drafted")

    response = client.post(reverse("publishing:publish", kwargs={
        "plan_slug": plan.slug, "kind": "actions", "key": "JC1"}), {"reason": ""})

    assert response.status_code == 200
    assert "Enter the reason for this change" in page_text(response)
    assert not ActionSummary.objects.filter(action=action).exists()


def test_the_json_holds_the_same_content_as_the_page(client, plan, action, jc, officer, period):
    outcome = OutcomeFactory(plan=plan, workstream=jc,
                             what_will_be_different="Shorter waits for an EHC plan.")
    measure = MeasureFactory(plan=plan, outcome=outcome)
    MeasureReadingFactory(measure=measure, period=period, value=Decimal("14.5"))
    services.measure_publish(measure=measure, name="Weeks waited", user=officer, reason="P")
    publish_summary(action, officer, "Clinics open in every CCG area.")
    entry = services.entry_save(plan=plan, user=officer, reason="New", weakness=jc.weakness,
                                said="Waits are too long.", where="forum",
                                where_detail="Summer forum", people=40, did="More clinics.",
                                evidence="The waiting list halved.",
                                not_possible="Weekend clinics: no staff.")
    services.entry_publish(entry=entry, user=officer, reason="Publish")
    services.page_settings_save(plan=plan, feedback_email="send@test-area.gov.uk",
                                frame_origins="", user=officer, reason="Set up")
    services.finding_draft_save(weakness=jc.weakness, text="Families wait too long for help.",
                                user=officer, reason="Drafted")
    services.finding_publish(weakness=jc.weakness, user=officer, reason="Agreed")
    quoted = WeaknessFactory(plan=plan, number=2, summary="EHC plans",
                             text="Plans are issued late.")
    quoted.points.create(order=1, text="Too few plans are issued within 20 weeks.")

    data = client.get(public_urls(plan)[2]).json()
    text = page_text(client.get(public_urls(plan)[0]))
    embedded = page_text(client.get(public_urls(plan)[1]))

    machine_keys = {"progress_key", "last_updated", "published_on", "plan_slug"}

    def leaves(value, key=""):
        if isinstance(value, dict):
            for name, item in value.items():
                yield from leaves(item, name)
        elif isinstance(value, list):
            for item in value:
                yield from leaves(item, key)
        elif isinstance(value, str) and key not in machine_keys:
            yield key, value

    missing = [(key, value) for key, value in leaves(data)
               if value not in text or value not in embedded]
    assert not missing
    first, second = data["weaknesses"]
    assert (first["found"], first["found_in_plain_english"], first["found_quoted_from"]) == (
        "Families wait too long for help.", True, None)
    assert (second["found"], second["found_points"], second["found_in_plain_english"]) == (
        "Plans are issued late.", ["Too few plans are issued within 20 weeks."], False)
    assert "quoted from the inspection letter" in second["found_quoted_from"]
    assert {"CCG", "EHC plan"} <= {word["term"] for word in data["glossary"]}
    assert data["feedback_email"] == "send@test-area.gov.uk"
    assert data["last_updated"] is not None


def test_you_said_we_did_is_newest_first_and_filters_by_weakness(client, plan, jc, officer):
    second = WeaknessFactory(plan=plan, number=2, summary="EHC plans")
    for said, weakness in (("First said.", jc.weakness), ("Second said.", second),
                           ("Third said.", None)):
        entry = services.entry_save(plan=plan, user=officer, reason="New", weakness=weakness,
                                    said=said, where="survey", did="Done.")
        services.entry_publish(entry=entry, user=officer, reason="Publish")

    data = client.get(public_urls(plan)[2]).json()
    assert [e["you_said"] for e in data["you_said_we_did"]] == [
        "Third said.", "Second said.", "First said."]
    url = public_urls(plan)[0]
    filtered = page_text(client.get(url, {"weakness": 2}))
    assert "Second said." in filtered
    assert "First said." not in filtered and "Third said." not in filtered
    assert [e["you_said"] for e in client.get(public_urls(plan)[2], {"weakness": 1}).json()[
        "you_said_we_did"]] == ["First said."]


def test_a_published_entry_is_withdrawn_before_it_changes(plan, officer):
    entry = services.entry_save(plan=plan, user=officer, reason="New", weakness=None,
                                said="Said.", where="survey", did="Did.")
    services.entry_publish(entry=entry, user=officer, reason="Publish")

    with pytest.raises(services.ValidationError, match="Withdraw the entry"):
        services.entry_save(plan=plan, entry=entry, user=officer, reason="Fix", weakness=None,
                            said="Said again.", where="survey", did="Did.")


def test_the_embed_may_be_framed_only_by_the_sites_the_plan_names(client, plan, officer):
    url = public_urls(plan)[1]
    closed = client.get(url)
    assert "frame-ancestors 'none'" in closed["Content-Security-Policy"]
    assert closed["X-Frame-Options"] == "DENY"

    services.page_settings_save(plan=plan, feedback_email="",
                                frame_origins="https://www.localoffer.example.org/\n",
                                user=officer, reason="The Local Offer frames it")
    framed = client.get(url)

    assert "frame-ancestors https://www.localoffer.example.org" in framed[
        "Content-Security-Policy"]
    assert "X-Frame-Options" not in framed
    # The page itself is framed by no one.
    assert "frame-ancestors 'none'" in client.get(public_urls(plan)[0])[
        "Content-Security-Policy"]


@pytest.mark.parametrize("origins", ["http://insecure.example.org",
                                     "https://example.org/a-page", "https://*.example.org",
                                     "not an address"])
def test_only_whole_https_sites_may_frame_the_embed(plan, officer, origins):
    with pytest.raises(services.ValidationError, match="Line 1"):
        services.page_settings_save(plan=plan, feedback_email="", frame_origins=origins,
                                    user=officer, reason="Set up")


def test_preview_shows_drafts_marked_as_not_published(client, plan, action, officer,
                                                      board_member):
    services.summary_draft_save(action=action, text="Clinics will open.", user=officer,
                                reason="Drafted")
    client.force_login(board_member)

    text = page_text(client.get(reverse("publishing:preview",
                                        kwargs={"plan_slug": plan.slug})))

    assert "Clinics will open." in text
    assert "Not published yet" in text
    assert "Clinics will open." not in page_text(client.get(public_urls(plan)[0]))


def test_the_essex_public_page_shows_its_three_weaknesses_and_outcomes(client, essex):
    text = page_text(client.get("/public/essex/"))

    for summary in ("Over-identification of MLD", "Joint commissioning", "Quality of EHCPs"):
        assert summary in text
    for outcome in essex.outcomes.all():
        assert " ".join(outcome.what_will_be_different.split()) in text
    # No action of Essex has a published summary: each weakness says so.
    assert text.count("We have not published a summary of the work on this yet.") >= 3
    assert "MLD Moderate learning difficulty." in text


def test_the_page_and_embed_need_no_script(client, plan, weakness):
    """No script to fail with JavaScript off, and no nonce to tie a cached copy to one
    response: the weakness filter is a plain form."""
    for url in public_urls(plan)[:2]:
        body = client.get(url).content.decode()

        assert "<script" not in body
        assert '<form method="get"' in body


def test_the_plans_audit_trail_shows_who_published_what_and_why(client, plan, action, officer,
                                                                board_member):
    publish_summary(action, officer, "Clinics open.")
    client.force_login(board_member)

    text = page_text(client.get(reverse("audit:list", kwargs={"plan_slug": plan.slug})))

    assert "Public summary of JC1" in text
    assert "Agreed by the board" in text


def test_withdrawing_shows_the_text_families_read_now_not_a_later_draft(client, plan, action,
                                                                         officer):
    publish_summary(action, officer, "Clinics open in May.")
    services.summary_draft_save(action=action, text="Clinics open in June.", user=officer,
                                reason="Redraft")
    client.force_login(officer)

    text = page_text(client.get(reverse("publishing:withdraw", kwargs={
        "plan_slug": plan.slug, "kind": "actions", "key": "JC1"})))

    assert "Clinics open in May." in text
    assert "Clinics open in June." not in text


# What the inspectors found, in plain English -------------------------------------------

def test_until_a_plain_english_version_is_published_the_inspectors_words_are_quoted(
        client, plan, weakness, officer):
    plan.report_published = dt.date(2019, 12, 16)
    plan._change_reason = "Report date"
    plan.save()
    services.finding_draft_save(weakness=weakness, text="Children wait too long.",
                                user=officer, reason="Drafted")

    text = page_text(client.get(public_urls(plan)[0]))

    assert ("The inspectors' own words, quoted from the inspection letter published on "
            "16 December 2019: Waiting times for assessment are too long.") in text
    assert "Children wait too long." not in text


def test_a_published_plain_english_version_replaces_the_quotation_until_withdrawn(
        client, plan, weakness, officer):
    services.finding_draft_save(weakness=weakness, text="Children wait too long.",
                                user=officer, reason="Drafted")
    services.finding_publish(weakness=weakness, user=officer, reason="Agreed by the board")

    published = page_text(client.get(public_urls(plan)[0]))
    assert "What the inspectors found Children wait too long." in published
    assert "Waiting times for assessment are too long." not in published
    assert "quoted from the inspection letter" not in published

    services.finding_withdraw(weakness=weakness, user=officer, reason="Being rewritten")
    withdrawn = page_text(client.get(public_urls(plan)[0]))
    assert "Children wait too long." not in withdrawn
    assert "quoted from the inspection letter: Waiting times for assessment" in withdrawn
    entries = AuditEntry.objects.filter(plan=plan, object_kind="plain-English finding")
    assert [e.reason for e in entries.order_by("sequence")] == [
        "Drafted", "Agreed by the board", "Being rewritten"]
    assert all(entry.actor == officer for entry in entries)


def test_an_officer_writes_publishes_and_withdraws_the_plain_english_version(client, plan,
                                                                              weakness,
                                                                              officer):
    client.force_login(officer)
    kwargs = {"plan_slug": plan.slug}
    assert client.post(reverse("publishing:publish", kwargs={
        **kwargs, "kind": "weaknesses", "key": "1"}), {"reason": "Too soon"}).status_code == 200
    response = client.post(reverse("publishing:finding_edit", kwargs={**kwargs, "number": 1}),
                           {"text": "Children wait too long.", "reason": ""})
    assert "Enter the reason for this change" in page_text(response)

    client.post(reverse("publishing:finding_edit", kwargs={**kwargs, "number": 1}),
                {"text": "Children wait too long.", "reason": "Drafted"})
    assert "Children wait too long." in page_text(client.get(
        reverse("publishing:manage", kwargs=kwargs)))
    assert "Children wait too long." not in page_text(client.get(public_urls(plan)[0]))
    response = client.post(reverse("publishing:publish", kwargs={
        **kwargs, "kind": "weaknesses", "key": "1"}), {"reason": "Agreed"})
    assert response.status_code == 302
    assert "Children wait too long." in page_text(client.get(public_urls(plan)[0]))
    client.post(reverse("publishing:withdraw", kwargs={
        **kwargs, "kind": "weaknesses", "key": "1"}), {"reason": "Out of date"})
    assert "Children wait too long." not in page_text(client.get(public_urls(plan)[0]))


def test_a_board_member_previews_the_plain_english_draft_but_cannot_write_it(
        client, plan, weakness, officer, board_member):
    services.finding_draft_save(weakness=weakness, text="Children wait too long.",
                                user=officer, reason="Drafted")
    client.force_login(board_member)

    text = page_text(client.get(reverse("publishing:preview",
                                        kwargs={"plan_slug": plan.slug})))

    assert "What the inspectors found Not published yet Children wait too long." in text
    assert client.post(reverse("publishing:finding_edit", kwargs={
        "plan_slug": plan.slug, "number": 1}), {"text": "Mine.", "reason": "x"}
    ).status_code == 403
