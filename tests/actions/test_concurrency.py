"""No lost updates: a change based on an old version of an action is refused, the user is
told what changed, and their own words stay in the form."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.urls import reverse

from actions import services
from actions.models import Action, ProgressUpdate, Rag
from tests.factories import ActionFactory
from tests.progress_updates import confirm_payload, give_update


@pytest.fixture
def action(plan, jc):
    return ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.AMBER)


def test_stale_progress_update_is_refused_and_the_users_text_is_kept(
        client, jc_lead, administrator, action, period, plan):
    client.force_login(jc_lead)
    form_url = reverse("actions:update_new", kwargs={"plan_slug": plan.slug, "ref": action.ref})
    seen = client.get(form_url).context["form"]["version"].value()
    services.progress_update_create(action=action, user=administrator, expected_version=seen,
                                    rag=Rag.GREEN, narrative="Provider confirmed in writing.",
                                    period=period, date=dt.date(2020, 8, 1))
    mine = {"version": seen, "rag": "amber", "narrative": "My careful account of the delay.",
            "period": period.pk, "date": "2/8/2020", "completed_date": ""}

    response = client.post(form_url, mine)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this action while you were editing" in html
    assert "govuk-error-summary" in html
    assert "My careful account of the delay." in html
    assert "Provider confirmed in writing." in html  # what changed since
    form = response.context["form"]
    assert form["version"].value() == "2"
    assert form["rag"].value() == "amber"
    assert ProgressUpdate.objects.count() == 1

    resent = give_update(client, form_url, {**mine, "version": form["version"].value()})

    assert resent.status_code == 302
    action.refresh_from_db()
    assert (action.rag, action.version) == (Rag.AMBER, 3)
    assert ProgressUpdate.objects.count() == 2


@pytest.mark.parametrize("rag", ["red", "green"])
def test_stale_confirmation_is_refused_and_the_users_text_is_kept(
        client, jc_lead, administrator, action, period, plan, rag):
    client.force_login(jc_lead)
    form_url = reverse("actions:update_new", kwargs={"plan_slug": plan.slug, "ref": action.ref})
    mine = {"version": 1, "rag": rag, "narrative": "Provider withdrew.", "period": period.pk,
            "date": "2/8/2020", "completed_date": ""}
    check = client.post(form_url, mine)
    services.due_date_move(action=action, user=administrator, expected_version=1,
                           new_due_date=dt.date(2021, 6, 30), reason="Board agreed a delay.")

    response = client.post(form_url, confirm_payload(check))

    html = response.content.decode()
    assert "Someone else changed this action while you were editing" in html
    assert "Board agreed a delay." in html
    assert "Provider withdrew." in html
    action.refresh_from_db()
    assert action.rag == Rag.AMBER


def test_stale_due_date_move_is_refused_and_the_reason_is_kept(client, jc_lead, administrator,
                                                               action, plan):
    client.force_login(jc_lead)
    form_url = reverse("actions:due_date", kwargs={"plan_slug": plan.slug, "ref": action.ref})
    services.due_date_move(action=action, user=administrator, expected_version=1,
                           new_due_date=dt.date(2021, 6, 30), reason="Board agreed a delay.")

    response = client.post(form_url, {"version": 1, "new_due_date": "30/9/2021",
                                      "reason": "Staff shortage.", "confirm": "1"})

    html = response.content.decode()
    assert "Someone else changed this action while you were editing" in html
    assert "Staff shortage." in html
    assert response.context["form"]["version"].value() == "2"
    action.refresh_from_db()
    assert action.current_due_date == dt.date(2021, 6, 30)


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_leads_saving_at_once_one_wins_and_one_is_told(transactional_db, plan, jc, period,
                                                           jc_lead, administrator):
    action = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.AMBER)
    barrier = threading.Barrier(2, timeout=20)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def report(user, rag: str, words: str) -> None:
        try:
            seen = Action.objects.get(pk=action.pk)
            barrier.wait()  # both have read version 1 before either writes
            services.progress_update_create(action=seen, user=user,
                                            expected_version=seen.version, rag=rag,
                                            narrative=words, period=period,
                                            date=dt.date(2020, 8, 1))
            outcomes.append("saved")
        except services.ConflictError:
            outcomes.append("conflict")
        except BaseException as error:  # surfaced in the main thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=report, args=(jc_lead, Rag.GREEN, "Lead's account.")),
               threading.Thread(target=report, args=(administrator, Rag.RED, "Admin's account."))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors, errors
    assert sorted(outcomes) == ["conflict", "saved"]
    action.refresh_from_db()
    assert action.version == 2
    assert ProgressUpdate.objects.filter(action=action).count() == 1
