"""A progress update as a lead gives it: the form, then the check-your-answers page, whose
"Confirm and save" sends back exactly what that page holds."""

from html.parser import HTMLParser

CHECK_TEMPLATE = "actions/update_check.html"


class _ConfirmForm(HTMLParser):
    """The fields of the check page's form, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method") == "post":
            self._in_form = True
        elif tag == "input" and self._in_form and attrs.get("name"):
            if attrs["name"] != "csrfmiddlewaretoken":
                self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False


def is_check_page(response) -> bool:
    return response.status_code == 200 and CHECK_TEMPLATE in [
        template.name for template in response.templates]


def confirm_payload(check_page) -> dict[str, str]:
    """What "Confirm and save" on the check page sends."""
    parser = _ConfirmForm()
    parser.feed(check_page.content.decode())
    assert parser.fields.get("confirm") == "1", "the check page has no confirmation form"
    return parser.fields


def give_update(client, url: str, data: dict, *, follow: bool = False):
    """Post the progress update form and, if it leads to the check page, confirm it. The
    response is the confirmation's, or the form's own when the form was refused."""
    check = client.post(url, data)
    if not is_check_page(check):
        return check
    return client.post(url, confirm_payload(check), follow=follow)
