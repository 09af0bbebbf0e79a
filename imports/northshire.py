"""Northshire: a fictional local area whose plan is complete (owners, leads, dates,
milestones, RAG and narratives), so a newcomer can see a fully used plan. Everything here
is made up. The plan is a workbook in a council's own layout (fixtures/northshire_plan.xlsx,
written by `write_northshire_workbook`), loaded by `load_northshire_demo` through the
importer, followed by a quarter's returns workbook for each quarter up to today's."""

import datetime as dt
import random
from pathlib import Path

from django.conf import settings
from openpyxl import Workbook
from openpyxl.styles import Font

from actions.models import Rag
from plans.services import quarter_bounds

WORKBOOK = Path(settings.BASE_DIR) / "fixtures" / "northshire_plan.xlsx"
NAME = "Northshire"
SLUG = "northshire"
FIRST_UPDATE = dt.date(2025, 6, 27)

COUNCIL = "Northshire County Council"
ICB = "NHS Northshire Integrated Care Board"
FORUM = "Northshire Parent Carer Forum"
TRUST = "Northshire Community Health NHS Trust"
SCHOOLS = "Northshire Schools Forum"

# (number, summary) of each significant weakness; workstreams answer them.
WEAKNESSES = [
    (1, "Joint commissioning does not meet the needs of children and young people"),
    (2, "EHC plans are late and of variable quality"),
    (3, "Families do not know what support is available or how to find it"),
]
# code, name, weakness, sponsoring director, delivery team
WORKSTREAMS = [
    ("JC", "Joint commissioning", 1, "Dana Okafor, Director of Children's Services",
     "SEND Commissioning Team"),
    ("EHC", "EHC plans", 2, "Dana Okafor, Director of Children's Services",
     "EHC Assessment Team"),
    ("LO", "Local offer and co-production", 3, "Marcus Hale, Director of Public Health",
     "Local Offer Team"),
    ("HL", "Health pathways", 1, "Dr Helen Marsh, Chief Nursing Officer (ICB)",
     "Designated Clinical Officer Team"),
]
# code -> [(title, action lead, lead agency, partners, success criteria)]
ACTIONS = {
    "JC": [
        ("Agree a joint commissioning strategy for SEND across the council and the ICB",
         "Priya Nair, Head of SEND Commissioning", COUNCIL, [ICB, FORUM],
         "Strategy signed by both partners' boards; annual review published"),
        ("Set up a joint SEND commissioning board with pooled budget oversight",
         "Priya Nair, Head of SEND Commissioning", COUNCIL, [ICB],
         "Board meets monthly; pooled budget reported each quarter"),
        ("Map demand and gaps in provision using the joint strategic needs assessment",
         "Tom Brennan, Commissioning Analyst", COUNCIL, [ICB, SCHOOLS],
         "Needs assessment published; gaps costed"),
        ("Commission an all-age autism service with the parent carer forum",
         "Grace Adeyemi, Senior Commissioner", ICB, [COUNCIL, FORUM],
         "Service live; waiting time under 18 weeks"),
        ("Review short breaks and publish a new short breaks statement",
         "Tom Brennan, Commissioning Analyst", COUNCIL, [FORUM],
         "Statement published; take-up up by a fifth"),
        ("Agree a joint outcomes framework reported to the SEND Improvement Board",
         "Priya Nair, Head of SEND Commissioning", COUNCIL, [ICB],
         "Framework agreed; quarterly dashboard to the board"),
    ],
    "EHC": [
        ("Clear the backlog of EHC needs assessments over 20 weeks",
         "Liam Foster, Head of SEN Assessment", COUNCIL, [TRUST],
         "No assessment over 20 weeks; 60% within 20 weeks"),
        ("Introduce multi-agency quality assurance of new EHC plans",
         "Sofia Rossi, EHC Quality Lead", COUNCIL, [ICB, TRUST, SCHOOLS],
         "Every new plan audited; 80% good or better"),
        ("Train case workers in person-centred planning with families",
         "Sofia Rossi, EHC Quality Lead", COUNCIL, [FORUM],
         "All case workers trained; family feedback 75% positive"),
        ("Make annual reviews timely and amend plans within four weeks",
         "Liam Foster, Head of SEN Assessment", COUNCIL, [SCHOOLS],
         "90% of reviews on time; amendments within four weeks"),
        ("Agree health advice timescales with providers for EHC assessments",
         "Dr Amira Haddad, Designated Clinical Officer", ICB, [TRUST],
         "95% of health advice within six weeks"),
        ("Inform families in good time of any intention to cease an EHC plan",
         "Liam Foster, Head of SEN Assessment", COUNCIL, [FORUM],
         "Every cessation letter sent with four weeks' notice"),
    ],
    "LO": [
        ("Rebuild the local offer website with families",
         "Chloe Whitaker, Local Offer Manager", COUNCIL, [FORUM],
         "New site live; accessibility audit passed"),
        ("Publish a co-production charter signed by every partner",
         "Chloe Whitaker, Local Offer Manager", FORUM, [COUNCIL, ICB],
         "Charter signed; reviewed yearly with families"),
        ("Run termly 'you said, we did' sessions with parents and young people",
         "Ben Mensah, Participation Officer", COUNCIL, [FORUM],
         "Three sessions a year; actions reported back"),
        ("Give every school a named SEND link officer",
         "Ben Mensah, Participation Officer", COUNCIL, [SCHOOLS],
         "Every school knows its link officer"),
        ("Publish a plain-English guide to the graduated response",
         "Chloe Whitaker, Local Offer Manager", COUNCIL, [SCHOOLS, FORUM],
         "Guide published in four languages"),
    ],
    "HL": [
        ("Reduce waiting times for neurodevelopmental assessment",
         "Dr Amira Haddad, Designated Clinical Officer", ICB, [TRUST],
         "Median wait under 26 weeks"),
        ("Agree one speech and language therapy pathway across the county",
         "Rachel Ong, Therapies Lead", TRUST, [ICB, SCHOOLS],
         "Pathway agreed; one referral route"),
        ("Give families waiting for assessment a named contact and support offer",
         "Rachel Ong, Therapies Lead", TRUST, [FORUM],
         "Every waiting family contacted each term"),
        ("Report health outcomes for children with SEND to the board each quarter",
         "Dr Amira Haddad, Designated Clinical Officer", ICB, [COUNCIL],
         "Quarterly health report to the board"),
    ],
}
MILESTONES = ("Approach agreed with partners", "Delivered and reviewed with families")
NARRATIVES = {
    Rag.RED: ["Not started: resources are being agreed with partners.",
              "Stalled while a vacancy is filled; escalated to the SEND Improvement Board."],
    Rag.AMBER: ["Under way, but one milestone slipped; a recovery plan is agreed.",
                "Partners agree the approach; delivery depends on recruitment this quarter.",
                "Some delay from provider capacity; the lead expects to catch up."],
    Rag.GREEN: ["Milestones for the quarter met; the parent carer forum reviewed the draft.",
                "On track: partners report good engagement and evidence is being gathered.",
                "Delivering to plan; the first families have used the new offer."],
    Rag.BLUE: ["Complete: evidence of impact shared with the SEND Improvement Board."],
}
RAG_WORDS = {Rag.BLUE: "Complete", Rag.GREEN: "On track", Rag.AMBER: "Amber",
             Rag.RED: "Not started"}


def _refs():
    for code, name, weakness, director, team in WORKSTREAMS:
        for number, action in enumerate(ACTIONS[code], start=1):
            yield code, number, name, weakness, director, team, action


def _dates(code: str, number: int) -> tuple[dt.date, dt.date, list[dt.date]]:
    """Start, due date and milestone due dates: spread over 2025 to 2027."""
    rng = random.Random(f"northshire:{code}{number}")
    start = dt.date(2025, rng.choice([4, 5, 6]), 1)
    due = dt.date(rng.choice([2026, 2026, 2027]), rng.choice([3, 6, 9, 12]), 1)
    due = quarter_bounds(due)[2]
    halfway = start + (due - start) / 2
    return start, due, [quarter_bounds(halfway)[2], due]


def write_workbook(path: Path = WORKBOOK) -> Path:
    """The plan as Northshire's council keeps it: a cover sheet, a key, the action plan
    under its title rows with a heading per weakness, and the milestones."""
    book = Workbook()
    cover = book.active
    cover.title = "Cover"
    for line in ("Northshire Local Area SEND Partnership",
                 "Written Statement of Action: action plan",
                 "FICTIONAL: a made-up local area for trying the service. No person, "
                 "organisation or figure in it is real.", "Version 1.3"):
        cover.append([line])
    key = book.create_sheet("Key")
    key.append(["RAG rating", "Meaning"])
    for word, meaning in (("Complete", "Completed"), ("On track", "On track"),
                          ("Amber", "Medium risk"), ("Not started", "Significant risk or "
                                                                    "not started")):
        key.append([word, meaning])
    plan = book.create_sheet("Action plan")
    plan.append(["Northshire Written Statement of Action (fictional)"])
    plan.append(["Updated for the SEND Improvement Board, June 2025"])
    plan.append([])
    header = ["Action no.", "Action", "Workstream", "Accountable", "Lead agency",
              "Sponsoring director", "Responsible officer", "Delivery team", "Partners",
              "Start date", "Target date", "RAG rating", "Progress update", "Date of update",
              "KPI"]
    plan.append(header)
    for cell in plan[4]:
        cell.font = Font(bold=True)
    milestones = book.create_sheet("Milestones")
    milestones.append(["Action no.", "Milestone", "Due date", "Date completed"])
    current_weakness = None
    for weakness_number, summary in WEAKNESSES:
        for code, number, name, weakness, director, team, action in _refs():
            if weakness != weakness_number:
                continue
            if current_weakness != weakness:
                plan.append([f"Significant weakness {weakness}: {summary}"])
                current_weakness = weakness
            title, lead, agency, partners, criteria = action
            start, due, milestone_dates = _dates(code, number)
            rag = random.Random(f"northshire:first:{code}{number}").choice(
                [Rag.RED, Rag.AMBER, Rag.AMBER, Rag.GREEN])
            plan.append([
                f"{code}{number}", title, f"{code}: {name}", COUNCIL if agency == COUNCIL
                else agency, agency, director, lead, team, "; ".join(partners),
                start, due, RAG_WORDS[rag],
                random.Random(f"northshire:words:{code}{number}").choice(NARRATIVES[rag]),
                FIRST_UPDATE, criteria])
            for milestone, day in zip(MILESTONES, milestone_dates, strict=True):
                milestones.append([f"{code}{number}", milestone, day, None])
    for sheet in (plan, milestones):
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def quarters_since(first: dt.date, today: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """Each quarter after the one holding `first`, up to today's."""
    quarters = []
    label, start, end = quarter_bounds(first)
    while True:
        label, start, end = quarter_bounds(end + dt.timedelta(days=1))
        if start > today:
            return quarters
        quarters.append((label, start, end))


def next_rag(rag: str, rng: random.Random) -> str:
    """Mostly steady or improving, with the occasional slip."""
    roll = rng.random()
    if rag == Rag.RED:
        return Rag.AMBER if roll < 0.6 else Rag.RED
    if rag == Rag.AMBER:
        return Rag.GREEN if roll < 0.5 else Rag.RED if roll > 0.92 else Rag.AMBER
    return Rag.AMBER if roll < 0.12 else Rag.GREEN


def write_returns(path: Path, *, plan, label: str, start: dt.date, today: dt.date) -> Path:
    """The quarter's returns as leads send them back: RAG, progress and a date for every
    action still open, milestones done, and the odd due date moved."""
    from actions.models import Action

    day = min(start + dt.timedelta(days=45), today)
    book = Workbook()
    sheet = book.active
    sheet.title = f"Returns {label}"
    sheet.append([f"Northshire quarterly returns, {label} (fictional)"])
    sheet.append([])
    sheet.append(["Ref", "RAG", "Progress update", "Date of update", "Completed date",
                  "Due date"])
    done = book.create_sheet("Milestones")
    done.append(["Ref", "Milestone", "Due date", "Done date"])
    actions = Action.objects.filter(plan=plan).exclude(rag=Rag.BLUE).prefetch_related(
        "milestones").order_by("workstream__order", "ref_number")
    for action in actions:
        rng = random.Random(f"northshire:{label}:{action.ref}")
        rag = next_rag(action.rag or Rag.AMBER, rng)
        undone = [m for m in action.milestones.all() if m.done_date is None]
        due_now = [m for m in undone if m.due_date and m.due_date <= day]
        finishing = (rag == Rag.GREEN and action.current_due_date
                     and action.current_due_date <= quarter_bounds(day)[2]
                     and rng.random() < 0.7)
        if finishing:
            rag, due_now = Rag.BLUE, undone
        for milestone in due_now:
            done.append([action.ref, milestone.title, None, min(milestone.due_date, day)])
        moved = None
        if rag in (Rag.RED, Rag.AMBER) and action.current_due_date \
                and action.current_due_date <= day + dt.timedelta(days=60) and rng.random() < 0.5:
            moved = quarter_bounds(action.current_due_date + dt.timedelta(days=92))[2]
        sheet.append([action.ref, RAG_WORDS[rag], rng.choice(NARRATIVES[rag]), day,
                      day if rag == Rag.BLUE else None, moved])
    book.save(path)
    return path
