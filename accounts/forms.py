from django.contrib.auth.forms import AuthenticationForm

from govuk.forms import GovUkFormMixin


class SignInForm(GovUkFormMixin, AuthenticationForm):
    """Django's sign-in form, its errors worded like every other form's."""

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive",
        "inactive": "This account is switched off. Ask the plan's administrator to turn it on",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_name = "your username"
        self.fields["password"].error_name = "your password"
