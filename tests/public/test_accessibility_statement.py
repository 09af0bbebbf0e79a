"""The accessibility statement: the GDS sample statement's sections, with this installation's
contact details, open to anyone."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SECTIONS = [
    "Accessibility statement for SEND improvement",
    "How accessible this service is",
    "Feedback and contact information",
    "Reporting accessibility problems with this service",
    "Enforcement procedure",
    "Technical information about this service’s accessibility",
    "Compliance status",
    "Non-accessible content",
    "Non-compliance with the accessibility regulations",
    "Disproportionate burden",
    "Content that’s not within the scope of the accessibility regulations",
    "What we’re doing to improve accessibility",
    "Preparation of this accessibility statement",
]


def test_the_statement_has_the_sections_of_the_gds_sample_in_order(client):
    body = client.get(reverse("accessibility")).content.decode()

    headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>",
                                                               body)]
    assert [h for h in headings if h in SECTIONS] == SECTIONS
    assert "partially compliant" in body
    assert "Equality Advisory and Support Service (EASS)" in body


def test_the_statement_gives_this_installations_contact_details(client, settings):
    settings.ACCESSIBILITY_CONTACT = {"organisation": "Essex County Council",
                                      "email": "send.access@essex.example.gov.uk",
                                      "phone": "0345 000 0000"}

    body = client.get(reverse("accessibility")).content.decode()

    assert "This service is run by Essex County Council." in body
    assert 'href="mailto:send.access@essex.example.gov.uk"' in body
    assert "call 0345 000 0000" in body


def test_without_contact_details_the_statement_still_says_whom_to_ask(client, settings):
    settings.ACCESSIBILITY_CONTACT = {"organisation": "", "email": "", "phone": ""}

    body = client.get(reverse("accessibility")).content.decode()

    assert "the council that runs this service" in body
    assert "mailto:" not in body
