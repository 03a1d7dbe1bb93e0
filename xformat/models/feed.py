"""Lines a feed carries that are not posts in either format."""

from __future__ import annotations

from msgspec import UNSET, UnsetType

from xformat.models.base import Base


class Info(Base, kw_only=True):
    message: str
    sent: str | UnsetType = UNSET
    activity_count: int | UnsetType = UNSET


class InfoNotice(Base, kw_only=True):
    """The last line of a Historical PowerTrack file: ``{"info": {"message": ...}}``."""

    info: Info
