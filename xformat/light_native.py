"""Enriched Native posts for the accessors: a light struct of the members they read, and its ``ReadPost``.

The structs mirror ``xformat.models.native`` member for member, with the same names and types,
but hold only what ``PostAccessors`` reads, so the accessors run on them unchanged. They leave
other members unread (msgspec skips them without building anything) and do not check patterns:
the two accessors that read a patterned value (``created_at_datetime``, ``author_id``) check it
themselves and leave a value they cannot vouch for to the native ``Post``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, cast

import msgspec
from msgspec import UNSET, UnsetType

from xformat.accessors import STRUCT_VALUED, PostAccessors, native_moment, utc_moment
from xformat.models.base import NativeTime
from xformat.readpost import Light, ReadPost, pattern_of

if TYPE_CHECKING:
    from xformat.formats import Format
    from xformat.models import Post

__all__ = ["DECODER", "NativeReadPost"]


class Text(Light, kw_only=True):
    """A hashtag or a symbol."""

    text: str


class Mention(Light, kw_only=True):
    screen_name: str


class Unwound(Light, kw_only=True):
    url: str | None


class Url(Light, kw_only=True):
    url: str
    expanded_url: str | None | UnsetType = UNSET
    unwound: Unwound | UnsetType = UNSET


class Media(Light, kw_only=True):
    media_url_https: str


class PollOption(Light, kw_only=True):
    position: int
    text: str


class Poll(Light, kw_only=True):
    options: list[PollOption]


class Entities(Light, kw_only=True):
    hashtags: list[Text] | UnsetType = UNSET
    symbols: list[Text] | UnsetType = UNSET
    user_mentions: list[Mention] | UnsetType = UNSET
    urls: list[Url] | UnsetType = UNSET
    media: list[Media] | UnsetType = UNSET
    polls: list[Poll] | UnsetType = UNSET


class ExtendedEntities(Light, kw_only=True):
    media: list[Media]


class Klout(Light, kw_only=True):
    score: int | float | UnsetType = UNSET
    user_id: str | UnsetType = UNSET
    profile_url: str | UnsetType = UNSET


class Derived(Light, kw_only=True):
    klout: Klout | UnsetType = UNSET


class User(Light, kw_only=True):
    id_str: str | UnsetType = UNSET
    name: str
    screen_name: str
    description: str | None | UnsetType = UNSET
    followers_count: int | UnsetType = UNSET
    friends_count: int | UnsetType = UNSET
    derived: Derived | UnsetType = UNSET


class Point(Light, kw_only=True):
    type: Literal["Point"]
    coordinates: tuple[float, float]


class ExtendedTweet(Light, kw_only=True):
    full_text: str
    entities: Entities
    extended_entities: ExtendedEntities | UnsetType = UNSET


class LightPost(Light, PostAccessors, kw_only=True):
    """What the accessors read of a native post (``id_str`` too: a post is told by it and ``user``)."""

    created_at: str
    id_str: str
    text: str | UnsetType = UNSET
    extended_mode_text: str | UnsetType = msgspec.field(default=UNSET, name="full_text")
    source: str | UnsetType = UNSET
    in_reply_to_status_id_str: str | None | UnsetType = UNSET
    user: User
    geo: Point | None | UnsetType = UNSET
    coordinates: Point | None | UnsetType = UNSET
    is_quote_status: bool | UnsetType = UNSET
    quoted_status: LightPost | UnsetType = UNSET
    retweeted_status: LightPost | UnsetType = UNSET
    extended_tweet: ExtendedTweet | UnsetType = UNSET
    entities: Entities | UnsetType = UNSET
    extended_entities: ExtendedEntities | UnsetType = UNSET
    lang: str | None | UnsetType = UNSET

    def _post(self) -> Post:
        return cast("Post", self)  # every member the accessors read, named and typed as Post's


DECODER = msgspec.json.Decoder(LightPost)

_NATIVE_TIME = pattern_of(NativeTime)


class NativeReadPost(ReadPost):
    """An Enriched Native post as read: ``PostAccessors`` over its light struct."""

    __slots__ = ("_light",)

    def __init__(self, raw: bytes, fmt: Format, light: LightPost) -> None:
        # Not through ReadPost.__init__: a call less for every record read.
        self._raw = raw
        self._format = fmt
        self._native = None
        self._light = light

    def _post(self) -> Post:
        return cast("Post", self._light)  # as LightPost._post

    @property
    def created_at_datetime(self) -> datetime:
        created_at = self._light.created_at
        moment = utc_moment(created_at)
        if moment is not None:
            return moment
        if _NATIVE_TIME.fullmatch(created_at) is None:
            return self.native.created_at_datetime  # the model's pattern refuses it: the full decode says why
        return native_moment(created_at)

    @property
    def author_id(self) -> str | None:
        user_id = self._light.user.id_str
        if user_id is UNSET:
            return None
        if not (user_id.isascii() and user_id.isdigit() and len(user_id) <= 20):  # IdStr's pattern
            return self.native.author_id
        return user_id


def _answered_by_native(name: str) -> property:
    def get(self: ReadPost) -> Any:
        return getattr(self.native, name)

    return property(get, doc=getattr(PostAccessors, name).__doc__)


# The accessors that give the model's own structs answer from the native Post, not the light one.
for _name in STRUCT_VALUED:
    setattr(NativeReadPost, _name, _answered_by_native(_name))
