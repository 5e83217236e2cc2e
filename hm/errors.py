"""The one exception type domain code raises; the CLI turns it into a message and exit code 1."""

from __future__ import annotations


class HmError(Exception):
    """A failure with a message meant for the person running the command."""
