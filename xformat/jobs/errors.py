"""What can go wrong with a compliance job. Each error is one line, and never holds the token."""

from __future__ import annotations

from xformat.errors import XFormatError


class JobError(XFormatError):
    """The API, the storage behind the signed URLs, or a job itself did not do what was asked."""


class AuthError(JobError):
    """The API refused the bearer token (401, 403): no retry can help."""


class JobConflict(JobError):
    """The API refused a new job because one of the same type is still running."""


class JobFailed(JobError):
    """A job ended ``failed`` or ``expired``, or its upload or results can no longer be reached."""


class TruncatedDownload(JobError):
    """A result file arrived shorter than announced, or its stream broke off."""
