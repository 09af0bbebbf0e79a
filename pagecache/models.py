from django.db import models


class DataRevision(models.Model):
    """A single row whose token the database itself replaces on every write to the plan,
    its measures, accounts and audit trail (triggers in pagecache.database). A page cached
    under the token it was built from is therefore never served once anything changes, and
    a change made in the admin, a shell or a bulk load counts the same as one made in a form."""

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token
