"""What researchers ask of a post, whichever format it came in (the questions tweet_parser answers).

``PostAccessors`` is mixed into ``xformat.models.native.Post``; ``xformat.iter_posts`` gives a
``Post`` for records of any format, ``xformat.read`` a ``ReadPost`` with the same accessors
(``xformat.readpost``), so these work on all. They read a native-shaped post through module
functions, so that the light struct ``read`` decodes (``xformat.light_native``) runs them too.
tweet_parser's names are here too, with its meanings (README: "Coming from tweet_parser");
where xformat has its own name for a question, tweet_parser's is the alias.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Literal, NamedTuple

from msgspec import UNSET

if TYPE_CHECKING:
    from xformat.models.common import Entities, MatchingRule, UrlEntity
    from xformat.models.native import DerivedLocation, Klout, KloutTopic, Post

PostType = Literal["original", "reply", "quote", "retweet"]
SOURCE_ANCHOR = re.compile(r'<a href="(?P<link>[^"]*)"[^>]*>(?P<name>.*)</a>', re.S)
"""A ``source`` anchor (``<a href="…" rel="nofollow">Name</a>``, whatever its other attributes)."""


class Generator(NamedTuple):
    name: str
    link: str | None


TweetType = Literal["tweet", "quote", "retweet"]
"""tweet_parser's kinds of post."""
_TWEET_TYPES: dict[PostType, TweetType] = {
    "original": "tweet",
    "reply": "tweet",
    "quote": "quote",
    "retweet": "retweet",
}


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
        if post.extended_tweet is not UNSET:
            return post.extended_tweet.full_text
        text = post.text if post.text is not UNSET else post.extended_mode_text  # extended mode: full_text
        return text if text is not UNSET else ""

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
    def tweet_type(self) -> TweetType:
        """``post_type`` in tweet_parser's words: originals and replies are both ``tweet``."""
        return _TWEET_TYPES[self.post_type]

    @property
    def user_entered_text(self) -> str:
        """What the author wrote: ``full_text``, but empty for a Retweet, whose text is the original's."""
        return "" if self._post().retweeted_status is not UNSET else self.full_text

    @property
    def quote_or_rt_text(self) -> str:
        """The whole text of the embedded post: the Retweeted original's (no ``RT @name:``), else the
        quoted post's; empty when there is none (a quote of an unavailable post embeds nothing)."""
        post = self._post()
        embedded = post.retweeted_status if post.retweeted_status is not UNSET else post.quoted_status
        return "" if embedded is UNSET else embedded.full_text

    @property
    def all_text(self) -> str:
        """All text a reader sees: ``user_entered_text``, ``quote_or_rt_text`` and the poll options, one
        per line, empty ones left out."""
        parts = [self.user_entered_text, self.quote_or_rt_text, *self.poll_options]
        return "\n".join(part for part in parts if part)

    @property
    def created_at_datetime(self) -> datetime:
        """``created_at`` as an aware UTC datetime."""
        return native_moment(self._post().created_at)

    @property
    def author_id(self) -> str | None:
        """None for the rare early-2011 activity whose actor has no id."""
        user_id = self._post().user.id_str
        return None if user_id is UNSET else user_id

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
        return None if source is UNSET else _generator(source)

    @property
    def content_entities(self) -> Entities:
        """The most complete entity set: the long post's, the Retweeted original's."""
        entities = _entity_set(self._post())
        return _no_entities() if entities is None else entities  # early 2011: none

    @property
    def content(self) -> Post:
        """The post whose content this is: a Retweet's original, else the post itself."""
        return _content(self._post())

    @property
    def hashtags(self) -> list[str]:
        entities = _entity_set(self._post())
        tags = None if entities is None else entities.hashtags
        return [h.text for h in tags] if tags else []

    @property
    def cashtags(self) -> list[str]:
        entities = _entity_set(self._post())
        symbols = None if entities is None else entities.symbols
        return [s.text for s in symbols] if symbols else []

    @property
    def mentions(self) -> list[str]:
        """Screen names mentioned (for a Retweet: those of the original)."""
        entities = _entity_set(self._post())
        mentions = None if entities is None else entities.user_mentions
        return [m.screen_name for m in mentions] if mentions else []

    @property
    def most_unwound_urls(self) -> list[str]:
        """Each link as far as it is known to lead: unwound, else expanded, else the t.co url."""
        entities = _entity_set(self._post())
        urls = None if entities is None else entities.urls
        return [_most_unwound(url) for url in urls] if urls else []

    @property
    def tweet_links(self) -> list[UrlEntity]:
        """The link entities of the post (a Retweet's: the original's, not the truncated copy; a long
        post's: those of its whole text), then those of the post it quotes."""
        return _links(self._post())

    @property
    def most_unrolled_urls(self) -> list[str]:
        """``most_unwound_urls`` of ``tweet_links``: the quoted post's links follow the post's own."""
        return [_most_unwound(url) for url in _links(self._post())]

    @property
    def media_urls(self) -> list[str]:
        """HTTPS URLs of the native photos, video and GIF stills."""
        post = _content(self._post())
        extended = post.extended_tweet
        media = extended.extended_entities if extended is not UNSET else UNSET
        if media is UNSET:
            media = post.extended_entities
        if media is not UNSET:
            return [m.media_url_https for m in media.media]
        entities = _entity_set(post)
        attached = None if entities is None else entities.media
        return [m.media_url_https for m in attached] if attached else []

    @property
    def quoted_post(self) -> Post | None:
        post = _content(self._post())
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

    def _klout(self) -> Klout | None:
        derived = self._post().user.derived
        return None if derived is UNSET or derived.klout is UNSET else derived.klout

    @property
    def klout_score(self) -> int | float | None:
        """The author's Klout score (historical: Klout closed in 2018)."""
        klout = self._klout()
        return None if klout is None or klout.score is UNSET else klout.score

    @property
    def klout_id(self) -> str | None:
        klout = self._klout()
        return None if klout is None or klout.user_id is UNSET else klout.user_id

    @property
    def klout_profile(self) -> str | None:
        """The URL of the author's Klout profile."""
        klout = self._klout()
        return None if klout is None or klout.profile_url is UNSET else klout.profile_url

    @property
    def klout_influence_topics(self) -> list[KloutTopic]:
        """Topics the author is influential on, lowest score first (as tweet_parser sorts them)."""
        klout = self._klout()
        return [] if klout is None or klout.influence_topics is UNSET else _by_score(klout.influence_topics)

    @property
    def klout_interest_topics(self) -> list[KloutTopic]:
        """Topics the author is interested in, lowest score first."""
        klout = self._klout()
        return [] if klout is None or klout.interest_topics is UNSET else _by_score(klout.interest_topics)

    @property
    def klout_topics(self) -> list[KloutTopic]:
        """Topics of 2012-2016 data, which told neither influence from interest nor a score, in the
        data's order (their id is ``klout_topic_id``); ``[]`` for later data (see the two above)."""
        klout = self._klout()
        return [] if klout is None or klout.topics is UNSET else klout.topics

    @property
    def rules(self) -> list[MatchingRule]:
        rules = self._post().matching_rules
        return [] if rules is UNSET else rules

    @property
    def poll_options(self) -> list[str]:
        entities = _entity_set(self._post())
        polls = UNSET if entities is None else entities.polls
        if polls is UNSET or not polls:
            return []
        return [option.text for option in sorted(polls[0].options, key=lambda o: o.position)]


STRUCT_VALUED = (
    "content",
    "content_entities",
    "tweet_links",
    "quoted_post",
    "retweeted_post",
    "profile_locations",
    "klout_influence_topics",
    "klout_interest_topics",
    "klout_topics",
    "rules",
)
"""The accessors that give the model's own structs (entities, posts, rules...), not plain values."""


def _content(post: Post) -> Post:
    """A Retweet's original, else the post itself."""
    return post.retweeted_status if post.retweeted_status is not UNSET else post


def _entity_set(post: Post) -> Entities | None:
    """The entities of the content of ``post``: the long post's, else the post's; None when it has
    none (some records of early 2011)."""
    if post.retweeted_status is not UNSET:
        post = post.retweeted_status  # _content, without a call: this runs for most accessors
    if post.extended_tweet is not UNSET:
        return post.extended_tweet.entities
    return None if post.entities is UNSET else post.entities


def _links(post: Post) -> list[UrlEntity]:
    """``tweet_links`` of ``post``."""
    entities = _entity_set(post)
    links = [] if entities is None else list(entities.urls or ())
    quoted = _content(post).quoted_status
    if quoted is not UNSET:
        links += _links(quoted)
    return links


_MONTHS = {name: f"{number:02d}" for number, name in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
                                                                 "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}  # fmt: skip
_UTC_TIME = re.compile(
    rf"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ({'|'.join(_MONTHS)}) "
    r"([0-3][0-9]) ([0-2][0-9]:[0-5][0-9]:[0-6][0-9]) \+0000 ([0-9]{4})"
)


def native_moment(text: str) -> datetime:
    """A native time (``Wed Oct 10 20:19:24 +0000 2018``) as an aware UTC datetime.

    Times in UTC, which is all of them in real archives, are read with one match (``utc_moment``):
    ``strptime`` is several times slower and was the costliest accessor. Any other time goes
    through it.
    """
    moment = utc_moment(text)
    if moment is not None:
        return moment
    return datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC)


def utc_moment(text: str) -> datetime | None:
    """``native_moment`` of a time in UTC; None for any other text, an impossible time included."""
    match = _UTC_TIME.fullmatch(text)
    if match is None:
        return None
    month, day, clock, year = match.groups()
    try:
        # fromisoformat, in C, takes a third of the time of six int() and the constructor.
        return datetime.fromisoformat(f"{year}-{_MONTHS[month]}-{day}T{clock}+00:00")
    except ValueError:
        return None  # hour 24, Feb 30: strptime says why


@lru_cache(maxsize=1024)
def _generator(source: str) -> Generator:
    """The client of a ``source`` anchor: an archive holds few distinct ones, each read once."""
    match = SOURCE_ANCHOR.fullmatch(source)
    return Generator(match["name"], match["link"]) if match else Generator(source, None)


@cache
def _no_entities() -> Entities:
    # Imported here: the models import this module, which may come first (``native_moment``).
    from xformat.models.common import Entities

    return Entities()


def _most_unwound(url: UrlEntity) -> str:
    """Where a link is known to lead: unwound, else expanded, else the t.co url."""
    if url.unwound is not UNSET and url.unwound.url:
        return url.unwound.url
    return url.expanded_url if isinstance(url.expanded_url, str) else url.url


def _by_score(topics: list[KloutTopic]) -> list[KloutTopic]:
    """Lowest score first; topics without a score last, in their order."""
    return sorted(topics, key=lambda topic: (topic.score is UNSET, 0 if topic.score is UNSET else topic.score))
