"""What researchers ask of a post, whichever format it came in (the questions tweet_parser answers).

``PostAccessors`` is mixed into ``xformat.models.native.Post``; ``xformat.read`` and
``xformat.iter_posts`` give a ``Post`` for records of either format, so these work on both.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal, NamedTuple

from msgspec import UNSET

if TYPE_CHECKING:
    from xformat.models.common import Entities, ExtendedEntities, MatchingRule
    from xformat.models.native import DerivedLocation, Post

PostType = Literal["original", "reply", "quote", "retweet"]
SOURCE_ANCHOR = re.compile(r'<a href="(?P<link>[^"]*)"[^>]*>(?P<name>.*)</a>', re.S)
"""A ``source`` anchor (``<a href="…" rel="nofollow">Name</a>``, whatever its other attributes)."""


class Generator(NamedTuple):
    name: str
    link: str | None


class PostAccessors:
    """Read-only views of a native post. Long posts and Retweets are looked through."""

    __slots__ = ()

    def _post(self) -> Post:
        return self  # type: ignore[return-value]

    @property
    def full_text(self) -> str:
        """The whole text: a long post's ``full_text``; ``RT @name: <original>`` for Retweets."""
        post = self._post()
        original = post.retweeted_status
        if original is not UNSET:
            return f"RT @{original.user.screen_name}: {original.full_text}"
        return post.extended_tweet.full_text if post.extended_tweet is not UNSET else post.text

    @property
    def post_type(self) -> PostType:
        """``retweet``, ``quote``, ``reply`` or ``original``, in that order of precedence."""
        post = self._post()
        if post.retweeted_status is not UNSET:
            return "retweet"
        if post.quoted_status is not UNSET or post.is_quote_status is True:
            return "quote"
        if post.in_reply_to_status_id_str:
            return "reply"
        return "original"

    @property
    def created_at_datetime(self) -> datetime:
        """``created_at`` as an aware UTC datetime."""
        moment = datetime.strptime(self._post().created_at, "%a %b %d %H:%M:%S %z %Y")
        return moment.astimezone(UTC)

    @property
    def author_id(self) -> str:
        return self._post().user.id_str

    @property
    def screen_name(self) -> str:
        return self._post().user.screen_name

    @property
    def author_name(self) -> str:
        return self._post().user.name

    @property
    def bio(self) -> str | None:
        description = self._post().user.description
        return None if description is UNSET else description

    @property
    def follower_count(self) -> int | None:
        count = self._post().user.followers_count
        return None if count is UNSET else count

    @property
    def following_count(self) -> int | None:
        count = self._post().user.friends_count
        return None if count is UNSET else count

    @property
    def language(self) -> str | None:
        lang = self._post().lang
        return None if lang is UNSET else lang

    @property
    def generator(self) -> Generator | None:
        """The client that posted, from the ``source`` anchor."""
        source = self._post().source
        if source is UNSET:
            return None
        match = SOURCE_ANCHOR.fullmatch(source)
        return Generator(match["name"], match["link"]) if match else Generator(source, None)

    def _entities(self) -> Entities:
        """The most complete entity set: the long post's, the Retweeted original's."""
        post = self._content()
        return post.extended_tweet.entities if post.extended_tweet is not UNSET else post.entities

    def _media(self) -> ExtendedEntities | None:
        post = self._content()
        if post.extended_tweet is not UNSET and post.extended_tweet.extended_entities is not UNSET:
            return post.extended_tweet.extended_entities
        return None if post.extended_entities is UNSET else post.extended_entities

    def _content(self) -> Post:
        post = self._post()
        return post.retweeted_status if post.retweeted_status is not UNSET else post

    @property
    def hashtags(self) -> list[str]:
        return [h.text for h in self._entities().hashtags or ()]

    @property
    def cashtags(self) -> list[str]:
        return [s.text for s in self._entities().symbols or ()]

    @property
    def mentions(self) -> list[str]:
        """Screen names mentioned (for a Retweet: those of the original)."""
        return [m.screen_name for m in self._entities().user_mentions or ()]

    @property
    def most_unwound_urls(self) -> list[str]:
        """Each link as far as it is known to lead: unwound, else expanded, else the t.co url."""
        out = []
        for url in self._entities().urls or ():
            if url.unwound is not UNSET and url.unwound.url:
                out.append(url.unwound.url)
            elif isinstance(url.expanded_url, str):
                out.append(url.expanded_url)
            else:
                out.append(url.url)
        return out

    @property
    def media_urls(self) -> list[str]:
        """HTTPS URLs of the native photos, video and GIF stills."""
        media = self._media()
        if media is not None:
            return [m.media_url_https for m in media.media]
        return [m.media_url_https for m in self._entities().media or ()]

    @property
    def quoted_post(self) -> Post | None:
        post = self._content()
        return None if post.quoted_status is UNSET else post.quoted_status

    @property
    def retweeted_post(self) -> Post | None:
        original = self._post().retweeted_status
        return None if original is UNSET else original

    @property
    def geo_coordinates(self) -> tuple[float, float] | None:
        """(longitude, latitude) of an exact location, from ``coordinates`` or else ``geo``."""
        post = self._post()
        if post.coordinates:
            return post.coordinates.coordinates
        if post.geo:
            lat, lon = post.geo.coordinates
            return (lon, lat)
        return None

    @property
    def profile_locations(self) -> list[DerivedLocation]:
        derived = self._post().user.derived
        if derived is UNSET or derived.locations is UNSET:
            return []
        return derived.locations

    @property
    def rules(self) -> list[MatchingRule]:
        rules = self._post().matching_rules
        return [] if rules is UNSET else rules

    @property
    def poll_options(self) -> list[str]:
        polls = self._entities().polls
        if polls is UNSET or not polls:
            return []
        return [option.text for option in sorted(polls[0].options, key=lambda o: o.position)]
