"""The accessibility statement: the GDS sample statement's sections, with this installation's
contact details, open to anyone."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

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


def test_the_statements_target_dates_are_this_installations_own(client, settings):
    today = timezone.localdate()
    coming = (today.replace(day=1) + dt.timedelta(days=400)).replace(day=1)
    settings.ACCESSIBILITY_TARGETS = {"admin_pages_tested": coming,
                                      "specialist_audit": dt.date(2020, 6, 1)}

    body = client.get(reverse("accessibility")).content.decode()

    assert f"We plan to test them by {coming:%B %Y}." in body
    assert ("We planned to have the service tested with disabled users, including families "
            "using the public pages, and audited by an accessibility specialist by June 2020, "
            "and that date has passed.") in body


def test_without_target_dates_the_statement_promises_none(client, settings):
    settings.ACCESSIBILITY_TARGETS = {"admin_pages_tested": None, "specialist_audit": None}

    body = client.get(reverse("accessibility")).content.decode()

    assert "We plan to test them, and have not yet set a date for this." in body
    assert not re.search(r"by \w+ 20\d\d", body)


def test_a_target_month_in_the_wrong_form_stops_the_service_starting(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from send_wsoa.settings.base import env_month

    monkeypatch.setenv("ACCESSIBILITY_SPECIALIST_AUDIT_BY", "June 2027")
    with pytest.raises(ImproperlyConfigured, match="ACCESSIBILITY_SPECIALIST_AUDIT_BY must be "
                                                   "a month such as 2027-06"):
        env_month("ACCESSIBILITY_SPECIALIST_AUDIT_BY")
    monkeypatch.setenv("ACCESSIBILITY_SPECIALIST_AUDIT_BY", "2027-06")
    assert env_month("ACCESSIBILITY_SPECIALIST_AUDIT_BY") == dt.date(2027, 6, 1)
