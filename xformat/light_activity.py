"""Activity Streams posts for the accessors: a light struct of the members they read, and its ``ReadPost``.

``xformat.read`` used to decode an activity with every check and convert it to a native ``Post``
before any accessor ran. Here the accessors read the activity itself, each where the converter
(``xformat.convert.to_native``) takes the native member it stands for: ``full_text`` from
``long_object.body`` or ``body``, a Retweet's content from its ``object``, unwound links from
``gnip.urls``... The structs hold only those members, with the models' types (not their
patterns: the accessors that read a patterned value check it, and leave a value they cannot
vouch for to the native ``Post``, whose decode says why it is invalid). The accessors that give
the model's structs (``content_entities``, ``retweeted_post``...) answer from the native ``Post``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal, cast

import msgspec
from msgspec import UNSET, UnsetType

from xformat.accessors import Generator, PostType, _generator
from xformat.convert.links import parse_status_link
from xformat.convert.to_native import _source
from xformat.light_native import Entities, ExtendedEntities, Point
from xformat.models.activity import ActorId
from xformat.models.base import IsoTime
from xformat.readpost import Light, ReadPost, iso_moment, pattern_of

if TYPE_CHECKING:
    from xformat.formats import Format
    from xformat.models import activity as models

__all__ = ["DECODER", "ActivityReadPost"]


class Client(Light, kw_only=True):
    displayName: str
    link: str | UnsetType = UNSET


class Actor(Light, kw_only=True):
    id: str | UnsetType = UNSET
    displayName: str
    summary: str | None | UnsetType = UNSET
    friendsCount: int | UnsetType = UNSET
    followersCount: int | UnsetType = UNSET
    preferredUsername: str


class LongObject(Light, kw_only=True):
    body: str
    twitter_entities: Entities
    twitter_extended_entities: ExtendedEntities | UnsetType = UNSET


class GnipUrl(Light, kw_only=True):
    url: str | UnsetType = UNSET
    expanded_url: str | None | UnsetType = UNSET


class KloutProfile(Light, kw_only=True):
    klout_user_id: str | UnsetType = UNSET
    link: str | UnsetType = UNSET


class Gnip(Light, kw_only=True):
    urls: list[GnipUrl] | UnsetType = UNSET
    klout_score: int | float | UnsetType = UNSET
    klout_profile: KloutProfile | UnsetType = UNSET


class Note(Light, kw_only=True, tag_field="objectType", tag="note"):
    """An original post's object: nothing of it is read, but that it is a note."""


class InReplyTo(Light, kw_only=True):
    link: str


class Activity(Light, kw_only=True, tag_field="objectType", tag="activity"):
    """What the accessors read of an activity (``id`` too: every activity has one)."""

    id: str
    verb: Literal["post", "share"]
    postedTime: str
    generator: Client | UnsetType = UNSET
    body: str
    long_object: LongObject | UnsetType = UNSET
    actor: Actor
    object: Note | Activity
    inReplyTo: InReplyTo | UnsetType = UNSET
    geo: Point | UnsetType = UNSET
    twitter_entities: Entities | UnsetType = UNSET
    twitter_extended_entities: ExtendedEntities | UnsetType = UNSET
    twitter_lang: str | None | UnsetType = UNSET
    twitter_quoted_status: Activity | UnsetType = UNSET
    gnip: Gnip | UnsetType = UNSET


DECODER = msgspec.json.Decoder(Activity)

_ISO_TIME = pattern_of(IsoTime)
_ACTOR_ID = pattern_of(ActorId)


def is_consistent(activity: Activity) -> bool:
    """Whether a Retweet's object is an activity and a post's a note, everywhere in ``activity``,
    as the converter requires (it says why not: ``read`` leaves such a record to it)."""
    if activity.verb == "post" and type(activity.object) is Note and activity.twitter_quoted_status is UNSET:
        return True  # most posts: nothing embedded
    while True:
        inner = activity.object
        if (activity.verb == "share") is not (type(inner) is Activity):
            return False
        quoted = activity.twitter_quoted_status
        if quoted is not UNSET and not is_consistent(quoted):
            return False
        if type(inner) is not Activity:
            return True
        activity = inner


class ActivityReadPost(ReadPost):
    """An Activity Streams post as read: the accessors over its light struct."""

    __slots__ = ("_content", "_entities", "_light")

    def __init__(self, raw: bytes, fmt: Format, light: Activity) -> None:
        # Not through ReadPost.__init__: a call less for every record read.
        self._raw = raw
        self._format = fmt
        self._native = None
        self._light = light
        inner = light.object
        content = self._content = inner if type(inner) is Activity else light
        """The activity whose content this is: a Retweet's original, else the activity itself."""
        long_object = content.long_object
        self._entities = long_object.twitter_entities if long_object is not UNSET else content.twitter_entities
        """The entities of its whole text (UNSET for the rare early-2011 activity without any)."""

    @property
    def full_text(self) -> str:
        """The whole text: a long post's ``full_text``; ``RT @name: <original>`` for Retweets."""
        activity = self._light
        if activity is self._content:  # not a Retweet: _full_text without its call
            return activity.body if activity.long_object is UNSET else activity.long_object.body
        return _full_text(activity)

    @property
    def post_type(self) -> PostType:
        """``retweet``, ``quote``, ``reply`` or ``original``, in that order of precedence."""
        activity = self._light
        if activity.verb == "share":
            return "retweet"
        if activity.twitter_quoted_status is not UNSET:
            return "quote"
        if activity.inReplyTo is not UNSET and parse_status_link(activity.inReplyTo.link) is not None:
            return "reply"
        return "original"

    @property
    def user_entered_text(self) -> str:
        """What the author wrote: ``full_text``, but empty for a Retweet, whose text is the original's."""
        activity = self._light
        return "" if activity.verb == "share" else _full_text(activity)

    @property
    def quote_or_rt_text(self) -> str:
        """The whole text of the embedded post: the Retweeted original's (no ``RT @name:``), else the
        quoted post's; empty when there is none."""
        activity = self._light
        inner = activity.object
        embedded = inner if type(inner) is Activity else activity.twitter_quoted_status
        return "" if embedded is UNSET else _full_text(embedded)

    @property
    def created_at_datetime(self) -> datetime:
        """``postedTime`` to the second (native times have no fraction), as an aware UTC datetime."""
        moment = iso_moment(self._light.postedTime, _ISO_TIME)
        return self.native.created_at_datetime if moment is None else moment  # the native Post says why not

    @property
    def author_id(self) -> str | None:
        """None for the rare early-2011 activity whose actor has no id."""
        actor_id = self._light.actor.id
        if actor_id is UNSET:
            return None
        if _ACTOR_ID.fullmatch(actor_id) is None:
            return self.native.author_id
        return actor_id.rpartition(":")[2]

    @property
    def screen_name(self) -> str:
        return self._light.actor.preferredUsername

    @property
    def author_name(self) -> str:
        return self._light.actor.displayName

    @property
    def bio(self) -> str | None:
        summary = self._light.actor.summary
        return None if summary is UNSET else summary

    @property
    def follower_count(self) -> int | None:
        count = self._light.actor.followersCount
        return None if count is UNSET else count

    @property
    def following_count(self) -> int | None:
        count = self._light.actor.friendsCount
        return None if count is UNSET else count

    @property
    def language(self) -> str | None:
        lang = self._light.twitter_lang
        return None if lang is UNSET else lang

    @property
    def generator(self) -> Generator | None:
        """The client that posted, from ``generator`` (as the native ``source`` anchor it converts to says)."""
        generator = self._light.generator
        if generator is UNSET:
            return None
        return _generator_of(generator)

    @property
    def hashtags(self) -> list[str]:
        entities = self._entities
        tags = entities.hashtags if entities is not UNSET else None
        return [h.text for h in tags] if tags else []

    @property
    def cashtags(self) -> list[str]:
        entities = self._entities
        symbols = entities.symbols if entities is not UNSET else None
        return [s.text for s in symbols] if symbols else []

    @property
    def mentions(self) -> list[str]:
        """Screen names mentioned (for a Retweet: those of the original)."""
        entities = self._entities
        mentions = entities.user_mentions if entities is not UNSET else None
        return [m.screen_name for m in mentions] if mentions else []

    @property
    def most_unwound_urls(self) -> list[str]:
        """Each link as far as it is known to lead: unwound (``gnip.urls``), else expanded, else the t.co url."""
        entities = self._entities
        if entities is UNSET or not entities.urls:
            return []
        items = _gnip_urls(self._light, self._content)
        urls = []
        for url in entities.urls:
            # The converter puts the unwound url of the first gnip item of a url in place of the
            # entity's own.
            for item in items:
                if item.url == url.url:
                    found = None if item.expanded_url is UNSET else item.expanded_url
                    break
            else:
                found = None if url.unwound is UNSET else url.unwound.url
            if found:
                urls.append(found)
            else:
                urls.append(url.expanded_url if isinstance(url.expanded_url, str) else url.url)
        return urls

    @property
    def media_urls(self) -> list[str]:
        """HTTPS URLs of the native photos, video and GIF stills."""
        content = self._content
        long_object = content.long_object
        media = long_object.twitter_extended_entities if long_object is not UNSET else UNSET
        if media is UNSET:
            media = content.twitter_extended_entities
        if media is not UNSET:
            return [m.media_url_https for m in media.media]
        entities = self._entities
        attached = entities.media if entities is not UNSET else None
        return [m.media_url_https for m in attached] if attached else []

    @property
    def geo_coordinates(self) -> tuple[float, float] | None:
        """(longitude, latitude) of an exact location: ``geo`` is [latitude, longitude]."""
        geo = self._light.geo
        if geo is UNSET:
            return None
        lat, lon = geo.coordinates
        return (lon, lat)

    @property
    def klout_score(self) -> int | float | None:
        """The author's Klout score (historical: Klout closed in 2018)."""
        gnip = self._light.gnip
        return None if gnip is UNSET or gnip.klout_score is UNSET else gnip.klout_score

    @property
    def klout_id(self) -> str | None:
        profile = self._klout_profile()
        return None if profile is None or profile.klout_user_id is UNSET else profile.klout_user_id

    @property
    def klout_profile(self) -> str | None:
        """The URL of the author's Klout profile."""
        profile = self._klout_profile()
        return None if profile is None or profile.link is UNSET else profile.link

    def _klout_profile(self) -> KloutProfile | None:
        gnip = self._light.gnip
        return None if gnip is UNSET or gnip.klout_profile is UNSET else gnip.klout_profile

    @property
    def poll_options(self) -> list[str]:
        entities = self._entities
        polls = UNSET if entities is UNSET else entities.polls
        if polls is UNSET or not polls:
            return []
        return [option.text for option in sorted(polls[0].options, key=lambda o: o.position)]


def _full_text(activity: Activity) -> str:
    """The native ``full_text`` of the post ``activity`` converts to."""
    inner = activity.object
    if type(inner) is Activity:
        return f"RT @{inner.actor.preferredUsername}: {_full_text(inner)}"
    return activity.body if activity.long_object is UNSET else activity.long_object.body


def _gnip_urls(top: Activity, content: Activity) -> list[GnipUrl]:
    """The ``gnip.urls`` items that may unwind the t.co urls of ``content``'s entities, in the order
    the converter reads them before those entities (``to_native._Context``; the first item of a
    url wins): the top activity's, then ``content``'s and those of the posts ``content`` embeds,
    each before those it embeds. Items are few (the links of a post): searched, not indexed."""
    embedded = content is not top or content.twitter_quoted_status is not UNSET
    if not embedded:
        gnip = top.gnip
        return gnip.urls if gnip is not UNSET and gnip.urls else []
    return [
        item
        for activity in (top, *_embedding_order(content))
        if activity.gnip is not UNSET and activity.gnip.urls
        for item in activity.gnip.urls
    ]


def _embedding_order(activity: Activity) -> list[Activity]:
    """``activity`` and the activities it embeds, in the order the converter reads them: a
    Retweet's original (and what it embeds), then a quoted post the share carries at its root
    when the original has none; a post's quoted post."""
    order = [activity]
    inner = activity.object
    if type(inner) is Activity:
        order += _embedding_order(inner)
        root_quote = activity.twitter_quoted_status
        if root_quote is not UNSET and inner.twitter_quoted_status is UNSET:
            order += _embedding_order(root_quote)
    elif activity.twitter_quoted_status is not UNSET:
        order += _embedding_order(activity.twitter_quoted_status)
    return order


_CLIENTS: dict[tuple[str, str | None], Generator] = {}


def _generator_of(client: Client) -> Generator:
    """The client of a ``generator``, as ``accessors.generator`` reads the native ``source`` it
    converts to; an archive holds few, each read once."""
    key = (client.displayName, None if client.link is UNSET else client.link)
    found = _CLIENTS.get(key)
    if found is None:
        found = _generator(_source(cast("models.Generator", client)))  # the same members
        if len(_CLIENTS) < _MAX_CLIENTS:
            _CLIENTS[key] = found
    return found


_MAX_CLIENTS = 1024
