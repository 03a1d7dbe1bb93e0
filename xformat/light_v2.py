"""X API v2 stream lines for the accessors: a light struct of the members they read, and its ``ReadPost``.

A stream line (a filtered-stream message, a single lookup, what ``xformat convert --to v2``
writes) is one post in ``data`` and the objects it references in ``includes``, linked by id.
The accessors read them where the converter (``xformat.convert.from_v2``, through
``xformat.v2pages``) takes the native members they stand for: the author is the included user
of ``author_id`` (an empty name when not included), a Retweet's content is its included
original, the whole text is ``note_tweet``'s, links are the entities' but those of attached
media... The structs hold only those members, with the models' types (not their patterns: the
accessors that read a patterned value check it, and leave a value they cannot vouch for to the
native ``Post``). Pages of several posts and twarc2-flattened posts are read whole.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

import msgspec
from msgspec import UNSET, UnsetType

from xformat.accessors import Generator, PostType, _generator
from xformat.light_native import Point
from xformat.models.base import IdStr, IsoTime
from xformat.readpost import Light, ReadPost, iso_moment, pattern_of
from xformat.v2pages import MAX_DEPTH

if TYPE_CHECKING:
    from xformat.formats import Format

__all__ = ["DECODER", "V2ReadPost"]


class Tag(Light, kw_only=True):
    tag: str


class Mention(Light, kw_only=True):
    username: str


class Url(Light, kw_only=True):
    url: str
    expanded_url: str | UnsetType = UNSET
    unwound_url: str | UnsetType = UNSET
    status: int | UnsetType = UNSET
    title: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    media_key: str | UnsetType = UNSET


class Entities(Light, kw_only=True):
    hashtags: list[Tag] | UnsetType = UNSET
    cashtags: list[Tag] | UnsetType = UNSET
    mentions: list[Mention] | UnsetType = UNSET
    urls: list[Url] | UnsetType = UNSET


class NoteTweet(Light, kw_only=True):
    text: str
    entities: Entities | UnsetType = UNSET


class Reference(Light, kw_only=True):
    type: Literal["retweeted", "quoted", "replied_to"]
    id: str


class Attachments(Light, kw_only=True):
    media_keys: list[str] | UnsetType = UNSET
    poll_ids: list[str] | UnsetType = UNSET


class Geo(Light, kw_only=True):
    coordinates: Point | UnsetType = UNSET


class Post(Light, kw_only=True):
    id: str
    text: str
    author_id: str | UnsetType = UNSET
    created_at: str | UnsetType = UNSET
    lang: str | UnsetType = UNSET
    source: str | UnsetType = UNSET
    referenced_tweets: list[Reference] | UnsetType = UNSET
    attachments: Attachments | UnsetType = UNSET
    geo: Geo | UnsetType = UNSET
    entities: Entities | UnsetType = UNSET
    note_tweet: NoteTweet | UnsetType = UNSET


class UserMetrics(Light, kw_only=True):
    followers_count: int | UnsetType = UNSET
    following_count: int | UnsetType = UNSET


class User(Light, kw_only=True):
    id: str
    name: str
    username: str
    description: str | UnsetType = UNSET
    public_metrics: UserMetrics | UnsetType = UNSET


class Media(Light, kw_only=True):
    media_key: str
    type: Literal["photo", "video", "animated_gif"]
    url: str | UnsetType = UNSET
    preview_image_url: str | UnsetType = UNSET


class PollOption(Light, kw_only=True):
    position: int
    label: str


class Poll(Light, kw_only=True):
    id: str
    options: list[PollOption]
    duration_minutes: int | UnsetType = UNSET
    end_datetime: str | UnsetType = UNSET


class Includes(Light, kw_only=True):
    users: list[User] | UnsetType = UNSET
    tweets: list[Post] | UnsetType = UNSET
    media: list[Media] | UnsetType = UNSET
    polls: list[Poll] | UnsetType = UNSET


class StreamLine(Light, kw_only=True):
    """What the accessors read of a stream line: its post and the includes it references."""

    data: Post
    includes: Includes | UnsetType = UNSET


DECODER = msgspec.json.Decoder(StreamLine)

_ISO_TIME = pattern_of(IsoTime)
_ID = pattern_of(IdStr)


class _Index:
    """The includes by the keys posts name them by; a key given twice names its last object, as
    ``v2pages`` indexes them."""

    __slots__ = ("media", "polls", "tweets", "users")

    def __init__(self, includes: Includes | UnsetType) -> None:
        inc = includes if includes is not UNSET else Includes()
        self.users = {user.id: user for user in inc.users or ()}
        self.tweets = {post.id: post for post in inc.tweets or ()}
        self.media = {item.media_key: item for item in inc.media or ()}
        self.polls = {poll.id: poll for poll in inc.polls or ()}


class _Resolved:
    """A post with its depth and the posts above it, which ``v2pages`` resolves its references by."""

    __slots__ = ("depth", "index", "post", "seen")

    def __init__(self, post: Post, index: _Index, depth: int, seen: frozenset[str]) -> None:
        self.post = post
        self.index = index
        self.depth = depth
        self.seen = seen

    def referenced(self, kind: str) -> _Resolved | None:
        """The included post of the first reference of ``kind``; None when there is none or the
        page did not include it (or it is too deep, or a post above it)."""
        post = self.post
        for ref in post.referenced_tweets or ():
            if ref.type == kind:
                seen = self.seen | {post.id}
                if self.depth >= MAX_DEPTH or ref.id in seen:
                    return None
                target = self.index.tweets.get(ref.id)
                return None if target is None else _Resolved(target, self.index, self.depth + 1, seen)
        return None

    def has_reference(self, kind: str) -> bool:
        return any(ref.type == kind for ref in self.post.referenced_tweets or ())

    def author(self) -> User | None:
        author_id = self.post.author_id
        return None if author_id is UNSET else self.index.users.get(author_id)

    def entities(self) -> Entities | UnsetType:
        """The entities of the whole text: the note's for a long post."""
        note = self.post.note_tweet
        return self.post.entities if note is UNSET else note.entities

    def full_text(self) -> str:
        """The native ``full_text`` of the post this converts to."""
        original = self.referenced("retweeted")
        if original is not None:
            author = original.author()
            return f"RT @{'' if author is None else author.username}: {original.full_text()}"
        note = self.post.note_tweet
        return self.post.text if note is UNSET else note.text


class V2ReadPost(ReadPost):
    """An X API v2 stream line's post as read: the accessors over its light struct."""

    __slots__ = ("_content", "_light", "_top")

    def __init__(self, raw: bytes, fmt: Format, light: StreamLine) -> None:
        # Not through ReadPost.__init__: a call less for every record read.
        self._raw = raw
        self._format = fmt
        self._native = None
        self._light = light
        top = self._top = _Resolved(light.data, _Index(light.includes), 0, frozenset())
        original = top.referenced("retweeted")
        self._content = top if original is None else original
        """The post whose content this is: a Retweet's included original, else the post itself."""

    @property
    def full_text(self) -> str:
        """The whole text: a long post's ``full_text``; ``RT @name: <original>`` for Retweets."""
        return self._top.full_text()

    @property
    def post_type(self) -> PostType:
        """``retweet``, ``quote``, ``reply`` or ``original``, in that order of precedence."""
        top = self._top
        if self._content is not top:
            return "retweet"
        if top.has_reference("quoted"):
            return "quote"
        if top.has_reference("replied_to"):
            return "reply"
        return "original"

    @property
    def user_entered_text(self) -> str:
        """What the author wrote: ``full_text``, but empty for a Retweet, whose text is the original's."""
        return "" if self._content is not self._top else self._top.full_text()

    @property
    def quote_or_rt_text(self) -> str:
        """The whole text of the embedded post: the Retweeted original's (no ``RT @name:``), else the
        quoted post's; empty when there is none (or the page did not include it)."""
        top = self._top
        embedded = self._content if self._content is not top else top.referenced("quoted")
        return "" if embedded is None else embedded.full_text()

    @property
    def created_at_datetime(self) -> datetime:
        """``created_at`` to the second (native times have no fraction), as an aware UTC datetime."""
        created_at = self._light.data.created_at
        moment = None if created_at is UNSET else iso_moment(created_at, _ISO_TIME)
        # The native Post says why a time is not one, and gives a post without one the time of its id.
        return self.native.created_at_datetime if moment is None else moment

    @property
    def author_id(self) -> str | None:
        """The author's id: ``"0"`` for a post that names none (the native post the converter makes)."""
        author_id = self._light.data.author_id
        if author_id is UNSET:
            return "0"
        return author_id if _ID.fullmatch(author_id) is not None else self.native.author_id

    @property
    def screen_name(self) -> str:
        """The author's username; empty when the page did not include the author."""
        author = self._top.author()
        return "" if author is None else author.username

    @property
    def author_name(self) -> str:
        author = self._top.author()
        return "" if author is None else author.name

    @property
    def bio(self) -> str | None:
        author = self._top.author()
        return None if author is None or not author.description else author.description

    @property
    def follower_count(self) -> int | None:
        author = self._top.author()
        metrics = UNSET if author is None else author.public_metrics
        return None if metrics is UNSET or metrics.followers_count is UNSET else metrics.followers_count

    @property
    def following_count(self) -> int | None:
        author = self._top.author()
        metrics = UNSET if author is None else author.public_metrics
        return None if metrics is UNSET or metrics.following_count is UNSET else metrics.following_count

    @property
    def language(self) -> str | None:
        lang = self._light.data.lang
        return None if lang is UNSET else lang

    @property
    def generator(self) -> Generator | None:
        """The client that posted, from ``source`` (a bare name in v2)."""
        source = self._light.data.source
        return None if source is UNSET else _generator(source)

    @property
    def hashtags(self) -> list[str]:
        entities = self._content.entities()
        tags = entities.hashtags if entities is not UNSET else None
        return [t.tag for t in tags] if tags else []

    @property
    def cashtags(self) -> list[str]:
        entities = self._content.entities()
        tags = entities.cashtags if entities is not UNSET else None
        return [t.tag for t in tags] if tags else []

    @property
    def mentions(self) -> list[str]:
        """Usernames mentioned (for a Retweet: those of the original)."""
        entities = self._content.entities()
        mentions = entities.mentions if entities is not UNSET else None
        return [m.username for m in mentions] if mentions else []

    @property
    def most_unwound_urls(self) -> list[str]:
        """Each link as far as it is known to lead: unwound, else expanded, else the t.co url (the
        links of attached media left out, as native entities leave them)."""
        entities = self._content.entities()
        urls = entities.urls if entities is not UNSET else None
        if not urls:
            return []
        found = []
        for url in urls:
            if url.media_key is not UNSET:
                continue
            if url.unwound_url:
                found.append(url.unwound_url)
            else:
                found.append(url.expanded_url if url.expanded_url is not UNSET else url.url)
        return found

    @property
    def media_urls(self) -> list[str]:
        """HTTPS URLs of the included photos, and the stills of videos and GIFs (empty where none)."""
        content = self._content
        attachments = content.post.attachments
        keys = attachments.media_keys if attachments is not UNSET else None
        if not keys:
            return []
        included = content.index.media
        urls = []
        for key in keys:
            item = included.get(key)
            if item is not None:
                image = item.url if item.type == "photo" else item.preview_image_url
                urls.append("" if image is UNSET else image)
        return urls

    @property
    def geo_coordinates(self) -> tuple[float, float] | None:
        """(longitude, latitude) of an exact location."""
        geo = self._light.data.geo
        coordinates = UNSET if geo is UNSET else geo.coordinates
        return None if coordinates is UNSET else coordinates.coordinates

    @property
    def poll_options(self) -> list[str]:
        content = self._content
        attachments = content.post.attachments
        poll_ids = attachments.poll_ids if attachments is not UNSET else None
        poll = content.index.polls.get(poll_ids[-1]) if poll_ids else None
        if poll is None or poll.end_datetime is UNSET or poll.duration_minutes is UNSET:
            return []  # the converter makes no native poll of an incomplete one
        return [option.label for option in sorted(poll.options, key=lambda o: o.position)]

    @property
    def klout_score(self) -> None:
        return None  # X API v2 has no Klout

    @property
    def klout_id(self) -> None:
        return None

    @property
    def klout_profile(self) -> None:
        return None
