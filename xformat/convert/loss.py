"""What a declared loss is: a code, the leg of the format it belongs to, the fields it covers.

The catalog (``xformat.convert.losses``) lists every loss of every leg; each format's legs are
written in their own module (``losses_v2`` for X API v2), all of this one shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

Leg = Literal["to_hub", "from_hub"]
"""A conversion runs through the native model (the hub): from the source format to the hub, then
from the hub to the target format. Each format other than the hub has both legs."""


class Direction(NamedTuple):
    """One leg of one format, whose losses the catalog lists together."""

    format: str
    """The format's canonical name (``xformat.formats``)."""
    leg: Leg


@dataclass(frozen=True)
class Loss:
    code: str
    direction: Direction
    fields: tuple[str, ...]
    """JSON paths relative to the leg's source record (``*`` matches any key or index)."""
    description: str


def _user(*names: str) -> tuple[str, ...]:
    return tuple(f"user.{name}" for name in names)


USER_DESIGN = _user(
    "profile_background_color",
    "profile_background_image_url",
    "profile_background_image_url_https",
    "profile_background_tile",
    "profile_link_color",
    "profile_sidebar_border_color",
    "profile_sidebar_fill_color",
    "profile_text_color",
    "profile_use_background_image",
    "default_profile",
    "default_profile_image",
)
"""A native user's profile design, which neither Activity Streams nor X API v2 carries."""
USER_SETTINGS = _user(
    "geo_enabled",
    "contributors_enabled",
    "is_translator",
    "is_translation_enabled",
    "translator_type",
    "has_extended_profile",
    "profile_location",
    "following",
    "follow_request_sent",
    "notifications",
)
"""A native user's account settings and the requesting account's relations to them: neither
Activity Streams nor X API v2 carries them."""
