"""What the management commands share."""

import argparse
import datetime as dt


def day_argument(value: str) -> dt.date:
    """A day given on the command line as YYYY-MM-DD, for add_argument(type=...): a wrong
    one stops the command with a message naming the option."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"must be a date such as 2026-12-07: {error}") from error
