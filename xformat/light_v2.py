"""X API v2 stream lines for the accessors: a light struct of the members they read, and its ``ReadPost``.

A stream line (a filtered-stream message, a single lookup, what ``xformat convert --to v2``
writes) is one post in ``data`` and the objects it references in ``includes``, linked by id.
The accessors read them where the converter (``xformat.convert.from_v2``, through
``xformat.v2pages``) takes the native members they stand for: the author is the included user
of ``author_id`` (an empty name when not included), a Retweet's content is its included
original, the whole text is ``note_tweet``'s, links are the entities' but those of attached
media... The structs hold only those members, with the models' types (not their patterns: the
accessors that read a patterned value check it, and leave a value they cannot vouch for to the
native ``Post``). A twarc2-flattened post (``FlatPost``) holds the same objects inlined where
the stream line names them by id: its author in ``author``, a referenced post merged into its
entry of ``referenced_tweets``, its media and poll in ``attachments``; the accessors read them
where ``v2pages.bundle_of`` takes them. Pages of several posts are read whole.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal, cast

import msgspec
from msgspec import UNSET, UnsetType

from xformat import formats
from xformat.accessors import Generator, PostType, _generator
from xformat.light_native import Point
from xformat.models.base import IdStr, IsoTime
from xformat.models.v2 import V2FlatPost
from xformat.readpost import Light, ReadPost, iso_moment, pattern_of
from xformat.v2pages import MAX_DEPTH

if TYPE_CHECKING:
    from xformat.formats.base import Format

__all__ = ["DECODER", "FLAT_DECODER", "FlatReadPost", "V2ReadPost"]


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


class FlatUser(Light, kw_only=True):
    """An inlined user: ``{}`` when the page did not include it."""

    id: str | UnsetType = UNSET
    name: str | UnsetType = UNSET
    username: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    public_metrics: UserMetrics | UnsetType = UNSET


class FlatMedia(Light, kw_only=True):
    """An inlined media object: ``{}`` when the page did not include it."""

    media_key: str | UnsetType = UNSET
    type: Literal["photo", "video", "animated_gif"] | UnsetType = UNSET
    url: str | UnsetType = UNSET
    preview_image_url: str | UnsetType = UNSET


class FlatPoll(Light, kw_only=True):
    id: str | UnsetType = UNSET
    options: list[PollOption] | UnsetType = UNSET
    duration_minutes: int | UnsetType = UNSET
    end_datetime: str | UnsetType = UNSET


class FlatAttachments(Attachments, kw_only=True):
    """A stream line's attachments with the media and poll they name inlined."""

    media: list[FlatMedia] | UnsetType = UNSET
    poll: FlatPoll | UnsetType = UNSET


class _FlatFields(Light, kw_only=True):
    author_id: str | UnsetType = UNSET
    created_at: str | UnsetType = UNSET
    lang: str | UnsetType = UNSET
    source: str | UnsetType = UNSET
    referenced_tweets: list[FlatReference] | UnsetType = UNSET
    attachments: FlatAttachments | UnsetType = UNSET
    geo: Geo | UnsetType = UNSET
    entities: Entities | UnsetType = UNSET
    note_tweet: NoteTweet | UnsetType = UNSET
    author: FlatUser | UnsetType = UNSET


class FlatReference(_FlatFields, kw_only=True):
    """A referenced post merged with the (flattened) post; only ``type`` and ``id`` when the page
    did not include it."""

    type: Literal["retweeted", "quoted", "replied_to"]
    id: str
    text: str | UnsetType = UNSET


class FlatPost(_FlatFields, kw_only=True):
    """What the accessors read of a twarc2-flattened post. A stream line or a page, which has no
    ``id`` and ``text`` of its own, is not one."""

    id: str
    text: str


def _flat_record() -> type[FlatPost]:
    """``FlatPost`` refusing the members that tell another record: another format's (a post's, a
    notice's), a page's or a stream line's. A record holding one, even with an ``id`` and a
    ``text`` as a flattened post has them, is left to its own reader or to the whole decode,
    which judges what it is."""
    others = {member for fmt in formats.FORMATS if fmt.name != "v2" for member in fmt.signature}
    told = (others | {"data", "includes", "meta", "errors"}) - set(V2FlatPost.__struct_encode_fields__)
    # A member typed UnsetType fails the decode whatever it holds.
    fields = [(name, UnsetType, UNSET) for name in sorted(told)]
    return cast("type[FlatPost]", msgspec.defstruct("FlatRecord", fields, bases=(FlatPost,), kw_only=True))


FLAT_DECODER = msgspec.json.Decoder(_flat_record())

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


class _Node:
    """A post of the record, with what the accessors read of the objects it references: found in
    a stream line's includes (``_Resolved``) or inlined in a flattened post (``_Flat``), as
    ``v2pages`` finds them for the converter."""

    __slots__ = ("depth", "post", "text")

    post: Post | FlatPost | FlatReference
    text: str
    depth: int

    def referenced(self, kind: str) -> _Node | None:
        """The post of the first reference of ``kind``; None when there is none or the record
        does not hold it (or it is too deep)."""
        raise NotImplementedError

    def author(self) -> User | None:
        """The author; None when the record does not hold it."""
        raise NotImplementedError

    def media(self) -> list[Media | FlatMedia | None]:
        """The media, as the converter pairs them with ``attachments.media_keys``: None where the
        record does not hold one."""
        raise NotImplementedError

    def poll(self) -> Poll | None:
        """The poll of the last ``attachments.poll_ids`` entry; None when the record does not hold it."""
        raise NotImplementedError

    def has_reference(self, kind: str) -> bool:
        return any(ref.type == kind for ref in self.post.referenced_tweets or ())

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
        return self.text if note is UNSET else note.text


class _Resolved(_Node):
    """A stream line's post, whose references ``v2pages`` resolves in the includes by the posts
    above it (``seen``), a circle cut."""

    __slots__ = ("index", "seen")

    def __init__(self, post: Post, index: _Index, depth: int, seen: frozenset[str]) -> None:
        self.post = post
        self.text = post.text
        self.index = index
        self.depth = depth
        self.seen = seen

    def referenced(self, kind: str) -> _Resolved | None:
        post = self.post
        for ref in post.referenced_tweets or ():
            if ref.type == kind:
                seen = self.seen | {post.id}
                if self.depth >= MAX_DEPTH or ref.id in seen:
                    return None
                target = self.index.tweets.get(ref.id)
                return None if target is None else _Resolved(target, self.index, self.depth + 1, seen)
        return None

    def author(self) -> User | None:
        author_id = self.post.author_id
        return None if author_id is UNSET else self.index.users.get(author_id)

    def media(self) -> list[Media | FlatMedia | None]:
        attachments = self.post.attachments
        keys = attachments.media_keys if attachments is not UNSET else None
        included = self.index.media
        return [included.get(key) for key in keys or ()]

    def poll(self) -> Poll | None:
        attachments = self.post.attachments
        poll_ids = attachments.poll_ids if attachments is not UNSET else None
        return self.index.polls.get(poll_ids[-1]) if poll_ids else None


class _Flat(_Node):
    """A flattened post or a post it references, everything inlined; ``v2pages.bundle_of`` takes a
    reference's post when twarc merged one into it (it has a ``text``), to the same depth."""

    __slots__ = ("_author",)

    def __init__(self, post: FlatPost | FlatReference, text: str, depth: int) -> None:
        self.post = post
        self.text = text
        self.depth = depth
        user = post.author
        # A user twarc did not find is {}: the converter takes no author then.
        if user is UNSET or user.id is UNSET or user.name is UNSET or user.username is UNSET:
            self._author = None
        else:
            self._author = User(
                id=user.id,
                name=user.name,
                username=user.username,
                description=user.description,
                public_metrics=user.public_metrics,
            )

    def referenced(self, kind: str) -> _Flat | None:
        post = self.post
        assert isinstance(post, (FlatPost, FlatReference))
        for ref in post.referenced_tweets or ():
            if ref.type == kind:
                text = ref.text
                return None if text is UNSET or self.depth >= MAX_DEPTH else _Flat(ref, text, self.depth + 1)
        return None

    def author(self) -> User | None:
        return self._author

    def media(self) -> list[Media | FlatMedia | None]:
        post = self.post
        assert isinstance(post, (FlatPost, FlatReference))
        attachments = post.attachments
        items = attachments.media if attachments is not UNSET else None
        return [None if item.media_key is UNSET or item.type is UNSET else item for item in items or ()]

    def poll(self) -> Poll | None:
        post = self.post
        assert isinstance(post, (FlatPost, FlatReference))
        attachments = post.attachments
        if attachments is UNSET or not attachments.poll_ids:
            return None
        poll = attachments.poll
        if poll is UNSET or poll.id is UNSET or poll.options is UNSET:
            return None
        return Poll(
            id=poll.id, options=poll.options, duration_minutes=poll.duration_minutes, end_datetime=poll.end_datetime
        )


class V2ReadPost(ReadPost):
    """An X API v2 stream line's post as read: the accessors over its light struct."""

    __slots__ = ("_content", "_top")

    def __init__(self, raw: bytes, fmt: Format, light: StreamLine) -> None:
        # Not through ReadPost.__init__: a call less for every record read.
        self._raw = raw
        self._format = fmt
        self._native = None
        self._read(_Resolved(light.data, _Index(light.includes), 0, frozenset()))

    def _read(self, top: _Node) -> None:
        self._top = top
        original = top.referenced("retweeted")
        self._content = top if original is None else original
        """The post whose content this is: a Retweet's original, else the post itself."""

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
        created_at = self._top.post.created_at
        moment = None if created_at is UNSET else iso_moment(created_at, _ISO_TIME)
        # The native Post says why a time is not one, and gives a post without one the time of its id.
        return self.native.created_at_datetime if moment is None else moment

    @property
    def author_id(self) -> str | None:
        """The author's id: ``"0"`` for a post that names none (the native post the converter makes)."""
        author = self._top.author()  # a flattened post's author is the inlined one
        author_id = self._top.post.author_id if author is None else author.id
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
        lang = self._top.post.lang
        return None if lang is UNSET else lang

    @property
    def generator(self) -> Generator | None:
        """The client that posted, from ``source`` (a bare name in v2)."""
        source = self._top.post.source
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
        urls = []
        for _, item in zip(keys, content.media(), strict=False):
            if item is not None:
                image = item.url if item.type == "photo" else item.preview_image_url
                urls.append("" if image is UNSET else image)
        return urls

    @property
    def geo_coordinates(self) -> tuple[float, float] | None:
        """(longitude, latitude) of an exact location."""
        geo = self._top.post.geo
        coordinates = UNSET if geo is UNSET else geo.coordinates
        return None if coordinates is UNSET else coordinates.coordinates

    @property
    def poll_options(self) -> list[str]:
        poll = self._content.poll()
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


class FlatReadPost(V2ReadPost):
    """A twarc2-flattened post as read: the accessors over its light struct, the objects inlined."""

    __slots__ = ()

    def __init__(self, raw: bytes, fmt: Format, light: FlatPost) -> None:
        # Not through ReadPost.__init__: a call less for every record read.
        self._raw = raw
        self._format = fmt
        self._native = None
        self._read(_Flat(light, light.text, 0))
