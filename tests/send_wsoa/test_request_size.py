"""A request larger than the service takes is refused, with a styled page, before Django
reads a byte of its body: an upload of any size would otherwise be spooled to disk first."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Evidence, ProgressUpdate
from tests.factories import ActionFactory

MB = 1024 * 1024
PDF_HEADER = b"%PDF-1.7\n1 0 obj <<>> endobj\n"


class UnreadableBody(io.RawIOBase):
    """A body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.fixture
def action(plan, jc):
    return ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)


def _address(name: str, action) -> str:
    return reverse(f"actions:{name}", kwargs={"plan_slug": action.plan.slug, "ref": action.ref})


def _stating(client, path: str, length: int):
    return client.post(path, data=b"", content_type="multipart/form-data; boundary=x",
                       CONTENT_LENGTH=str(length), **{"wsgi.input": UnreadableBody()})


def test_a_body_over_10_mb_is_refused_unread_with_a_styled_page(client, jc_lead, action):
    client.force_login(jc_lead)

    response = _stating(client, _address("update_new", action), 10 * MB + 1)

    assert response.status_code == 413
    page = response.content.decode()
    assert "<title>The file is too big – SEND improvement</title>" in page
    assert "it must be smaller than 10 MB" in page
    assert "/static/govuk/application.css" in page
    assert response["Connection"] == "close"
    assert not ProgressUpdate.objects.exists()


def test_a_body_over_10_mb_is_refused_before_sign_in_is_checked(client):
    response = _stating(client, reverse("login"), 50 * MB)

    assert response.status_code == 413


def test_a_body_of_10_mb_or_less_is_read_as_before(client, jc_lead, action):
    client.force_login(jc_lead)

    response = client.post(_address("update_new", action),
                           {"narrative": "x" * (2 * MB)})

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_an_evidence_upload_takes_a_file_up_to_its_own_limit(client, jc_lead, action):
    client.force_login(jc_lead)
    content = PDF_HEADER + b"0" * (12 * MB) + b"\n%%EOF\n"

    response = client.post(_address("evidence_new", action), {
        "title": "Board minutes", "url": "", "file": SimpleUploadedFile("minutes.pdf", content)})

    assert response.status_code == 302
    assert Evidence.objects.get().file.size == len(content)


def test_an_evidence_upload_over_its_limit_is_refused_unread(client, jc_lead, action):
    client.force_login(jc_lead)

    response = _stating(client, _address("evidence_new", action), 21 * MB)

    assert response.status_code == 413
    assert "it must be smaller than 20.0625 MB" not in response.content.decode()
    assert "it must be smaller than 20 MB" in response.content.decode()


def test_a_content_length_that_is_not_a_number_is_a_bad_request(client):
    response = client.post(reverse("login"), data=b"", content_type="text/plain",
                           CONTENT_LENGTH="lots")

    assert response.status_code == 400
