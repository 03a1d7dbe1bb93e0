"""Lines a feed carries that are not posts, the same in both formats: system messages."""

from __future__ import annotations

from typing import Annotated

from msgspec import UNSET, Meta, UnsetType

from xformat.models.base import Base


class SystemMessage(Base, kw_only=True):
    """What a stream says of itself: a warning, an error (a forced disconnect ...), some information."""

    message: str
    sent: Annotated[str, Meta(description="When, e.g. '2016-05-27T22:15:50+00:00'.")] | UnsetType = UNSET


class UnprocessedRange(Base, kw_only=True):
    """The part of a Historical PowerTrack request that a failed job did not deliver."""

    fromDate: str
    toDate: str


class Info(SystemMessage, kw_only=True):
    activity_count: int | UnsetType = UNSET
    unprocessed_range: (
        Annotated[UnprocessedRange, Meta(description="Only when the request failed to complete.")] | UnsetType
    ) = UNSET


class InfoNotice(Base, kw_only=True):
    """``{"info": {...}}``: a stream's information, and the last line of a Historical PowerTrack
    file (``Replay Request Completed``, or ``... Failed to Complete`` with ``unprocessed_range``)."""

    info: Info


class WarnNotice(Base, kw_only=True):
    """``{"warn": {...}}``: a stream's warning."""

    warn: SystemMessage


class ErrorNotice(Base, kw_only=True):
    """``{"error": {...}}``: a stream's error, e.g. a forced disconnect."""

    error: SystemMessage
