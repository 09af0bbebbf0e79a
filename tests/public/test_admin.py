"""The public page's records in the admin site: listed and read with their history, changed
only on the publishing pages; and every model the admin site lists opens for a superuser."""

import pytest
from django.contrib import admin
from django.urls import reverse

from public import services
from public.models import (
    ActionSummary,
    PlainEnglishFinding,
    PublicMeasure,
    PublicPage,
    YouSaidWeDid,
)
from tests.factories import ActionFactory, MeasureFactory, UserFactory, WeaknessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(plan, jc, officer):
    """One of each public record, published."""
    weakness = WeaknessFactory(plan=plan, number=1)
    action = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    services.summary_draft_save(action=action, text="Clinics open.", user=officer, reason="D")
    services.summary_publish(action=action, user=officer, reason="Agreed")
    services.finding_draft_save(weakness=weakness, text="Waits are long.", user=officer,
                                reason="D")
    services.finding_publish(weakness=weakness, user=officer, reason="Agreed")
    services.measure_publish(measure=MeasureFactory(plan=plan), name="Weeks waited",
                             user=officer, reason="Agreed")
    entry = services.entry_save(plan=plan, user=officer, reason="New", weakness=weakness,
                                said="Waits are long.", where="survey", did="More clinics.")
    services.entry_publish(entry=entry, user=officer, reason="Agreed")
    services.page_settings_save(plan=plan, feedback_email="send@example.gov.uk",
                                frame_origins="", user=officer, reason="Set up")


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="site-admin", is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize("model", [ActionSummary, PlainEnglishFinding, PublicMeasure,
                                   YouSaidWeDid, PublicPage])
def test_each_public_record_is_listed_and_read_but_not_changed_in_the_admin(
        superuser_client, published, model):
    opts = model._meta
    record = model.objects.get()

    listed = superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    read = superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change",
                                        args=[record.pk]))
    history = superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history",
                                           args=[record.pk]))

    assert listed.status_code == read.status_code == history.status_code == 200
    assert listed.context["cl"].result_count == 1
    assert 'name="_save"' not in read.content.decode()
    assert superuser_client.get(reverse(
        f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403


def test_every_admin_list_opens_for_a_superuser(superuser_client, published):
    failed = []
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        if superuser_client.get(url).status_code != 200:
            failed.append(url)
    assert not failed
