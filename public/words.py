"""The public page's words for the plan's terms: how far an action has got, as families
would say it (the colour is only ever a second cue), and the acronyms the page explains."""

import re

from actions.models import Rag

# The plan's colour key (Blue completed, Green on track, Amber medium risk, Red significant
# risk or not started) in families' words.
PROGRESS_WORDS = {
    Rag.BLUE: "Done",
    Rag.GREEN: "On track",
    Rag.AMBER: "Some risk",
    Rag.RED: "At risk or not started",
    "": "Not reported yet",
}
PROGRESS_TAGS = {
    Rag.BLUE: "govuk-tag--blue",
    Rag.GREEN: "govuk-tag--green",
    Rag.AMBER: "govuk-tag--yellow",
    Rag.RED: "govuk-tag--red",
    "": "govuk-tag--grey",
}
PROGRESS_MEANINGS = {
    Rag.BLUE: "The work is finished.",
    Rag.GREEN: "The work is going as planned.",
    Rag.AMBER: "There is some risk the work will be late or do less than planned.",
    Rag.RED: "There is a serious risk the work will be late or do less than planned, or it "
             "has not started yet.",
    "": "No one has reported on the work yet.",
}
# Worst last, as families read a list: done first.
PROGRESS_ORDER = [Rag.BLUE, Rag.GREEN, Rag.AMBER, Rag.RED, ""]


def progress_words(rag: str) -> str:
    return PROGRESS_WORDS.get(rag or "", PROGRESS_WORDS[""])


def progress_tag(key: str) -> str:
    """The tag colour for a progress key ("green", or "none" when not reported)."""
    return PROGRESS_TAGS.get("" if key == "none" else key or "", PROGRESS_TAGS[""])


# The acronyms and terms a public page may use, in plain words. Most are as section 10 of
# the Essex statement ("A guide to the acronyms and content of this document", 002) explains
# them; EHC plan, ICB, SENCO and SEN Support are not in that guide and are said here as
# the SEND Code of Practice (2015) and the Health and Care Act 2022 use them.
GLOSSARY: list[tuple[str, str]] = [
    ("SEND", "Special educational needs and/or disability."),
    ("SEN Support", "Help a school or nursery gives a child with special educational needs "
                    "without an EHC plan."),
    ("EHC plan", "Education, health and care plan: a legal document that says what support a "
                 "child or young person with special educational needs must get."),
    ("EHCP", "Education, health and care plan (see EHC plan)."),
    ("Ofsted", "Office for Standards in Education, Children's Services and Skills."),
    ("CQC", "Care Quality Commission: the body that regulates all health and social care "
            "services in England."),
    ("CCG", "Clinical commissioning group: it planned and bought healthcare services for its "
            "residents. Integrated care boards took over this work in July 2022."),
    ("ICB", "Integrated care board: the NHS body that plans and buys healthcare services for "
            "its area, since July 2022."),
    ("SENCO", "Special educational needs co-ordinator: the teacher who organises help for "
              "children with special educational needs in a school."),
    ("SENDIASS", "Special Educational Needs and Disability Information, Advice and Support "
                 "Service: free, impartial advice for families."),
    ("SENDIAS", "Special Educational Needs and Disability Information, Advice and Support "
                "(see SENDIASS)."),
    ("POET", "Personal Outcomes Evaluation Tool: an online survey completed anonymously by "
             "young people, families and practitioners about the support a child receives."),
    ("EFF", "Essex Family Forum: the parent carer network in Essex."),
    ("JWSoA", "Joint Written Statement of Action: the area's response and actions following "
              "the inspection."),
    ("WSOA", "Written Statement of Action: the area's response and actions following the "
             "inspection."),
    ("SALT", "Speech and language therapy."),
    ("SLC", "Speech, language and communication."),
    ("MLD", "Moderate learning difficulty."),
    ("SEMH", "Social, emotional and mental health."),
    ("ASD", "Autism spectrum disorder."),
    ("ADHD", "Attention deficit hyperactivity disorder."),
]
# A term counts where it stands as a word of its own, or with a plural "s" (EHC plans).
_TERM_PATTERNS = [(term, meaning, re.compile(rf"(?<![\w-]){re.escape(term)}s?(?![\w-])"))
                  for term, meaning in GLOSSARY]


def glossary_for(texts: list[str]) -> list[tuple[str, str]]:
    """The glossary entries whose term appears in `texts`, in the glossary's order."""
    whole = "\n".join(texts)
    return [(term, meaning) for term, meaning, pattern in _TERM_PATTERNS
            if pattern.search(whole)]
