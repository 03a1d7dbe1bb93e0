"""What a format is: the one object the rest of xformat asks about a format.

A ``Format`` holds everything that differs from one format to another: its names, its kinds of
record (each with its model and schema), how a record of it is recognised from its top-level
members, where its posts keep ids, authors, geo and embedded posts, and how its records convert
to and from the hub, the native model. The registry (``xformat.formats``) finds formats by name
or alias, and by the class of a decoded value.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol

import msgspec

if TYPE_CHECKING:
    from xformat.compliance import Actions, Report
    from xformat.convert.links import Links

Role = Literal["rt", "qt"]
"""What an embedded post is to the post holding it: the original of a Retweet, or a quoted post."""


class Pieces(NamedTuple):
    """What a record of a kind of many posts holds (``Format.pieces``)."""

    posts: Sequence[Any]
    """Its posts, each a value the format's ``to_hub`` takes, in order."""
    errors: int
    """Problems the record reports beside its posts (X API v2 ``errors`` entries): counted."""


class Members(Protocol):
    """The top-level members of a record that detection looked at (see ``xformat.formats.detect``)."""

    def has(self, name: str) -> bool:
        """Whether the record has the top-level member ``name`` (whatever its value)."""

    def text(self, name: str) -> str | None:
        """The member's value if it is a JSON string, else None."""

    def is_object(self, name: str) -> bool:
        """Whether the member's value is a JSON object (not an array, a string...)."""

    def keys_in(self, name: str) -> frozenset[str]:
        """The members of the object at ``name``, or of the first object of the array there;
        empty for anything else. Reads into the record: for kinds whose top level is the same."""


@dataclass(frozen=True, eq=False)
class Kind:
    """A kind of record of a format: posts, deletion notices, info lines..."""

    name: str
    """The kind's name, the same in every format that has it (``post``, ``delete``, ``info``)."""
    schema: str
    """Name of its published JSON Schema (``xformat.registry``)."""
    struct: type[msgspec.Struct]
    """The struct at the root of its schema."""
    title: str
    """Its schema's title (``Enriched Native post``)."""
    decodes: Any = None
    """The type records of this kind decode into, when it is not ``struct`` alone (a union)."""
    hint: bytes | None = None
    """Bytes every record of this kind holds: a cheap test before a decode (``b'"delete"'``)."""
    content: bool = True
    """Whether it has a form in the other formats (an info line has none: counted, not converted)."""
    rule: Callable[[Any], str | None] | None = None
    """What the model cannot say, checked after each decode: the reason a decoded value is not
    a record of this kind, or None (a native compliance event holds exactly one event)."""
    holds: frozenset[str] = frozenset()
    """Top-level members one of which every record of this kind holds (``delete``; the names of
    the compliance events); empty for a kind any record may be (posts). A record holding none
    is never taken for one of this kind, not even as a last resort."""
    many: bool = False
    """A record of this kind holds any number of posts, each converted on its own (an X API v2
    page: ``Format.pieces`` gives them); a kind named ``post`` is one post."""

    @property
    def holds_posts(self) -> bool:
        """Whether records of this kind are posts, or pages of posts."""
        return self.many or self.name == "post"

    def may_be(self, members: Members) -> bool:
        """Whether a record with these top-level members may be of this kind (see ``holds``)."""
        return not self.holds or any(members.has(name) for name in self.holds)

    @property
    def model(self) -> Any:
        """What a record of this kind decodes into."""
        return self.struct if self.decodes is None else self.decodes


@dataclass(frozen=True, eq=False)
class Format(ABC):
    """One format. Subclasses fill in the data members and implement the methods."""

    name: str
    """Canonical name (``native``, ``activity``): what results and patches carry."""
    title: str
    """For people: ``Enriched Native``."""
    aliases: tuple[str, ...]
    """Other names it is found by on the command line and in the library."""
    kinds: Mapping[str, Kind]
    """Its kinds of record by name; the first is the bulk of an archive (posts)."""
    signature: frozenset[str]
    """Top-level members that only this format's records have: the more a record holds, the
    more it resembles this format (``xformat.formats.detect``)."""
    telling: frozenset[str] = frozenset()
    """Further top-level members ``kind_of`` reads (``verb``, ``delete``, ``info``)."""
    markers: tuple[bytes, ...] = ()
    """Keys that this format's posts hold and no other format's record does
    (``b'"objectType":'``, at several depths): where one shows near an end of a record, the
    decode tries this format's post first (a cheap hint, which the decode confirms)."""
    small_posts: bool = False
    """Whether its posts are often small (X API v2 posts of the default fields: id, text,
    edit_history_tweet_ids): a small record holding one of its ``markers``, after a record of
    this format, is decoded as its post first, where small records (notices) are sniffed first."""
    retweeted: frozenset[str] = frozenset()
    """Members that hold a Retweet's original."""
    roles: Mapping[str, Role] = field(default_factory=dict)
    """Members that hold an embedded post, and what that post is to the record."""
    geo: tuple[str, ...] = ()
    """A post's own geo members."""

    @cached_property
    def post(self) -> Kind:
        """The kind most records are (the first of ``kinds``)."""
        return next(iter(self.kinds.values()))

    @cached_property
    def hinted(self) -> tuple[tuple[bytes, Kind], ...]:
        """Its kinds of record that a hint tells (``Kind.hint``: deletions), each with its hint."""
        return tuple((kind.hint, kind) for kind in self.kinds.values() if kind.hint is not None)

    def models(self) -> Iterator[tuple[type[msgspec.Struct], Kind]]:
        """Every struct a decoded record of this format may be, with its kind."""
        for kind in self.kinds.values():
            yield kind.struct, kind

    # --- detection --------------------------------------------------------------------------
    @abstractmethod
    def kind_of(self, members: Members) -> str:
        """Which of its kinds a record of this format is, from its top-level members."""

    def pieces(self, value: Any) -> Pieces:
        """The posts a record of a kind of many posts (``Kind.many``) holds."""
        return Pieces([value], 0)

    def problems(self, value: Any) -> int:
        """Problems a record reports besides posts (X API v2 ``errors`` entries): counted, never converted."""
        return 0

    def own_form(self, data: Any, index: int, count: int) -> Any:
        """The untyped form that post ``index`` of the ``count`` posts of ``data`` (a record of a
        kind of many posts, parsed) comes back as from a lossless conversion: the record itself
        when it holds one post."""
        return data

    # --- ids and compliance -----------------------------------------------------------------
    @abstractmethod
    def post_id(self, post: Any) -> str: ...

    @abstractmethod
    def author_id(self, post: Any) -> str | None:
        """None for a post whose author has no id (some early 2011 activities, and their native form)."""

    @abstractmethod
    def deleted_id(self, notice: Any) -> str:
        """The id of the post a deletion notice names."""

    @abstractmethod
    def embedded(self, post: Any) -> Iterator[tuple[str, Any]]:
        """The posts copied into ``post`` (a Retweet's original, a quoted post), each with its member."""

    def ids(self, value: Any, *, users: bool, embedded: bool) -> Iterator[str]:
        """Ids of the posts of a decoded record holding posts (``Kind.holds_posts``), their
        authors' with ``users``; ``embedded`` adds the posts copied into them (and their authors)."""
        posts = [value]
        while posts:
            post = posts.pop(0)
            key = self.author_id(post) if users else self.post_id(post)
            if key is not None:
                yield key
            if embedded:
                posts[:0] = [inner for _, inner in self.embedded(post)]

    def held(self, value: Any) -> Iterator[Any]:
        """Every post a decoded record holding posts holds: its own, then those copied into it."""
        posts = [value]
        while posts:
            post = posts.pop(0)
            yield post
            posts[:0] = [inner for _, inner in self.embedded(post)]

    def comply(self, raw: bytes, value: Any, actions: Actions, report: Report) -> bytes | None:
        """A record holding posts as it may stay under ``actions``: ``raw`` itself when nothing
        changes, None when it leaves; what it did goes to ``report``."""
        from xformat.compliance import comply_post

        return comply_post(raw, self, value, actions, report)

    @abstractmethod
    def scrub_geo(self, post: dict[str, Any]) -> bool:
        """Empties the geo members of ``post`` (untyped JSON) as this format says an absent
        geo is written; whether any was set."""

    # --- conversion through the hub ---------------------------------------------------------
    @abstractmethod
    def to_hub(self, value: Any, losses: list[str]) -> Any:
        """A decoded record as the native model; codes of what is lost go to ``losses``."""

    @abstractmethod
    def from_hub(self, value: Any, links: Links, losses: list[str]) -> Any:
        """A native record in this format, IRIs and links in ``links``' domain; None for a record
        this format has no form for (a native ``drop``: the loss its converter declares says so)."""

    @abstractmethod
    def time_of(self, value: Any) -> str | None:
        """When a decoded record happened, as ISO 8601 UTC (``2018-10-10T20:19:24.000Z``); None
        for a kind that has no time."""

    def domain_of(self, value: Any) -> str | None:
        """The domain a record's IRIs and links are written in, if the format writes any."""
        return None
